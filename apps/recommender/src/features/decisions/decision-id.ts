import { randomUUID } from 'node:crypto';

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids sort by time, so the
 * decisions table's primary key index grows at its end instead of splitting pages everywhere.
 * The random bits come from `randomUUID`, which draws from a pooled buffer (filling 16 bytes per
 * call costs a system call each time).
 *
 * @example
 * uuidv7(new Date()); // "0193a4f2-6c1e-7d40-9b1a-3f2e8c5d7a10"
 */
export function uuidv7(now: Date): string {
  const time = now.getTime().toString(16).padStart(12, '0');
  // A v4 UUID is xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx with the RFC variant already in N.
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

/** Any RFC 9562 UUID (lower or upper case); the only shape a decision id can have. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
