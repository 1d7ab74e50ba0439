import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { baseServiceSchema } from '@oo/config';
import { sql, type Kysely, type Migration } from '@oo/db';
import { eventsMigrations, loadNatsDefinitions, type NatsDefinitions } from '@oo/events';
import { Router } from 'express';
import { defineService } from '../src';

// A service as small as the kit allows: one table, one route that writes and publishes, one
// consumer of what it publishes. Named `gateway`, which has no consumers of its own in deploy/nats.
export interface PingDatabase {
  pongs: { id: string };
}

const createPongs: Migration = {
  up: async (db: Kysely<unknown>) => void (await sql`create table pongs (id text primary key)`.execute(db)),
  down: async (db: Kysely<unknown>) => void (await sql`drop table pongs`.execute(db)),
};

/** Pings whose id starts with `hold` keep their consumer's transaction open until `releaseHeld()`. */
let releaseHeldPings: () => void = () => undefined;
const held = new Promise<void>((resolve) => (releaseHeldPings = resolve));
export function releaseHeld(): void {
  releaseHeldPings();
}

export const pingSubjects = { 'signals.test.pinged': StringValueSchema } as const;

export const pingService = defineService<PingDatabase>()({
  name: 'gateway',
  config: baseServiceSchema('gateway'),
  migrations: { ...eventsMigrations, '2026_12_01_000000_create_pongs': createPongs },
  subjects: pingSubjects,
  setup: () => ({ stopped: [] as string[] }),
  routes: (ctx) => [
    Router().post('/pings/:id', async (req, res) => {
      await ctx.db.transaction().execute((trx) => ctx.enqueue(trx, 'signals.test.pinged', create(StringValueSchema, { value: req.params.id })));
      res.status(202).json({ queued: req.params.id });
    }),
    Router().get('/pongs', async (_req, res) => res.json(await ctx.db.selectFrom('pongs').select('id').orderBy('id').execute())),
  ],
  subscriptions: [
    {
      durable: 'gateway__pinged',
      subject: 'signals.test.pinged',
      handler: async (trx, event) => {
        await trx.insertInto('pongs').values({ id: event.message.value }).execute();
        if (event.message.value.startsWith('hold')) await held;
      },
    },
  ],
  stop: [{ name: 'note stop', run: (ctx) => ctx.stopped.push('own step') }],
});

/** deploy/nats's streams (small) with a consumers file for the ping service, in a folder of its own. */
export async function pingDefinitions(root: string, consumers: object[]): Promise<{ dir: string; definitions: NatsDefinitions; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'oo-kit-nats-'));
  mkdirSync(join(dir, 'consumers'));
  const streams = JSON.parse(readFileSync(join(root, 'deploy/nats/streams.json'), 'utf8')) as { streams: { name: string; maxBytes: string }[] };
  const small = streams.streams.filter((s) => s.name === 'SIGNALS' || s.name === 'DEADLETTER').map((s) => ({ ...s, maxBytes: '8MiB' }));
  writeFileSync(join(dir, 'streams.json'), JSON.stringify({ streams: small }));
  writeFileSync(join(dir, 'consumers', 'gateway.json'), JSON.stringify({ service: 'gateway', consumers }));
  return { dir, definitions: await loadNatsDefinitions(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const PINGED_CONSUMER = {
  durable: 'gateway__pinged',
  description: 'Pongs for pings.',
  stream: 'SIGNALS',
  filterSubject: 'signals.test.pinged',
  ackWait: '30s',
  maxDeliver: 8,
  maxAckPending: 100,
};
