type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Applies an RFC 7396 JSON merge patch: members of an object patch are set, `null` removes a
 * member, nested objects merge recursively, and anything that is not an object (arrays included)
 * replaces the target whole. The target is not modified.
 *
 * @example
 * applyMergePatch({ timezone: 'UTC', quietHours: { start: '22:00', end: '07:00' } }, { quietHours: { end: '06:30' } })
 * // → { timezone: 'UTC', quietHours: { start: '22:00', end: '06:30' } }
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result as Json;
}
