// The action kinds (docs/design.md section 3, plus guardian-set, contract-proposal, treasury-transfer, vault-set
// and lv-pricing from docs/contracts.md) and the Clarity tuple type of each kind's payload. Everything else in the
// codec is driven by this table.

export type FieldType =
  /** A Clarity uint; typed as a bigint, or as a number where `number` is set (see Outpoint in types.ts). */
  | { t: "uint"; number?: true }
  | { t: "bool" }
  | { t: "principal" }
  | { t: "ascii"; max: number }
  | { t: "buff"; max: number }
  | { t: "optional"; of: FieldType }
  | { t: "list"; of: FieldType; max: number }
  | { t: "tuple"; fields: Readonly<Record<string, FieldType>> };

const uint: FieldType = { t: "uint" };
const bool: FieldType = { t: "bool" };
const principal: FieldType = { t: "principal" };
const ascii = (max: number): FieldType => ({ t: "ascii", max });
const buff = (max: number): FieldType => ({ t: "buff", max });
const optional = (of: FieldType): FieldType => ({ t: "optional", of });
const vout: FieldType = { t: "uint", number: true };
const outpoint: FieldType = { t: "tuple", fields: { txid: buff(32), vout } };
/** A BIP-32 extended public key: the 78 serialized bytes (the base58check payload without its checksum). */
const xpub = buff(78);

/** Each kind's tuple, with the payload field names of docs/design.md. */
export const PAYLOAD_TYPES = {
  "channel-open": {
    peer: buff(33),
    host: ascii(64),
    "local-sats": uint,
    "push-sats": uint,
    private: bool,
    "base-fee-msat": uint,
    "fee-ppm": uint,
    "cltv-delta": uint,
  },
  "channel-close": { txid: buff(32), vout, force: bool, "max-fee-rate": uint },
  "fee-policy": {
    target: optional(outpoint),
    "base-fee-msat": uint,
    "fee-ppm": uint,
    "inbound-base-discount-msat": uint,
    "inbound-ppm-discount": uint,
    "cltv-delta": uint,
  },
  "rebalance-policy": {
    "min-inbound-pct": uint,
    "min-outbound-pct": uint,
    "max-swap-fee-ppm": uint,
    "budget-sats": uint,
    "budget-period": uint,
    "max-in-flight": uint,
    peers: { t: "list", of: buff(33), max: 16 },
  },
  "loop-out": { "amount-sats": uint, channel: optional(outpoint), dest: ascii(90), "max-fee-sats": uint },
  "loop-in": { "amount-sats": uint, "last-hop": optional(buff(33)), "max-fee-sats": uint },
  "lv-transfer": { from: ascii(16), to: ascii(16), amount: uint },
  watchtower: { add: bool, pubkey: buff(33), host: ascii(64) },
  "lv-allocation": { "infrastructure-bps": uint, "channel-bps": uint, "reserve-bps": uint },
  "relay-set": { relay: principal, enabled: bool },
  setting: { key: ascii(32), value: uint },
  "gt-grant": { recipient: principal, amount: uint },
  "member-attestor": { attestor: principal, enabled: bool },
  "guardian-set": { guardian: principal, enabled: bool },
  "contract-proposal": { proposal: principal, "code-hash": buff(32) },
  "treasury-transfer": { recipient: principal, amount: uint },
  "vault-set": {
    "descriptor-hash": buff(32),
    "relay-key": xpub,
    "cosigner-key": xpub,
    "guardian-keys": { t: "list", of: xpub, max: 7 },
    "guardian-threshold": uint,
    "recovery-older": uint,
    "last-resort-key": xpub,
    "last-resort-older": uint,
    "max-fee-rate": uint,
  },
  "lv-pricing": {
    "reference-msat": uint,
    "spread-bps": uint,
    "target-inbound-bps": uint,
    "premium-slope-bps": uint,
    "max-premium-bps": uint,
    "quote-ttl": uint,
    "max-trade-lv": uint,
    "max-period-lv": uint,
    period: uint,
  },
} as const satisfies Record<string, Record<string, FieldType>>;

export type ActionKind = keyof typeof PAYLOAD_TYPES;
export const ACTION_KINDS = Object.keys(PAYLOAD_TYPES) as ActionKind[];

/** Kinds the relay carries out against lnd, tapd and loopd. */
export const RELAY_KINDS = [
  "channel-open",
  "channel-close",
  "fee-policy",
  "rebalance-policy",
  "loop-out",
  "loop-in",
  "lv-transfer",
  "watchtower",
] as const satisfies readonly ActionKind[];
export type RelayKind = (typeof RELAY_KINDS)[number];

/** Kinds applied on-chain by proposals.conclude (contract-proposal: by proposals.execute-proposal). */
export const CHAIN_KINDS = [
  "lv-allocation",
  "relay-set",
  "setting",
  "gt-grant",
  "member-attestor",
  "guardian-set",
  "contract-proposal",
  "treasury-transfer",
  "vault-set",
  "lv-pricing",
] as const satisfies readonly ActionKind[];
export type ChainKind = (typeof CHAIN_KINDS)[number];

export const LV_WALLETS = ["reserve", "withdrawal", "operations"] as const;
export type LvWallet = (typeof LV_WALLETS)[number];

export function isActionKind(kind: string): kind is ActionKind {
  return Object.hasOwn(PAYLOAD_TYPES, kind);
}
export function isRelayKind(kind: string): kind is RelayKind {
  return (RELAY_KINDS as readonly string[]).includes(kind);
}
export function isChainKind(kind: string): kind is ChainKind {
  return (CHAIN_KINDS as readonly string[]).includes(kind);
}

/** `local-sats` -> `localSats`. */
export function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
