import { parseBaseUrl, parseFlags, parseSince, UsageError } from '../cli/cli-args';

export const PROMOTE_USAGE = `usage: npm run promote -- [options]      (an admin's token in TOKEN: eval "$(npm run -s token -- admin | grep export)")

  --since <time>      evaluate decisions served since an ISO time or 24h / 7d back (default 7d)
  --dry-run           evaluate and say what would happen, without switching
  --status            show the assignment in force and the latest switches
  --revert <id>       undo the switch in force (its promotion id)
  --gateway <url>     default http://localhost:8080
  --json              the gateway's answer as JSON
  -h, --help          this text
`;

export type PromoteCommand =
  | { readonly action: 'help' }
  | { readonly action: 'status'; readonly gateway: string; readonly json: boolean }
  | { readonly action: 'promote'; readonly gateway: string; readonly since: Date; readonly dryRun: boolean; readonly json: boolean }
  | { readonly action: 'revert'; readonly gateway: string; readonly promotionId: string; readonly json: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Parses `npm run promote`; throws a UsageError naming the bad flag.
 *
 * @example
 * parsePromoteArgs(['--since', '7d', '--dry-run'], new Date());
 */
export function parsePromoteArgs(argv: readonly string[], now: Date): PromoteCommand {
  const { values: v } = parseFlags(argv, {
    since: { type: 'string' },
    'dry-run': { type: 'boolean' },
    status: { type: 'boolean' },
    revert: { type: 'string' },
    gateway: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) return { action: 'help' };
  const gateway = parseBaseUrl(v.gateway ?? 'http://localhost:8080', '--gateway');
  const json = v.json === true;
  const actions = [v.status === true, v.revert !== undefined, v.since !== undefined || v['dry-run'] === true].filter(Boolean).length;
  if (actions > 1) throw new UsageError('--status, --revert and a promotion (--since, --dry-run) are alternatives: give one');
  if (v.status) return { action: 'status', gateway, json };
  if (v.revert !== undefined) {
    if (!UUID.test(v.revert)) throw new UsageError(`--revert takes a promotion id (a UUID; see --status), got "${v.revert}"`);
    return { action: 'revert', gateway, promotionId: v.revert.toLowerCase(), json };
  }
  return { action: 'promote', gateway, since: parseSince(v.since ?? '7d', now), dryRun: v['dry-run'] === true, json };
}
