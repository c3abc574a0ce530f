// Words for a mined transaction's outcome: the contract's error name and its one-line description (from the
// error table generated from contracts/*.clar), or what a post-condition abort means.
import { ERROR_DESCRIPTIONS, errorName } from "../../../clarity/errors.ts";
import type { TxState } from "../stacks/api.ts";

/** "(ok u3)" -> 3n; anything else -> null. */
export function okUint(result: string): bigint | null {
  const match = /^\(ok u(\d+)\)$/.exec(result.trim());
  return match ? BigInt(match[1]!) : null;
}

/** "contract.ERR_NAME: description" for an error code, or "error uN" for a code no contract defines. */
export function describeErrorCode(code: bigint): string {
  const name = errorName(code);
  const description = ERROR_DESCRIPTIONS[Number(code)];
  return name ? `${name}${description ? `: ${description}` : ""}` : `error u${code}`;
}

export function explainFailure(tx: TxState): string {
  if (tx.status === "abort_by_post_condition") {
    return (
      "aborted by a post-condition: the call would have moved GT other than what you approved, " +
      "so nothing changed but the fee"
    );
  }
  if (tx.status === "dropped") return "the node dropped the transaction";
  const match = /^\(err u(\d+)\)$/.exec(tx.result.trim());
  if (match) return describeErrorCode(BigInt(match[1]!));
  return `the transaction failed: ${tx.result || tx.status}`;
}
