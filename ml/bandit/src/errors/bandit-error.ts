/** Stable codes callers can branch on; messages are for humans and may change. */
export type BanditErrorCode =
  | 'BANDIT_DIMENSION_MISMATCH'
  | 'BANDIT_NO_CANDIDATES'
  | 'BANDIT_INVALID_ARGUMENT'
  | 'BANDIT_INVALID_STATE'
  | 'BANDIT_NOT_POSITIVE_DEFINITE';

/**
 * The one error class of `@oo/bandit`.
 *
 * @example
 * try { scorePolicy(model, policy, request); }
 * catch (e) { if (e instanceof BanditError && e.code === 'BANDIT_DIMENSION_MISMATCH') reject400(e); }
 */
export class BanditError extends Error {
  override readonly name = 'BanditError';
  readonly code: BanditErrorCode;

  constructor(code: BanditErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Throws `BANDIT_INVALID_ARGUMENT` unless `ok`; keeps argument checks one line long. */
export function assertArgument(ok: boolean, message: string): asserts ok {
  if (!ok) throw new BanditError('BANDIT_INVALID_ARGUMENT', message);
}
