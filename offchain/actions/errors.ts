// Codec errors carry the error name the contracts use (action-validator's ERR_* names, see contracts/ERRORS.md),
// the payload field at fault, and a reason for people.
import { ACTION_KINDS } from "./kinds.ts";

export type ActionErrorName =
  | "ERR_UNKNOWN_KIND"
  | "ERR_MALFORMED_PAYLOAD"
  | "ERR_BAD_PUBKEY"
  | "ERR_BAD_HOST"
  | "ERR_CHANNEL_SIZE"
  | "ERR_PUSH_EXCEEDS_LOCAL"
  | "ERR_BASE_FEE"
  | "ERR_FEE_PPM"
  | "ERR_CLTV_DELTA"
  | "ERR_INBOUND_DISCOUNT"
  | "ERR_BAD_OUTPOINT"
  | "ERR_FEE_RATE"
  | "ERR_PCT"
  | "ERR_ZERO_AMOUNT"
  | "ERR_BUDGET_PERIOD"
  | "ERR_IN_FLIGHT"
  | "ERR_DUPLICATE_PEER"
  | "ERR_LOOP_AMOUNT"
  | "ERR_LOOP_FEE"
  | "ERR_BAD_DEST"
  | "ERR_BAD_WALLET"
  | "ERR_SAME_WALLET"
  | "ERR_GRANT_TOO_LARGE"
  | "ERR_BPS_SUM"
  | "ERR_UNKNOWN_KEY"
  | "ERR_SETTING_BOUNDS"
  | "ERR_NOT_CONTRACT"
  | "ERR_TRANSFER_TOO_LARGE"
  | "ERR_DESCRIPTOR_HASH"
  | "ERR_BAD_XPUB"
  | "ERR_NO_GUARDIANS"
  | "ERR_DUPLICATE_KEY"
  | "ERR_GUARDIAN_THRESHOLD"
  | "ERR_RECOVERY_OLDER"
  | "ERR_LAST_RESORT_OLDER"
  | "ERR_VAULT_FEE_RATE"
  | "ERR_REFERENCE_PRICE"
  | "ERR_SPREAD"
  | "ERR_TARGET_INBOUND"
  | "ERR_PREMIUM_SLOPE"
  | "ERR_MAX_PREMIUM"
  | "ERR_QUOTE_TTL"
  | "ERR_TRADE_LIMIT"
  | "ERR_PERIOD_LIMIT"
  | "ERR_PRICING_PERIOD"
  // only from a check against the deployed source: the codec alone cannot see the chain
  | "ERR_CONTRACT_MISSING"
  | "ERR_CODE_HASH";

export class ActionError extends Error {
  override readonly name = "ActionError";
  constructor(
    readonly code: ActionErrorName,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`${code}${field ? ` (${field})` : ""}: ${reason}`);
  }
}

export function fail(code: ActionErrorName, field: string | null, reason: string): never {
  throw new ActionError(code, field, reason);
}

/** ERR_UNKNOWN_KIND for `kind`, naming the kinds there are. */
export function unknownKind(kind: string): never {
  return fail(
    "ERR_UNKNOWN_KIND",
    null,
    `${JSON.stringify(kind)} is not an action kind (kinds: ${ACTION_KINDS.join(", ")})`,
  );
}
