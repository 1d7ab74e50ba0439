import { headers as natsHeaders } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { DEAD_LETTER_HEADERS, prefixStream, prefixSubject } from '@oo/events';

export interface DeadLetterCommandIo {
  env: NodeJS.ProcessEnv;
  argv: readonly string[];
  out: (line: string) => void;
  err: (line: string) => void;
}

const STREAM = 'DEADLETTER';
const CE_ID = 'ce-id';
const DLQ_HEADER_NAMES = new Set<string>(Object.values(DEAD_LETTER_HEADERS));

const USAGE = 'usage: npm run deadletters -- list [--durable <durable>] | replay <sequence>';

async function list(jsm: JetStreamManager, stream: string, durable: string | undefined, out: (line: string) => void): Promise<void> {
  const { state } = await jsm.streams.info(stream);
  let shown = 0;
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    const h = (name: string) => m.header.get(name) || '-';
    if (durable && h(DEAD_LETTER_HEADERS.consumer) !== durable) continue;
    out(`${seq}\t${h(DEAD_LETTER_HEADERS.time)}\t${h(DEAD_LETTER_HEADERS.consumer)}\t${h(DEAD_LETTER_HEADERS.subject)}\t${h(DEAD_LETTER_HEADERS.reason)}\t${h(DEAD_LETTER_HEADERS.error)}`);
    shown++;
  }
  out(`${shown} dead letter${shown === 1 ? '' : 's'}${durable ? ` of ${durable}` : ''} in ${stream}`);
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
      await list(jsm, stream, durable, out);
      return 0;
    }
    const letter = await jsm.streams.getMessage(stream, { seq: sequence as number }).catch(() => null);
    const original = letter?.header.get(DEAD_LETTER_HEADERS.subject);
    if (!letter || !original) {
      err(`no dead letter ${sequence} in ${stream}`);
      return 1;
    }
    const headers = natsHeaders();
    for (const [name, values] of letter.header) if (!DLQ_HEADER_NAMES.has(name) && !name.toLowerCase().startsWith('nats-')) for (const v of values) headers.append(name, v);
    const id = letter.header.get(CE_ID) || `dead-letter-${sequence}`;
    const ack = await jetstream(nc).publish(prefixSubject(prefix, original), letter.data, { headers, msgID: `${id}:replay:${sequence}:${Date.now()}` });
    out(`replayed dead letter ${sequence} (${letter.header.get(DEAD_LETTER_HEADERS.consumer)}, ce-id ${id}) to ${original}: stored as ${ack.stream} #${ack.seq}`);
    return 0;
  } catch (e) {
    err(`deadletters failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await nc.close();
  }
}
