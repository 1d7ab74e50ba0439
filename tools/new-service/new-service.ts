// `npm run new:service -- <name> [--port <n>]`: a new service skeleton that lints, type-checks
// and passes its tests as generated. See docs/runbooks/new-service.md.
import { join } from 'node:path';
import { generateService } from './generate-service';
import { NewServiceError } from './new-service-error';
import { parsePort } from './service-name';

const USAGE = 'usage: npm run new:service -- <name> [--port <n>]   e.g. npm run new:service -- field-notes';

/** The command line, read: one name and an optional `--port <n>` / `--port=<n>`. */
export function parseArgs(argv: readonly string[]): { name: string; port?: number } {
  const positional: string[] = [];
  let port: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      if (value === undefined) throw new NewServiceError('NEW_SERVICE_USAGE', `--port needs a value\n${USAGE}`);
      port = parsePort(value);
    } else if (arg.startsWith('-')) {
      throw new NewServiceError('NEW_SERVICE_USAGE', `unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  const [name, ...rest] = positional;
  if (name === undefined || rest.length > 0) throw new NewServiceError('NEW_SERVICE_USAGE', USAGE);
  return port === undefined ? { name } : { name, port };
}

function main(): number {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    const { name, port } = parseArgs(args);
    const created = generateService({ root: join(__dirname, '..', '..'), name, port });
    const app = `apps/${created.names.name}`;
    console.log(`Created ${created.names.name} on port ${created.port}:`);
    for (const file of created.files) console.log(`  ${file}`);
    console.log(
      [
        '',
        'Next:',
        `  npm install                      # links @oo/${created.names.name} and records it in package-lock.json (npm ci needs it)`,
        `  npx jest ${app}          # the generated tests pass as they are`,
        `  npx nx run ${created.names.name}:serve       # after \`npm run migrate\` and \`npm run provision\``,
        `  npm run deploy:generate          # its Kubernetes objects and compose service (declare its calls and secrets in tools/deploy/topology.ts)`,
        `  then fill in ${app}/README.md and replace the items example with the service's own features.`,
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (!(err instanceof NewServiceError)) throw err;
    console.error(`new:service: ${err.message}`);
    return err.code === 'NEW_SERVICE_USAGE' ? 2 : 1;
  }
}

if (require.main === module) process.exit(main());
