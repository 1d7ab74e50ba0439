import { NewServiceError } from './new-service-error';

/** Where the one list of services and ports lives, from the workspace root. */
export const DEFAULT_PORTS_PATH = 'libs/platform/config/src/default-ports.ts';

const OPENING = /DEFAULT_PORTS\s*=\s*Object\.freeze\(\{\s*$/;
const CLOSING = /^\s*\}\s*as const\);?\s*$/;
const ENTRY = /^(\s*)(?:'([a-z][a-z0-9-]*)'|([a-z][a-z0-9]*))\s*:\s*(\d+)\s*(,?)\s*(\/\/.*)?$/;
const IGNORABLE = /^\s*(\/\/.*)?$/;

interface Entry {
  readonly line: number;
  readonly indent: string;
  readonly name: string;
  readonly port: number;
  readonly comma: boolean;
}

function unreadable(detail: string): NewServiceError {
  return new NewServiceError('NEW_SERVICE_DEFAULT_PORTS_UNREADABLE', `${DEFAULT_PORTS_PATH}: ${detail}; add the line by hand or restore the file's shape`);
}

// The list is edited as text, so a reviewer sees one added line and nothing reformatted.
function entriesOf(lines: readonly string[]): Entry[] {
  const start = lines.findIndex((l) => OPENING.test(l));
  if (start < 0) throw unreadable('no `DEFAULT_PORTS = Object.freeze({` line');
  const entries: Entry[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (CLOSING.test(line)) return entries;
    const m = ENTRY.exec(line);
    if (m) entries.push({ line: i, indent: m[1] ?? '', name: m[2] ?? m[3] ?? '', port: Number(m[4]), comma: m[5] === ',' });
    else if (!IGNORABLE.test(line)) throw unreadable(`line ${i + 1} is not a \`name: port,\` entry`);
  }
  throw unreadable('the list does not end with `} as const);`');
}

/**
 * The services and ports listed in default-ports.ts, read from its text.
 *
 * @example
 * readDefaultPorts(source).get('profile'); // 8082
 */
export function readDefaultPorts(source: string): Map<string, number> {
  return new Map(entriesOf(source.split('\n')).map((e) => [e.name, e.port]));
}

/**
 * The file's text with one more entry after the last one, in the file's own style.
 *
 * @example
 * addDefaultPort(source, 'field-notes', 8087); // …  'ml-serving': 8086,\n  'field-notes': 8087,\n} as const);
 */
export function addDefaultPort(source: string, name: string, port: number): string {
  const lines = source.split('\n');
  const entries = entriesOf(lines);
  const last = entries[entries.length - 1];
  if (!last) throw unreadable('the list is empty');
  if (!last.comma) lines[last.line] = (lines[last.line] ?? '').replace(/(\d+)(\s*)(\/\/.*)?$/, (_all, digits: string, gap: string, note?: string) => `${digits},${note ? gap + note : ''}`);
  const key = name.includes('-') ? `'${name}'` : name;
  lines.splice(last.line + 1, 0, `${last.indent}${key}: ${port},`);
  return lines.join('\n');
}
