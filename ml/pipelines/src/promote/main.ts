// `npm run promote`: evaluate every shadow policy against the live one and promote on evidence,
// show the assignment, or revert the switch in force — through the gateway's admin routes, as the
// web console will. Exit codes: 0 done (promoted or not), 1 the call failed, 2 bad arguments.
import { UsageError } from '../cli/cli-args';
import { callPolicyRoute } from './promote-client';
import { parsePromoteArgs, PROMOTE_USAGE } from './promote-args';
import { formatPromotion, formatStatus } from './promote-report';

async function main(argv: readonly string[]): Promise<void> {
  const args = parsePromoteArgs(argv, new Date());
  if (args.action === 'help') return void process.stdout.write(PROMOTE_USAGE);
  const token = process.env['TOKEN'] ?? '';
  if (token === '') throw new UsageError('set TOKEN to an admin’s access token (npm run -s token -- admin)');
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) => callPolicyRoute(fetch, args.gateway, token, method, path, body);
  const answer =
    args.action === 'status'
      ? await call('GET', '/v1/admin/policies')
      : args.action === 'revert'
        ? await call('POST', `/v1/admin/policies/promotions/${args.promotionId}/revert`)
        : await call('POST', '/v1/admin/policies/promotions', { since: args.since.toISOString(), dryRun: args.dryRun });
  if (args.json) return void process.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
  process.stdout.write(args.action === 'status' ? formatStatus(answer.body) : formatPromotion(answer.body));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const usage = err instanceof UsageError;
  process.stderr.write(`promote: ${err instanceof Error ? err.message : String(err)}\n${usage ? `\n${PROMOTE_USAGE}` : ''}`);
  process.exit(usage ? 2 : 1);
});
