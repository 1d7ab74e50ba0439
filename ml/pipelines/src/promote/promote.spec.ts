import { UsageError } from '../cli/cli-args';
import { parsePromoteArgs } from './promote-args';
import { callPolicyRoute, PromoteCallError } from './promote-client';
import { formatPromotion, formatStatus } from './promote-report';

describe('npm run promote', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('reads a promotion, a dry run, the status and a reversal, and refuses mixtures', () => {
    expect(parsePromoteArgs([], now)).toEqual({ action: 'promote', gateway: 'http://localhost:8080', since: new Date('2026-03-03T12:00:00Z'), dryRun: false, json: false });
    expect(parsePromoteArgs(['--since', '24h', '--dry-run', '--gateway', 'http://gw:8080/'], now)).toMatchObject({ action: 'promote', since: new Date('2026-03-09T12:00:00Z'), dryRun: true, gateway: 'http://gw:8080' });
    expect(parsePromoteArgs(['--status', '--json'], now)).toEqual({ action: 'status', gateway: 'http://localhost:8080', json: true });
    expect(parsePromoteArgs(['--revert', '0F8FAD5B-D9CB-469F-A165-70867728950E'], now)).toMatchObject({ action: 'revert', promotionId: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(() => parsePromoteArgs(['--revert', 'latest'], now)).toThrow('--revert takes a promotion id');
    expect(() => parsePromoteArgs(['--status', '--since', '7d'], now)).toThrow(UsageError);
    expect(() => parsePromoteArgs(['--since', 'soon'], now)).toThrow('--since must be an ISO time');
  });

  it('says what the gateway refused, and hints at the token on 401/403', async () => {
    const answer = (status: number, body: unknown) => (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
    await expect(callPolicyRoute(answer(403, { code: 'GATEWAY_ADMIN_REQUIRED', detail: 'admins only' }), 'http://gw', 't', 'GET', '/v1/admin/policies')).rejects.toThrow(
      'GET /v1/admin/policies answered 403 GATEWAY_ADMIN_REQUIRED: admins only (TOKEN must be an admin’s access token)',
    );
    await expect(callPolicyRoute(answer(409, { code: 'ML_PROMOTION_CONFLICT', detail: 'only the switch in force can be reverted' }), 'http://gw', 't', 'POST', '/x')).rejects.toBeInstanceOf(PromoteCallError);
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(callPolicyRoute(down, 'http://gw', 't', 'GET', '/v1/admin/policies')).rejects.toThrow('cannot reach the gateway at http://gw: fetch failed');
    expect(await callPolicyRoute(answer(201, { promoted: true }), 'http://gw', 't', 'POST', '/x', {})).toEqual({ status: 201, body: { promoted: true } });
  });

  it('prints what happened, the intervals it was decided on, and how to undo it', () => {
    const estimate = (policy: string, role: string, value: number) => ({ policy, role, decisions: 600, snips: { value, lower: value - 0.04, upper: value + 0.04 }, dr: { value, lower: value - 0.03, upper: value + 0.03 } });
    const text = formatPromotion({
      promoted: true,
      promotion: { promotionId: 'p-1', livePolicy: 'linucb', previousLivePolicy: 'uniform', shadowPolicies: ['uniform'], actor: 'admin:ada', revertsPromotionId: null, promotedAt: '2026-03-10T12:00:00.000Z' },
      evaluation: { since: '2026-03-03T12:00:00.000Z', rule: 'the rule', live: 'uniform', promote: 'linucb', estimates: [estimate('uniform', 'live', 0.5), estimate('linucb', 'shadow', 0.71)], reasons: ['thompson: SNIPS lower bound 0.2500 does not beat the live upper bound 0.5400'] },
    });
    expect(text).toContain('Promoted linucb: it is live now (was uniform).');
    expect(text).toContain('linucb            shadow  600     0.710 [0.670, 0.750]  0.710 [0.680, 0.740]');
    expect(text).toContain('  not promoted: thompson: SNIPS lower bound');
    expect(text).toContain('npm run promote -- --revert p-1 undoes it');
    expect(formatPromotion({ promoted: false, evaluation: { rule: 'r', live: 'uniform', promote: null, reasons: ['x'] } })).toContain('Nothing promoted: uniform stays live.');
    expect(formatStatus({ assignment: null, history: [] })).toBe('No switch yet: the recommender’s LIVE_POLICY and SHADOW_POLICIES apply.\n');
  });
});
