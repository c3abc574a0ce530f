// How the relay classifies what went wrong, so the executor can tell a retry from a receipt.
// Permanent failures carry the code the relay reports on-chain with `report-failure`; retryable ones are retried
// locally while the claim lease lasts, then reported with `retryable true` so the action returns to the queue.

/** The failure codes of docs/design.md section 4, reported on-chain with `report-failure`. */
export const FAILURE_CODE = {
  /** The payload fails the relay's own validation. */
  invalid: 400,
  /** The action is over an operator limit in the relay config; it never runs. */
  overLimit: 403,
  /** The action conflicts with the node's state (an unknown channel, insufficient funds). */
  conflict: 409,
  /** A daemon stayed unreachable or timed out until the lease ran short. */
  unavailable: 503,
} as const;

export type PermanentCode = typeof FAILURE_CODE.invalid | typeof FAILURE_CODE.overLimit | typeof FAILURE_CODE.conflict;

/** A failure that will not change by trying again: the action ends with this code. */
export class PermanentFailure extends Error {
  override readonly name = "PermanentFailure";
  constructor(
    readonly code: PermanentCode,
    readonly reason: string,
  ) {
    super(`${code} ${reason}`);
  }
}

/** A failure that may pass on its own: a daemon unreachable, a timeout, a node still syncing. */
export class RetryableFailure extends Error {
  override readonly name = "RetryableFailure";
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export const invalid = (reason: string): PermanentFailure => new PermanentFailure(FAILURE_CODE.invalid, reason);
export const overLimit = (reason: string): PermanentFailure => new PermanentFailure(FAILURE_CODE.overLimit, reason);
export const conflict = (reason: string): PermanentFailure => new PermanentFailure(FAILURE_CODE.conflict, reason);

/**
 * Anything thrown that is not already classified is treated as retryable: an unexpected error must never end an
 * action for good, and the idempotency keys make the retry safe.
 */
export function classify(error: unknown): PermanentFailure | RetryableFailure {
  if (error instanceof PermanentFailure || error instanceof RetryableFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RetryableFailure(message, { cause: error });
}

/** `report-failure` takes a (string-ascii 160) detail: printable ASCII, cut to fit. */
export function failureDetail(reason: string): string {
  const ascii = reason.replace(/[^\x20-\x7e]/g, "?");
  return ascii.length <= 160 ? ascii : `${ascii.slice(0, 157)}...`;
}
