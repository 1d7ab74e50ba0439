/**
 * The element at `index`, failing the test loudly when it is missing — instead of the `!`
 * assertions lint forbids.
 *
 * @example
 * expect(at(result.probabilities, 0)).toBeCloseTo(0.85);
 */
export function at<T>(items: ArrayLike<T>, index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no element at index ${index} (length ${items.length})`);
  return item;
}

/**
 * The value, failing the test loudly when it is undefined.
 *
 * @example
 * const user = must(model.users.get('u1'));
 */
export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value, got undefined');
  return value;
}
