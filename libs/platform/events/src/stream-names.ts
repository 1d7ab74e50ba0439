import { EventsError } from './errors';

const PREFIX_PATTERN = /^[A-Za-z0-9_-]*$/;

/** Throws unless the prefix can sit in front of stream names and subjects (letters, digits, `_`, `-`). */
export function assertStreamPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new EventsError('EVENTS_DEFINITIONS_INVALID', `stream prefix "${prefix}" may only hold letters, digits, _ and -`);
  }
}

/** `signals.tip.served` → `t_x_ab12.signals.tip.served` under prefix `t_x_ab12`; unchanged without one. */
export function prefixSubject(prefix: string, subject: string): string {
  return prefix ? `${prefix}.${subject}` : subject;
}

/** The logical subject of a subject seen on the wire. */
export function unprefixSubject(prefix: string, subject: string): string {
  return prefix && subject.startsWith(`${prefix}.`) ? subject.slice(prefix.length + 1) : subject;
}

/** `SIGNALS` → `t_x_ab12_SIGNALS` under prefix `t_x_ab12`; unchanged without one. */
export function prefixStream(prefix: string, stream: string): string {
  return prefix ? `${prefix}_${stream}` : stream;
}

/** Where a consumer's dead letters go: `deadletter.<durable>`. */
export function deadLetterSubject(durable: string): string {
  return `deadletter.${durable}`;
}

/** True when every subject `candidate` can match is matched by `pattern` (NATS `*` and `>` rules). */
export function subjectCovers(pattern: string, candidate: string): boolean {
  const p = pattern.split('.');
  const c = candidate.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return c.length > i;
    if (i >= c.length || c[i] === '>') return false;
    if (p[i] !== '*' && (p[i] !== c[i] || c[i] === '*')) return false;
  }
  return p.length === c.length;
}
