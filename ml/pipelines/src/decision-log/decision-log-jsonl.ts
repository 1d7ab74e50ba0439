import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fromJson, toJson, type JsonValue } from '@bufbuild/protobuf';
import { TipFeedbackSchema, TipServedSchema } from '@oo/contracts';
import type { LoggedTip } from '@oo/off-policy';

/** A line of the JSONL file that cannot be read as a decision. */
export class DecisionLogFileError extends Error {
  readonly code = 'PIPELINES_BAD_DECISION_LOG';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DecisionLogFileError';
  }
}

/**
 * One decision as a line of JSON: `{"served": <TipServed>, "feedback": [<TipFeedback>…],
 * "observedAt": "<RFC 3339>"}`, the messages in canonical protobuf JSON.
 *
 * @example
 * stream.write(`${formatDecisionLine(tip)}\n`);
 */
export function formatDecisionLine(tip: LoggedTip): string {
  return JSON.stringify({
    served: toJson(TipServedSchema, tip.served),
    feedback: tip.feedback.map((f) => toJson(TipFeedbackSchema, f)),
    observedAt: tip.observedAt.toISOString(),
  });
}

/**
 * Reads one line written by `formatDecisionLine`. Unknown fields are ignored, so files written by
 * a newer schema still load; `observedAt` defaults to `fallbackObservedAt` (files made by hand).
 *
 * @example
 * const tip = parseDecisionLine(line, 1, new Date());
 */
export function parseDecisionLine(line: string, lineNumber: number, fallbackObservedAt: Date): LoggedTip {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new DecisionLogFileError(`line ${lineNumber}: not JSON`, { cause });
  }
  if (typeof value !== 'object' || value === null || !('served' in value)) {
    throw new DecisionLogFileError(`line ${lineNumber}: expected an object with "served"`);
  }
  const record = value as { served: JsonValue; feedback?: unknown; observedAt?: unknown };
  const feedback = record.feedback ?? [];
  if (!Array.isArray(feedback)) throw new DecisionLogFileError(`line ${lineNumber}: "feedback" must be an array`);
  const observedAt = typeof record.observedAt === 'string' ? new Date(record.observedAt) : fallbackObservedAt;
  if (Number.isNaN(observedAt.getTime())) throw new DecisionLogFileError(`line ${lineNumber}: "observedAt" is not a time`);
  try {
    return {
      served: fromJson(TipServedSchema, record.served, { ignoreUnknownFields: true }),
      feedback: feedback.map((f: JsonValue) => fromJson(TipFeedbackSchema, f, { ignoreUnknownFields: true })),
      observedAt,
    };
  } catch (cause) {
    throw new DecisionLogFileError(`line ${lineNumber}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Streams a JSONL decision log from disk (blank lines are skipped).
 *
 * @example
 * const tips = await readDecisionLogFile('decisions.jsonl', new Date());
 */
export async function readDecisionLogFile(path: string, now: Date, onLine?: (count: number) => void): Promise<LoggedTip[]> {
  const input = createReadStream(path, { encoding: 'utf8' });
  await once(input, 'open').catch((cause: unknown) => {
    throw new DecisionLogFileError(`cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  });
  const tips: LoggedTip[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    tips.push(parseDecisionLine(line, lineNumber, now));
    onLine?.(tips.length);
  }
  return tips;
}

/**
 * Writes decisions as JSONL, respecting backpressure; resolves once the file is closed.
 *
 * @example
 * await writeDecisionLogFile('decisions.jsonl', log.tips);
 */
export async function writeDecisionLogFile(path: string, tips: Iterable<LoggedTip>): Promise<number> {
  const output = createWriteStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => output.once('error', reject));
  // Handled here so an error between two awaits is not an unhandled rejection; the races still see it.
  failed.catch(() => undefined);
  let count = 0;
  for (const tip of tips) {
    if (!output.write(`${formatDecisionLine(tip)}\n`)) await Promise.race([once(output, 'drain'), failed]);
    count++;
  }
  output.end();
  await Promise.race([once(output, 'finish'), failed]);
  return count;
}
