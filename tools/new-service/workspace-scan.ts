import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS_PATH, readDefaultPorts } from './default-ports-file';
import type { Workspace } from './service-name';

// Where projects and workspace packages live (package.json workspaces, plus tools).
const PROJECT_PARENTS = ['apps', 'libs', 'libs/platform', 'ml', 'tools'];

function readJson(file: string): { name?: unknown; tags?: unknown } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; tags?: unknown };
  } catch {
    // A broken manifest is someone else's problem; it names nothing we could collide with.
    return {};
  }
}

function childDirs(root: string, parent: string): string[] {
  const dir = join(root, parent);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `${parent}/${d.name}`);
}

/**
 * Reads what a new service must not collide with: DEFAULT_PORTS, and every name already used by
 * an Nx project, an `@oo/*` package, a lint scope (`scope:<name>` decides what code may import
 * what) or a folder under apps/, and the consumer files under deploy/nats/consumers/.
 *
 * @example
 * const workspace = scanWorkspace('/work/main');
 */
export function scanWorkspace(root: string): Workspace {
  const taken = new Map<string, string>();
  const take = (name: string, where: string) => {
    if (!taken.has(name)) taken.set(name, where);
  };
  // scope:shared is what every library may import; a service by that name would see them all.
  take('shared', 'the lint scope of the shared libraries (scope:shared)');
  for (const dir of PROJECT_PARENTS.flatMap((parent) => childDirs(root, parent))) {
    const project = readJson(join(root, dir, 'project.json'));
    if (typeof project.name === 'string') take(project.name, `the Nx project in ${dir}`);
    for (const tag of Array.isArray(project.tags) ? project.tags : []) {
      if (typeof tag === 'string' && tag.startsWith('scope:')) take(tag.slice('scope:'.length), `the lint scope ${tag} of ${dir}`);
    }
    const pkg = readJson(join(root, dir, 'package.json'));
    if (typeof pkg.name === 'string' && pkg.name.startsWith('@oo/')) take(pkg.name.slice('@oo/'.length), `the package ${pkg.name} in ${dir}`);
  }
  for (const dir of childDirs(root, 'apps')) take(dir.slice('apps/'.length), `${dir} exists`);
  const consumers = join(root, 'deploy/nats/consumers');
  const consumerFiles = new Set(
    (existsSync(consumers) ? readdirSync(consumers) : []).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)),
  );
  return { ports: readDefaultPorts(readFileSync(join(root, DEFAULT_PORTS_PATH), 'utf8')), taken, consumerFiles };
}
