import { NewServiceError } from './new-service-error';

/** The spellings of a service's name that the templates use. */
export interface ServiceNames {
  /** As typed and as everywhere outside code: `field-notes` (DEFAULT_PORTS, paths, durables, routes). */
  readonly name: string;
  /** `fieldNotes`: values. */
  readonly camel: string;
  /** `FieldNotes`: types and classes. */
  readonly Pascal: string;
  /** `FIELD_NOTES`: error codes. */
  readonly CONST: string;
  /** `field_notes`: the database schema. */
  readonly snake: string;
}

/** What a new service must not collide with: the listed ports and every name already in use. */
export interface Workspace {
  /** DEFAULT_PORTS as it is now. */
  readonly ports: ReadonlyMap<string, number>;
  /** Names already used by a project, a package, a lint scope or a folder under apps/, with where. */
  readonly taken: ReadonlyMap<string, string>;
  /** The services with a file in deploy/nats/consumers/. */
  readonly consumerFiles: ReadonlySet<string>;
}

export interface NewServiceRequest {
  readonly name: string;
  readonly port?: number | undefined;
}

// Words joined by single hyphens; short enough for `<name>__user_deletion` and a Postgres schema.
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 30;
const MIN_PORT = 1024;
const MAX_PORT = 65535;

const DEFAULT_PORTS_FILE = 'libs/platform/config/src/default-ports.ts';

/**
 * Checks a service name's spelling and derives the identifiers the templates need.
 *
 * @example
 * serviceNames('field-notes'); // { name: 'field-notes', camel: 'fieldNotes', Pascal: 'FieldNotes', CONST: 'FIELD_NOTES', snake: 'field_notes' }
 */
export function serviceNames(name: string): ServiceNames {
  if (!NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new NewServiceError(
      'NEW_SERVICE_INVALID_NAME',
      `"${name}" is not a service name: use lower-case letters and digits, starting with a letter, words joined by ` +
        `single hyphens, at most ${MAX_NAME_LENGTH} characters (e.g. notifier, field-notes)`,
    );
  }
  const words = name.split('-');
  const capitalised = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return {
    name,
    camel: (words[0] ?? '') + capitalised.slice(1).join(''),
    Pascal: capitalised.join(''),
    CONST: words.join('_').toUpperCase(),
    snake: words.join('_'),
  };
}

/**
 * Reads `--port`'s value: a whole number from 1024 to 65535.
 *
 * @example
 * parsePort('8090'); // 8090
 */
export function parsePort(raw: string): number {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    throw new NewServiceError('NEW_SERVICE_INVALID_PORT', `--port must be a whole number from ${MIN_PORT} to ${MAX_PORT}; got "${raw}"`);
  }
  return port;
}

/** The port after the highest listed one: new services line up behind the existing ones. */
export function nextFreePort(ports: ReadonlyMap<string, number>): number {
  const next = Math.max(MIN_PORT - 1, ...ports.values()) + 1;
  if (next > MAX_PORT) throw new NewServiceError('NEW_SERVICE_PORT_TAKEN', `no port is left above the highest in DEFAULT_PORTS; pass --port`);
  return next;
}

/**
 * Decides the new service's names and port, or refuses with a message that says what collides.
 * A name already in DEFAULT_PORTS is refused even with no code behind it: a planned service's
 * port and consumers are decided already, and a fresh skeleton would disagree with them.
 *
 * @example
 * const { names, port } = checkNewService(workspace, { name: 'field-notes' });
 */
export function checkNewService(workspace: Workspace, request: NewServiceRequest): { names: ServiceNames; port: number } {
  const names = serviceNames(request.name);
  const usedBy = workspace.taken.get(names.name);
  if (usedBy !== undefined) throw new NewServiceError('NEW_SERVICE_NAME_TAKEN', `"${names.name}" is already taken: ${usedBy}; choose another name`);
  const listedPort = workspace.ports.get(names.name);
  if (listedPort !== undefined) {
    throw new NewServiceError(
      'NEW_SERVICE_NAME_TAKEN',
      `"${names.name}" is a planned service, already in DEFAULT_PORTS (${DEFAULT_PORTS_FILE}, port ${listedPort}); ` +
        `choose another name, or see docs/runbooks/new-service.md for building a planned service`,
    );
  }
  if (workspace.consumerFiles.has(names.name)) {
    throw new NewServiceError('NEW_SERVICE_NAME_TAKEN', `"${names.name}" already has deploy/nats/consumers/${names.name}.json; choose another name`);
  }
  if (request.port === undefined) return { names, port: nextFreePort(workspace.ports) };
  const holder = [...workspace.ports].find(([, port]) => port === request.port)?.[0];
  if (holder !== undefined) {
    throw new NewServiceError('NEW_SERVICE_PORT_TAKEN', `port ${request.port} is already ${holder}'s in DEFAULT_PORTS (${DEFAULT_PORTS_FILE}); choose another port`);
  }
  return { names, port: request.port };
}
