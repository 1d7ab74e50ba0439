import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { EventsError } from './errors';
import { subjectCovers } from './stream-names';

// The streams and durable consumers of deploy/nats/, as data. Sizes and durations are written the
// way people read them ("30d", "1MiB") and converted here, once.

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const SIZE = /^(\d+)(B|KiB|MiB|GiB|TiB)$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_BYTES: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/**
 * A duration as people write it → milliseconds; units ms, s, m, h, d.
 *
 * @example
 * parseDurationMs('30s'); // 30000
 */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text);
  if (!m?.[1] || !m[2]) throw new EventsError('EVENTS_DEFINITIONS_INVALID', `"${text}" is not a duration like 30s or 7d`);
  return Number(m[1]) * (DURATION_MS[m[2]] ?? 0);
}

/**
 * A size as people write it → bytes; units B, KiB, MiB, GiB, TiB.
 *
 * @example
 * parseSizeBytes('1MiB'); // 1048576
 */
export function parseSizeBytes(text: string): number {
  const m = SIZE.exec(text);
  if (!m?.[1] || !m[2]) throw new EventsError('EVENTS_DEFINITIONS_INVALID', `"${text}" is not a size like 1MiB`);
  return Number(m[1]) * (SIZE_BYTES[m[2]] ?? 0);
}

const duration = z.string().regex(DURATION, 'a duration like 30s or 7d').transform(parseDurationMs);
const size = z.string().regex(SIZE, 'a size like 1MiB').transform(parseSizeBytes);
const subject = z.string().regex(/^([a-z0-9_-]+|\*)(\.([a-z0-9_-]+|\*))*(\.>)?$|^>$/, 'a NATS subject');

const streamSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'upper-case letters, digits and _'),
  description: z.string(),
  subjects: z.array(subject).min(1),
  storage: z.enum(['file', 'memory']),
  maxAge: duration,
  maxBytes: size,
  maxMsgSize: size,
  duplicateWindow: duration,
  replicas: z.number().int().min(1).max(5),
});

const consumerSchema = z.strictObject({
  durable: z.string().regex(/^[a-z][a-z0-9-]*__[a-z0-9_]+$/, '<service>__<purpose>'),
  description: z.string(),
  stream: z.string(),
  filterSubject: subject,
  ackWait: duration,
  maxDeliver: z.number().int().min(1),
  maxAckPending: z.number().int().min(1),
});

export const streamsFileSchema = z.strictObject({ $comment: z.string().optional(), streams: z.array(streamSchema) });
export const consumersFileSchema = z.strictObject({
  $comment: z.string().optional(),
  service: z.string().regex(/^[a-z][a-z0-9-]*$/),
  consumers: z.array(consumerSchema),
});

export type StreamDefinition = z.output<typeof streamSchema>;
export type ConsumerDefinition = z.output<typeof consumerSchema>;

/** Everything `provision` creates: streams, then the durable consumers on them. */
export interface NatsDefinitions {
  streams: StreamDefinition[];
  consumers: ConsumerDefinition[];
}

/**
 * The services with a durable consumer of `subject` (durables are `<service>__<purpose>`), sorted:
 * who takes part in a saga such as a deletion or an export, read from the one place that
 * declares it.
 *
 * @example
 * servicesConsuming(kit.natsDefinitions, 'users.deletion.requested'); // ['integrations', 'ml-serving', …]
 */
export function servicesConsuming({ consumers }: NatsDefinitions, subject: string): string[] {
  const services = consumers.filter((c) => c.filterSubject === subject).map((c) => c.durable.split('__')[0] ?? c.durable);
  return [...new Set(services)].sort();
}

function fail(message: string, cause?: unknown): never {
  throw new EventsError('EVENTS_DEFINITIONS_INVALID', message, { cause });
}

/**
 * Checks the definitions as a whole: unique names, each consumer on a known stream whose subjects
 * cover its filter, and durables named after the service whose file declares them.
 *
 * @example
 * const definitions = validateDefinitions(streams, [{ service: 'profile', consumers }]);
 */
export function validateDefinitions(streams: StreamDefinition[], files: { service: string; consumers: ConsumerDefinition[] }[]): NatsDefinitions {
  const byName = new Map(streams.map((s) => [s.name, s]));
  if (byName.size !== streams.length) fail('stream names must be unique');
  const durables = new Set<string>();
  for (const file of files) {
    for (const c of file.consumers) {
      if (!c.durable.startsWith(`${file.service}__`)) fail(`${c.durable} is declared by ${file.service}; name it ${file.service}__<purpose>`);
      if (durables.has(c.durable)) fail(`consumer ${c.durable} is declared twice`);
      durables.add(c.durable);
      const stream = byName.get(c.stream) ?? fail(`consumer ${c.durable} names unknown stream ${c.stream}`);
      if (!stream.subjects.some((s) => subjectCovers(s, c.filterSubject))) {
        fail(`consumer ${c.durable} filters ${c.filterSubject}, which stream ${c.stream} does not hold`);
      }
    }
  }
  return { streams, consumers: files.flatMap((f) => f.consumers) };
}

async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    fail(`cannot read ${path}`, cause);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    fail(`${path} is invalid:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data;
}

/**
 * Reads `streams.json` and `consumers/*.json` from a definitions folder (deploy/nats).
 *
 * @example
 * const definitions = await loadNatsDefinitions('deploy/nats');
 * await provision(bus.jsm, definitions, { prefix: '' });
 */
export async function loadNatsDefinitions(dir: string): Promise<NatsDefinitions> {
  const { streams } = await readJson(join(dir, 'streams.json'), streamsFileSchema);
  const consumerDir = join(dir, 'consumers');
  const names = (await readdir(consumerDir)).filter((n) => n.endsWith('.json')).sort();
  const files = await Promise.all(names.map((n) => readJson(join(consumerDir, n), consumersFileSchema)));
  files.forEach((f, i) => {
    if (`${f.service}.json` !== names[i]) fail(`${basename(names[i] ?? '')} declares service ${f.service}; the file must be ${f.service}.json`);
  });
  return validateDefinitions(streams, files);
}
