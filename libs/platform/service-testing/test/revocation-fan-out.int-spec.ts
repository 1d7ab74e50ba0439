import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { statelessServiceSchema } from '@oo/config';
import { principal, requireAuth } from '@oo/http';
import { defineStatelessService, type RevokedEvent } from '@oo/service';
import { eventually } from '@oo/testing';
import { Router } from 'express';
import { startServiceHarness } from '../src';
import { UserRevokedSchema } from './support/user-revoked.fixture';

const subjects = { 'users.revoked': UserRevokedSchema } as const;

// A service behind token checks that also keeps a cache of its own, as the gateway does.
const edge = defineStatelessService({
  name: 'gateway',
  config: statelessServiceSchema('gateway'),
  subjects,
  setup: (kit) => {
    const heard: RevokedEvent[] = [];
    kit.onRevoked((event) => heard.push(event));
    return { heard };
  },
  routes: (ctx) => [Router().get('/me', requireAuth(ctx.verifier), (_req, res) => res.json({ userId: principal(res).userId }))],
});

const revocation = (userId: string, revokedBefore: Date, sessionId = '') =>
  create(UserRevokedSchema, { userId, revokedBefore: timestampFromDate(revokedBefore), sessionId, reason: 'signed out everywhere' } as never);

describe('users.revoked reaches every instance', () => {
  it('two instances both refuse the revoked token, both tell their listeners, and a later instance replays it', async () => {
    const h = await startServiceHarness(edge, { label: 'revocation-fan-out' });
    try {
      const second = await h.startInstance();
      const instances = [h.service, second];
      const token = await h.tokenFor('ana');
      const other = await h.tokenFor('bo');
      const me = (url: string, t: string) => fetch(`${url}/me`, { headers: { authorization: `Bearer ${t}` } });
      for (const instance of instances) expect((await me(instance.url, token)).status).toBe(200); // verified and cached

      await h.publish('users.revoked', revocation('ana', new Date(Date.now() + 1_000)) as never, 'ana', { source: 'auth' });

      for (const instance of instances) {
        await eventually(async () => ((await me(instance.url, token)).status === 401 ? true : undefined), `${instance.url} to refuse the token`);
        const res = await me(instance.url, token);
        expect(await res.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN', detail: 'the token has been revoked' });
        expect((await me(instance.url, other)).status).toBe(200);
        expect((instance.ctx as { heard: RevokedEvent[] }).heard).toMatchObject([{ userId: 'ana', reason: 'signed out everywhere' }]);
      }
      const third = await h.startInstance();
      await eventually(async () => ((await me(third.url, token)).status === 401 ? true : undefined), 'a later instance to refuse the token');
      const ready = (await (await fetch(`${third.url}/readyz`)).json()) as { status: string; checks: Record<string, string> };
      expect(ready).toMatchObject({ status: 'ready', checks: { revocations: 'ok' } });
    } finally {
      await h.stop();
    }
  });
});
