// The unit of each numeric payload field, as the contracts and the relay read it (docs/design.md section 3), for
// `lvdao action kinds` and anything else that shows a payload to a person. Fields that are not amounts (keys,
// principals, flags, text) have none.
import { describe } from "./clarity.ts";
import { PAYLOAD_TYPES, type ActionKind, type FieldType } from "./kinds.ts";

export const FIELD_UNITS: Partial<Record<ActionKind, Readonly<Record<string, string>>>> = {
  "channel-open": {
    "local-sats": "sats",
    "push-sats": "sats",
    "base-fee-msat": "msat",
    "fee-ppm": "ppm of the amount forwarded",
    "cltv-delta": "blocks",
  },
  "channel-close": { vout: "output index", "max-fee-rate": "sat/vB" },
  "fee-policy": {
    "base-fee-msat": "msat",
    "fee-ppm": "ppm of the amount forwarded",
    "inbound-base-discount-msat": "msat",
    "inbound-ppm-discount": "ppm",
    "cltv-delta": "blocks",
  },
  "rebalance-policy": {
    "min-inbound-pct": "% of capacity",
    "min-outbound-pct": "% of capacity",
    "max-swap-fee-ppm": "ppm of the swap amount",
    "budget-sats": "sats per budget-period",
    "budget-period": "burn blocks",
    "max-in-flight": "swaps",
  },
  "loop-out": { "amount-sats": "sats", "max-fee-sats": "sats, all swap fees together" },
  "loop-in": { "amount-sats": "sats", "max-fee-sats": "sats, all swap fees together" },
  "lv-transfer": { amount: "LV base units" },
  "lv-allocation": { "infrastructure-bps": "bps", "channel-bps": "bps", "reserve-bps": "bps" },
  setting: { value: "the setting's own unit (docs/contracts.md)" },
  "gt-grant": { amount: "GT base units" },
  "treasury-transfer": { amount: "GT base units" },
};

export interface FieldLine {
  field: string;
  type: string;
  unit: string | null;
}

/** A kind's payload fields with their Clarity type (as `describe` writes it) and unit. */
export function kindFields(kind: ActionKind): FieldLine[] {
  const units: Readonly<Record<string, string>> = FIELD_UNITS[kind] ?? {};
  const fields: Readonly<Record<string, FieldType>> = PAYLOAD_TYPES[kind];
  return Object.entries(fields).map(([field, type]) => ({ field, type: describe(type), unit: units[field] ?? null }));
}
