import { z } from 'zod';
import { validate } from './validate';

/** Page sizes every list endpoint uses: `limit` defaults to 50, more than 100 is a 400. */
export const PAGE_LIMITS = Object.freeze({ default: 50, max: 100 });

// Opaque to clients; long enough for a timestamp and a UUID, short enough to bound the parse.
const MAX_CURSOR_CHARS = 512;

/** A page of a list: the items, and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A parsed `?limit=&cursor=`: the page size and the position after which the page starts. */
export interface PageRequest<K> {
  limit: number;
  after: K | undefined;
}

/**
 * Reads `limit` and `cursor` from a query string: `limit` 1–100 (default 50); `cursor` must be one
 * this API handed out, decoded with `keySchema`. Anything else is a 400 `VALIDATION_FAILED` naming
 * `query.limit` or `query.cursor`.
 *
 * @example
 * const { limit, after } = pageRequest(req.query, z.object({ purpose: z.string() }));
 */
export function pageRequest<K>(query: unknown, keySchema: z.ZodType<K>, limits: { default: number; max: number } = PAGE_LIMITS): PageRequest<K> {
  const cursorKey = z
    .string()
    .max(MAX_CURSOR_CHARS)
    .transform((cursor, ctx) => {
      const key = keySchema.safeParse(parseCursor(cursor));
      if (key.success) return key.data;
      ctx.addIssue({ code: 'custom', message: 'is not a cursor this endpoint returned' });
      return z.NEVER;
    });
  const schema = z.object({
    limit: z.coerce.number().int().min(1).max(limits.max).default(limits.default),
    cursor: cursorKey.optional(),
  });
  const { limit, cursor } = validate(schema, query ?? {}, 'query');
  return { limit, after: cursor };
}

/**
 * Turns rows read with `limit + 1` into a page: at most `limit` items, and a cursor naming the
 * last one when there was more.
 *
 * @example
 * const rows = await query.limit(limit + 1).execute();
 * res.json(toPage(rows, limit, (last) => ({ purpose: last.purpose })));
 */
export function toPage<T>(rows: readonly T[], limit: number, keyOf: (last: T) => unknown): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * An opaque cursor for a position in a list (base64url of its key as JSON).
 *
 * @example
 * encodeCursor({ servedAt: '2026-11-20T08:00:00.000Z', id: 'd1' });
 */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

// No cursor of ours holds a control character, and Postgres text cannot hold NUL: a crafted one
// is refused here rather than failing its query (a 500).
function hasControlCharacter(value: unknown): boolean {
  if (typeof value === 'string') return [...value].some((c) => c.charCodeAt(0) < 0x20);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasControlCharacter);
  return false;
}

function parseCursor(cursor: string): unknown {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return hasControlCharacter(key) ? undefined : key;
  } catch {
    return undefined;
  }
}
