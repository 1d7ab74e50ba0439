import { randomBytes } from 'node:crypto';

/** The parts of a W3C `traceparent` header (https://www.w3.org/TR/trace-context/). */
export interface TraceParent {
  traceId: string;
  /** The id of the span that sent the header (our parent). */
  parentId: string;
  flags: string;
}

const HEX_TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Parses a `traceparent` header; `undefined` when absent or invalid, so the caller starts a new
 * trace as the specification asks.
 *
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')?.traceId
 */
export function parseTraceparent(header: string | undefined): TraceParent | undefined {
  const match = header ? HEX_TRACEPARENT.exec(header.trim()) : null;
  if (!match) return undefined;
  const [, version, traceId = '', parentId = '', flags = '', rest] = match;
  // Version ff is forbidden; version 00 has no trailing fields; later versions may add some.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_SPAN_ID) return undefined;
  return { traceId, parentId, flags };
}

/** Formats a version-00 `traceparent` header. */
export function formatTraceparent(traceId: string, spanId: string, flags = '01'): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** A random 16-byte trace id, as 32 lower-case hex digits. */
export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

/** A random 8-byte span id, as 16 lower-case hex digits. */
export function newSpanId(): string {
  return randomBytes(8).toString('hex');
}
