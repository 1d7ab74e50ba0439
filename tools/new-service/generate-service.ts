import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addDefaultPort, DEFAULT_PORTS_PATH } from './default-ports-file';
import { NewServiceError } from './new-service-error';
import { renderTemplates } from './render-templates';
import { checkNewService, type ServiceNames } from './service-name';
import { scanWorkspace } from './workspace-scan';

export interface GenerateOptions {
  /** The workspace root the service is written into. */
  root: string;
  name: string;
  /** Default: the next port after the highest in DEFAULT_PORTS. */
  port?: number | undefined;
  /** Stamps the first migration's name (default: now). */
  now?: Date;
}

export interface GeneratedService {
  readonly names: ServiceNames;
  readonly port: number;
  /** Every file written or edited, from the workspace root. */
  readonly files: readonly string[];
}

const TEMPLATES = join(__dirname, 'templates');

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYY_MM_DD_HHMMSS` in UTC, the prefix that orders migrations. */
export function migrationStamp(at: Date): string {
  const date = `${at.getUTCFullYear()}_${pad(at.getUTCMonth() + 1)}_${pad(at.getUTCDate())}`;
  return `${date}_${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
}

/**
 * Writes a new service from the templates: apps/<name>/, its consumer file in deploy/nats, and
 * one line in DEFAULT_PORTS. Everything is checked and rendered before the first file is
 * written, so a refusal leaves the workspace as it was.
 *
 * @example
 * const { port, files } = generateService({ root: '/work/main', name: 'field-notes' });
 */
export function generateService(options: GenerateOptions): GeneratedService {
  const { root } = options;
  const { names, port } = checkNewService(scanWorkspace(root), { name: options.name, port: options.port });
  const migration = `${migrationStamp(options.now ?? new Date())}_create_${names.snake}_tables`;
  const rendered = renderTemplates(TEMPLATES, { ...names, port: String(port), migration });
  const existing = rendered.filter((file) => existsSync(join(root, file.path))).map((file) => file.path);
  if (existing.length > 0) throw new NewServiceError('NEW_SERVICE_FILE_EXISTS', `these files exist already and would be overwritten: ${existing.join(', ')}`);
  const portsFile = join(root, DEFAULT_PORTS_PATH);
  const ports = addDefaultPort(readFileSync(portsFile, 'utf8'), names.name, port);
  for (const file of rendered) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, { flag: 'wx' });
  }
  writeFileSync(portsFile, ports);
  return { names, port, files: [...rendered.map((file) => file.path), DEFAULT_PORTS_PATH] };
}
