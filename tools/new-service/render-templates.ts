import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { NewServiceError } from './new-service-error';

/** One file to write: where (from the workspace root) and what. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

const SUFFIX = '.tmpl';
// `{{Pascal}}` in a file's text, `__name__` in its path.
const IN_TEXT = /\{\{([A-Za-z]+)\}\}/g;
const IN_PATH = /__([a-z]+)__/g;

function listTemplates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listTemplates(full);
    return entry.name.endsWith(SUFFIX) ? [full] : [];
  });
}

function fill(text: string, pattern: RegExp, values: Readonly<Record<string, string>>, where: string): string {
  return text.replace(pattern, (_all, key: string) => {
    const value = values[key];
    if (value === undefined) throw new NewServiceError('NEW_SERVICE_TEMPLATE_INVALID', `${where}: unknown placeholder "${key}" (known: ${Object.keys(values).join(', ')})`);
    return value;
  });
}

/**
 * Every `*.tmpl` file under `templatesDir`, its placeholders filled: the path it will have in the
 * workspace (the template's path without `.tmpl`, `__key__` replaced) and its text (`{{key}}`
 * replaced). An unknown placeholder is an error, so a typo in a template never ships.
 *
 * @example
 * renderTemplates('tools/new-service/templates', { name: 'field-notes', Pascal: 'FieldNotes' });
 */
export function renderTemplates(templatesDir: string, values: Readonly<Record<string, string>>): RenderedFile[] {
  return listTemplates(templatesDir)
    .sort()
    .map((file) => {
      const template = relative(templatesDir, file).split(sep).join('/');
      return {
        path: fill(template.slice(0, -SUFFIX.length), IN_PATH, values, template),
        content: fill(readFileSync(file, 'utf8'), IN_TEXT, values, template),
      };
    });
}
