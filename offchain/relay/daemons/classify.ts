// Maps the Lightning client layer's classified errors (offchain/lightning/errors.ts) onto the relay's failures:
// retryable stays retryable; the daemon refusing the request because of its state (or a fee quote over the
// payload's cap) is 409; a request the daemon
// calls malformed is 400. Problems on the relay's side (credentials, an unexpected answer, a missing RPC) are
// retryable: the action is not at fault, and another relay may carry it out.
import { LightningError } from "../../lightning/errors.ts";
import { conflict, invalid, RetryableFailure } from "../failure.ts";

export function toRelayFailure(error: unknown): Error {
  if (!(error instanceof LightningError)) return error as Error;
  if (error.retryable) return new RetryableFailure(error.message);
  switch (error.code) {
    case "NOT_FOUND":
    case "DAEMON_REFUSED":
    case "FEE_CAP_EXCEEDED":
      return conflict(error.message);
    case "INVALID_ARGUMENT":
      return invalid(error.message);
    default:
      return new RetryableFailure(error.message);
  }
}

export async function relayCall<T>(
  body: () => Promise<T>,
  classify: (error: unknown) => unknown = (e) => e,
): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw toRelayFailure(classify(error));
  }
}
