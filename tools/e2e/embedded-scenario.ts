// Run by embedded-start.int-spec.ts inside a network namespace where no Postgres or NATS answers:
// the zero-setup system end to end — a task in, a tip out, feedback accepted, the profile's
// features change. Prints one `RESULT {…}` line.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { subjects, TaskUpsertedSchema } from '@oo/contracts';
import { createEventCodec } from '@oo/events';
import { eventually } from '@oo/testing';
import { join } from 'node:path';
import { startEmbeddedSystem } from '../start/embedded';
import { call, SERVICE_WAIT_MS } from './e2e-support';

const stateDir = process.env['OO_STATE_DIR'] as string;
const integrations = createEventCodec(subjects, { source: 'integrations' });

async function main(): Promise<void> {
  const startedAt = Date.now();
  const system = await startEmbeddedSystem({ dataDir: join(stateDir, 'postgres'), ports: 'free', stateDir, env: { LOG_LEVEL: 'warn' } });
  const readyMs = Date.now() - startedAt;
  try {
    // Signed in at the local identity provider through the gateway, as a native app would.
    const { userId: user, accessToken: token } = await system.signIn('embedded-ada');
    const task = create(TaskUpsertedSchema, {
      taskId: 'task-embedded-1',
      userId: user,
      source: 'manual',
      externalId: 'm-1',
      title: 'Renew the passport',
      priority: 4,
      dueAt: timestampFromDate(new Date(Date.now() - 3_600_000)),
      createdAt: timestampFromDate(new Date(Date.now() - 86_400_000)),
      updatedAt: timestampFromDate(new Date()),
    });
    await system.bus.publish(integrations.encode('signals.task.upserted', task, { userId: user }));
    const features = async () => {
      const res = await call('GET', `${system.url('profile')}/v1/profiles/${user}/features`, token);
      return (res.body as { features: { name: string; value: unknown }[] }).features.find((f) => f.name === 'completion_rate_30d')?.value;
    };
    const tip = await eventually(async () => {
      const res = await call('POST', `${system.url('recommender')}/v1/recommend`, token);
      const body = res.body as { decisionId: string; tip: { taskId?: string } };
      return res.status === 200 && body.tip.taskId === 'task-embedded-1' ? body : undefined;
    }, 'a tip for the task', SERVICE_WAIT_MS, 50);
    const before = await features();
    const feedback = await call('POST', `${system.url('recommender')}/v1/tips/${tip.decisionId}/feedback`, token, { reaction: 'done' });
    const after = await eventually(async () => {
      const value = await features();
      return typeof value === 'number' && value > 0 ? value : undefined;
    }, 'the done reaction in the features', SERVICE_WAIT_MS, 50);
    console.log(`RESULT ${JSON.stringify({ readyMs, tipTaskId: tip.tip.taskId, feedbackStatus: feedback.status, before, after, databaseUrl: system.databaseUrl })}`);
  } finally {
    await system.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
