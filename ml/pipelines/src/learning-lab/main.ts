// `npm run learning-lab`: every population family against named learners, in process and
// seeded, printing the share of the oracle's reward per family with the spread over seeds — the
// quick loop for improving learning; `npm run simulate` then confirms through the services.
// Exit codes: 0 done, 2 bad arguments.
import { parseFlags, parseInteger, UsageError } from '../cli/cli-args';
import { LAB_FAMILIES, labFamily } from './lab-families';
import { labLearners } from './lab-learners';
import { formatLabReport, type LabRow } from './lab-report';
import { runLab, type LabLearner } from './lab-run';

const USAGE = `usage: npm run learning-lab -- [options]

  --families <a,b>   population families (default: all — ${LAB_FAMILIES.map((f) => f.name).join(', ')})
  --learners <a,b>   learners to compare (default production; known: ${Object.keys(labLearners()).join(', ')})
  --seeds <n>        seeds 1…n per family (default 5)
  --users <n>        people per run (default 60)
  --decisions <n>    decisions per run (default 3000)
  -h, --help         this text
`;

function main(argv: readonly string[]): void {
  const { values } = parseFlags(argv, {
    families: { type: 'string' },
    learners: { type: 'string', default: 'production' },
    seeds: { type: 'string', default: '5' },
    users: { type: 'string', default: '60' },
    decisions: { type: 'string', default: '3000' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return void process.stdout.write(USAGE);
  const families = values.families ? values.families.split(',').map((name) => wrapUsage(() => labFamily(name.trim()))) : LAB_FAMILIES;
  const known: Readonly<Record<string, LabLearner>> = labLearners();
  const learners = (values.learners ?? 'production').split(',').map((name) => {
    const learner = known[name.trim()];
    if (!learner) throw new UsageError(`no learner "${name}"; known: ${Object.keys(known).join(', ')}`);
    return learner;
  });
  const seedCount = parseInteger(values.seeds ?? '5', '--seeds', { min: 1, max: 100 });
  const users = parseInteger(values.users ?? '60', '--users', { min: 1, max: 100_000 });
  const decisions = parseInteger(values.decisions ?? '3000', '--decisions', { min: 3, max: 1_000_000 });
  const seeds = Array.from({ length: seedCount }, (_, k) => k + 1);
  const rows: LabRow[] = [];
  for (const learner of learners) {
    for (const family of families) {
      process.stderr.write(`learning-lab: ${learner.name} × ${family.name} (${seeds.length} seeds)\n`);
      rows.push({ learner: learner.name, family, seeds, results: seeds.map((seed) => runLab({ family, seed, users, decisions, learner })) });
    }
  }
  process.stdout.write(`${users} people, ${decisions} decisions per run, seeds ${seeds.join(', ')}\n`);
  process.stdout.write(formatLabReport(rows, { middle: 0.8, last: 0.92 }));
}

function wrapUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  const usage = err instanceof UsageError;
  process.stderr.write(`learning-lab: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
}
