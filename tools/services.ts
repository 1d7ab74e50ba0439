import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS, type ServiceName } from '@oo/config';

export const ROOT = join(__dirname, '..');

export interface ServiceEntry {
  name: ServiceName;
  root: string;
  main: string;
  migrate: string | null;
  port: number;
}

// The services that exist in this checkout: every Nx application with a composition root.
export function discoverServices(): ServiceEntry[] {
  const found: ServiceEntry[] = [];
  for (const parent of ['apps', 'ml']) {
    const dir = join(ROOT, parent);
    if (!existsSync(dir)) continue;
    for (const child of readdirSync(dir)) {
      const root = join(dir, child);
      const projectFile = join(root, 'project.json');
      const main = join(root, 'src', 'main.ts');
      if (!existsSync(projectFile) || !existsSync(main)) continue;
      const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { name: string; tags?: string[] };
      if (!project.tags?.includes('type:app') || !(project.name in DEFAULT_PORTS)) continue;
      const name = project.name as ServiceName;
      const migrate = join(root, 'src', 'db', 'migrate.ts');
      found.push({ name, root, main, migrate: existsSync(migrate) ? migrate : null, port: DEFAULT_PORTS[name] });
    }
  }
  return found.sort((a, b) => a.port - b.port);
}
