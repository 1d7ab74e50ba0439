import { eventually } from '@oo/testing';
import { connect, connectionWhen, startWithProviders } from './support/integrations-system';
import { startServiceProcess, type ServiceProcess } from './support/service-process';

const TASKS = 60;

jest.setTimeout(120_000);

// A sync killed outright (SIGKILL, no shutdown step) in the middle of a first sync of many pages:
// after a restart, every task is there exactly once, none was announced twice or deleted.
describe('integrations: a crash in the middle of a sync', () => {
  let s: Awaited<ReturnType<typeof startWithProviders>>;
  let worker: ServiceProcess | undefined;

  beforeAll(async () => {
    // The harness's own instance only looks for work once an hour: the processes below do the syncing.
    s = await startWithProviders('sync-crash', { SYNC_TICK_MS: '3600000', GOOGLE_TASKS_PAGE_SIZE: '2', SYNC_LEASE_MS: '2000' });
    const list = s.google.addList('Backlog');
    for (let i = 1; i <= TASKS; i++) s.google.addTask(list.id, { title: `Task ${String(i).padStart(2, '0')}` });
  });
  afterAll(async () => {
    await worker?.kill();
    await s?.stop();
  });

  const taskRows = () => s.h.db.selectFrom('tasks').select(['external_id', 'deleted_at']).execute();

  it('resumes from the last committed page and ends with every task once', async () => {
    worker = await startServiceProcess({ ...s.sameService(), SYNC_TICK_MS: '100' });
    s.google.setLatency(40);
    const connected = await connect(s.h, 'ada', 'google_tasks', worker.url);
    expect(connected.status).toBe(201);
    const connectionId = connected.body['id'] as string;

    await eventually(async () => ((await taskRows()).length >= 10 ? true : undefined), 'a few pages committed', 20_000, 5);
    await worker.kill();
    const atCrash = (await taskRows()).length;
    expect(atCrash).toBeLessThan(TASKS);
    expect((await s.h.db.selectFrom('connections').select('cursor').where('connection_id', '=', connectionId).executeTakeFirstOrThrow()).cursor).not.toBeNull();

    // The dead worker's lease runs out (SYNC_LEASE_MS) and the new process takes the sync over.
    s.google.setLatency(0);
    worker = await startServiceProcess({ ...s.sameService(), SYNC_TICK_MS: '100' });
    await connectionWhen(s.h, connectionId, 'the resumed sync to finish', (row) => row['status'] === 'active' && row['last_success_at'] !== null);

    const rows = await taskRows();
    expect(rows).toHaveLength(TASKS);
    expect(new Set(rows.map((r) => r.external_id)).size).toBe(TASKS);
    expect(rows.filter((r) => r.deleted_at !== null)).toEqual([]);
    const upserts = await eventually(async () => {
      const found = await s.h.eventsOn('signals.task.upserted');
      return found.length >= TASKS ? found : undefined;
      // The dead process's outbox relay may have leased rows of this user's group: they are
      // published once that lease (30 s) runs out, never out of order and never twice.
    }, 'every upsert on the stream', 60_000, 200);
    const perTask = new Map<string, number>();
    for (const e of upserts) perTask.set(e.message.externalId, (perTask.get(e.message.externalId) ?? 0) + 1);
    expect(perTask.size).toBe(TASKS);
    expect([...perTask.values()].every((n) => n === 1)).toBe(true);
    expect(await s.h.eventsOn('signals.task.deleted')).toEqual([]);
  });
});
