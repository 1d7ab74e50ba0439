import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { listDeadLetters, prefixStream, replayDeadLetter } from '@oo/events';

export interface DeadLetterCommandIo {
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  out: (line: string) => void;
  err: (line: string) => void;
}

const STREAM = 'DEADLETTER';

const USAGE = 'usage: npm run deadletters -- list [--durable <durable>] | replay <sequence>';

async function list(jsm: JetStreamManager, prefix: string, durable: string | undefined, out: (line: string) => void): Promise<void> {
  // Oldest first on a terminal, like a log.
  const letters = (await listDeadLetters(jsm, prefix, { limit: Number.POSITIVE_INFINITY, ...(durable ? { durable } : {}) })).reverse();
  const dash = (value: string | null) => value || '-';
  for (const l of letters) out(`${l.sequence}\t${dash(l.time)}\t${dash(l.durable)}\t${dash(l.subject)}\t${dash(l.reason)}\t${dash(l.error)}`);
  out(`${letters.length} dead letter${letters.length === 1 ? '' : 's'}${durable ? ` of ${durable}` : ''} in ${prefixStream(prefix, STREAM)}`);
}

/**
 * `npm run deadletters`: lists the dead letters (sequence, time, durable, original subject,
 * reason, error) or replays one — its original event published again on its original subject
 * with its original `ce-id`, so only the consumer that gave up handles it (every other one finds
 * the id in its inbox). The broker's dedupe id is fresh, or it would drop the copy. NATS_URL (a
 * comma-separated list for a cluster) and STREAM_PREFIX as for `npm run provision`. Returns the
 * exit code.
 *
 * @example
 * runDeadLetterCommand({ env: process.env, argv: ['replay', '42'], out: console.log, err: console.error });
 */
export async function runDeadLetterCommand({ env, argv, out, err }: DeadLetterCommandIo): Promise<number> {
  const [verb, ...rest] = argv;
  const durableAt = rest.indexOf('--durable');
  const durable = durableAt >= 0 ? rest[durableAt + 1] : undefined;
  const sequence = verb === 'replay' ? Number(rest[0]) : undefined;
  if ((verb !== 'list' && verb !== 'replay') || (verb === 'replay' && !(Number.isInteger(sequence) && (sequence ?? 0) > 0)) || (durableAt >= 0 && !durable)) {
    err(USAGE);
    return 2;
  }
  const prefix = env['STREAM_PREFIX'] ?? '';
  const stream = prefixStream(prefix, STREAM);
  const nc = await connect({ servers: (env['NATS_URL'] || 'nats://127.0.0.1:4222').split(',').map((s) => s.trim()), name: 'deadletters', timeout: 5_000 }).catch((e: unknown) => {
    err(`cannot reach NATS: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  });
  if (!nc) return 1;
  try {
    const jsm = await jetstreamManager(nc);
    if (verb === 'list') {
      await list(jsm, prefix, durable, out);
      return 0;
    }
    const replayed = await replayDeadLetter(nc, jsm, prefix, sequence as number);
    if (!replayed) {
      err(`no dead letter ${sequence} in ${stream}`);
      return 1;
    }
    out(`replayed dead letter ${sequence} (${replayed.durable}, ce-id ${replayed.eventId}) to ${replayed.subject}: stored as ${replayed.stored.stream} #${replayed.stored.seq}`);
    return 0;
  } catch (e) {
    err(`deadletters failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await nc.close();
  }
}
