import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { generateKeyPair } from 'jose';
import { PreferencesUpdatedSchema, subjects } from '@oo/contracts';
import { connectJetStreamBus, createEventCodec, loadNatsDefinitions, provision, type JetStreamBus } from '@oo/events';
import { testNatsUrl, uniqueStreamPrefix } from '@oo/testing';
import { connectRecommenderSync, runSimulation, type SimulationReport } from '../src';
import { createFakeAuth, type FakeAuth } from './support/fake-auth';
import { createFakeServices, type FakeServices } from './support/fake-services';
import { startFakeRecommenderConsumers } from './support/fake-recommender-consumers';

const profileEvents = createEventCodec(subjects, { source: 'profile' });

describe('npm run simulate against fake services over HTTP and JetStream', () => {
  const prefix = uniqueStreamPrefix('simulate');
  const issuer = 'urn:oo:simulate-test';
  let bus: JetStreamBus;
  let fake: FakeServices;
  let auth: FakeAuth;
  let report: SimulationReport;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    auth = createFakeAuth({ privateKey, issuer });
    bus = await connectJetStreamBus({ servers: testNatsUrl(), prefix, name: 'simulate-test' });
    const all = await loadNatsDefinitions(join(__dirname, '../../../deploy/nats'));
    await provision(
      bus.jsm,
      {
        streams: all.streams.filter((s) => s.name === 'SIGNALS' || s.name === 'PROFILE').map((s) => ({ ...s, maxBytes: 16 * 1024 * 1024 })),
        consumers: all.consumers.filter((c) => c.durable === 'recommender__task_upserted' || c.durable === 'recommender__preferences_updated'),
      },
      { prefix },
    );
    fake = createFakeServices({
      publicKey,
      issuer,
      now: () => new Date(),
      noTipEvery: 20,
      fallbackEvery: 8,
      // The fake profile publishes what it saved, as profile's outbox relay would.
      onPreferencesSaved: async (userId, timezone) => {
        await bus.publish(profileEvents.encode('profile.preferences.updated', create(PreferencesUpdatedSchema, { userId, timezone, channels: ['in_app'], tipCadence: 'normal' }), { userId }));
      },
    });
    const consumers = await startFakeRecommenderConsumers(bus.connection, prefix, fake);
    const server = await fake.listen();
    try {
      report = await runSimulation({
        decisions: 120,
        users: 5,
        window: 40,
        seed: 2,
        concurrency: 2,
        recommenderUrl: server.url,
        profileUrl: server.url,
        signIn: auth.signIn,
        refresh: auth.refresh,
        nats: { servers: testNatsUrl(), prefix },
      });
    } finally {
      await server.close();
      await consumers.stop();
    }
  });

  afterAll(async () => {
    for await (const name of bus.jsm.streams.names()) if (name.startsWith(`${prefix}_`)) await bus.jsm.streams.delete(name);
    await bus.drain();
  });

  it("sets preferences over HTTP with each user's own token and timezone", () => {
    expect(fake.state.preferences).toHaveLength(5);
    const ids = Array.from({ length: 5 }, (_, i) => auth.userIdOf(`sim-${report.runId}-u${i}`));
    expect(fake.state.preferences.every((p) => p.subject === p.userId)).toBe(true);
    expect(fake.state.preferences.map((p) => p.userId).sort()).toEqual(ids.sort());
    expect(new Set(fake.state.timezones.values()).size).toBe(5);
  });

  it('starts deciding only once the recommender has applied every timezone and task from JetStream', () => {
    expect(report.sync).toEqual({ preferences: 'applied', tasks: 'applied' });
    expect(report.tasks).toBeGreaterThanOrEqual(15);
    expect(fake.state.taskCount()).toBe(report.tasks);
    expect(fake.state.atFirstRecommend()).toEqual({ tasks: report.tasks, timezones: 5 });
    expect(fake.state.projected).toEqual(fake.state.timezones);
  });

  it('reports the curve of what the services answered, with feedback for every reaction but silence', () => {
    expect(report.counts).toMatchObject({ tips: 114, noTip: 6, unknownTips: 0, unexpectedTips: 0 });
    expect(fake.state.feedback).toHaveLength(report.counts.feedbackSent);
    expect(fake.state.feedback.every((f) => fake.state.decisions.get(f.decisionId)?.userId === f.userId)).toBe(true);
    expect(report.windows).toHaveLength(3);
    for (const w of report.windows) {
      expect(w.oracle as number).toBeGreaterThanOrEqual(w.expected as number);
      expect(w.oracle as number).toBeGreaterThanOrEqual(w.uniform as number);
    }
    const flagged = [...fake.state.decisions.values()].filter((d) => d.fallback).length;
    expect(report.summary.overall.fallbackShare).toBeCloseTo(flagged / 114, 12);
  });

  it('says when the recommender has no consumer to wait for, or profile never published', async () => {
    const sync = await connectRecommenderSync({ servers: testNatsUrl(), prefix, durables: { tasks: 'nobody__tasks' } });
    try {
      await sync.publishTasks([{ index: 0, name: 'lonely', id: 'lonely', timezone: 'UTC', tasks: [{ id: 'lonely-t0', source: 'todoist', title: 't', priority: 2, createdAt: new Date() }] }], new Date());
      expect(await sync.waitForTasks(1_000)).toBe('no-consumer');
      expect(await sync.waitForPreferences(['lonely'], new Date(), 300)).toBe('timeout');
    } finally {
      await sync.close();
    }
    const elsewhere = await connectRecommenderSync({ servers: testNatsUrl(), prefix: `${prefix}x` });
    try {
      expect(await elsewhere.waitForPreferences(['lonely'], new Date(), 300)).toBe('no-consumer');
    } finally {
      await elsewhere.close();
    }
  });
});
