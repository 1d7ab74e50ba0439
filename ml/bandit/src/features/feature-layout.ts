import { BanditError } from '../errors/bandit-error';
import { hashString } from '../random/seeded-rng';

/**
 * The ordered names of a model's dimensions. Model state is only meaningful together with its
 * layout; `version` is a hash of the names (order matters), so two services agree on a layout
 * without shipping the names around.
 */
export interface FeatureLayout {
  readonly names: readonly string[];
  readonly version: string;
}

/**
 * Creates a layout from ordered, unique, non-empty names.
 *
 * @example
 * const layout = createLayout(['bias', 'cand.is_overdue']);
 * layout.version; // 'fl-…' (16 hex digits)
 */
export function createLayout(names: readonly string[]): FeatureLayout {
  if (names.length === 0) throw new BanditError('BANDIT_INVALID_ARGUMENT', 'a layout needs at least one feature');
  const seen = new Set<string>();
  for (const name of names) {
    if (name.length === 0) throw new BanditError('BANDIT_INVALID_ARGUMENT', 'feature names must not be empty');
    if (seen.has(name)) throw new BanditError('BANDIT_INVALID_ARGUMENT', `duplicate feature name "${name}"`);
    seen.add(name);
  }
  return Object.freeze({ names: Object.freeze([...names]), version: layoutVersion(names) });
}

/**
 * The stable version string of an ordered list of names: 64 bits from two independent hashes.
 *
 * @example
 * layoutVersion(['a', 'b']) !== layoutVersion(['b', 'a']); // true
 */
export function layoutVersion(names: readonly string[]): string {
  // NUL cannot appear inside a reasonable feature name, so joining by it is unambiguous.
  const joined = names.join('\u0000');
  const high = hashString(joined, 0x811c9dc5).toString(16).padStart(8, '0');
  const low = hashString(joined, 0x2f8b3c1d).toString(16).padStart(8, '0');
  return `fl-${high}${low}`;
}

/** True when both layouts list the same names in the same order. */
export function sameLayout(a: FeatureLayout, b: FeatureLayout): boolean {
  return a.version === b.version && a.names.length === b.names.length && a.names.every((n, i) => n === b.names[i]);
}
