// The relay's typed view of the eight relay-executed action kinds (DESIGN.md section 3), and the one function that
// turns a queued payload into it. Decoding and validation belong to the shared codec in offchain/actions; this
// module binds it and turns its rejections into failure 400, so a payload the relay cannot vouch for never runs.
import type { LvWallet } from "./config.ts";
import type { Outpoint } from "./ports.ts";

export const RELAY_KINDS = [
  "channel-open",
  "channel-close",
  "fee-policy",
  "rebalance-policy",
  "loop-out",
  "loop-in",
  "lv-transfer",
  "watchtower",
] as const;
export type RelayKind = (typeof RELAY_KINDS)[number];

export interface ChannelOpen {
  kind: "channel-open";
  peer: string;
  host: string;
  localSats: bigint;
  pushSats: bigint;
  private: boolean;
  baseFeeMsat: bigint;
  feePpm: bigint;
  cltvDelta: bigint;
}
export interface ChannelClose {
  kind: "channel-close";
  outpoint: Outpoint;
  force: boolean;
  maxFeeRate: bigint;
}
export interface FeePolicy {
  kind: "fee-policy";
  target: Outpoint | null;
  baseFeeMsat: bigint;
  feePpm: bigint;
  inboundBaseDiscountMsat: bigint;
  inboundPpmDiscount: bigint;
  cltvDelta: bigint;
}
export interface RebalancePolicy {
  kind: "rebalance-policy";
  minInboundPct: bigint;
  minOutboundPct: bigint;
  maxSwapFeePpm: bigint;
  budgetSats: bigint;
  budgetPeriod: bigint;
  maxInFlight: bigint;
  peers: string[];
}
export interface LoopOut {
  kind: "loop-out";
  amountSats: bigint;
  channel: Outpoint | null;
  dest: string;
  maxFeeSats: bigint;
}
export interface LoopIn {
  kind: "loop-in";
  amountSats: bigint;
  lastHop: string | null;
  maxFeeSats: bigint;
}
export interface LvTransfer {
  kind: "lv-transfer";
  from: LvWallet;
  to: LvWallet;
  amount: bigint;
}
export interface Watchtower {
  kind: "watchtower";
  add: boolean;
  pubkey: string;
  host: string;
}

export type RelayAction = ChannelOpen | ChannelClose | FeePolicy | RebalancePolicy | LoopOut | LoopIn | LvTransfer | Watchtower;
export type ActionOf<K extends RelayKind> = Extract<RelayAction, { kind: K }>;

export const isRelayKind = (kind: string): kind is RelayKind => (RELAY_KINDS as readonly string[]).includes(kind);

/** The idempotency key every daemon sees for this action: channel memo, loop label, tapd label. */
export const idempotencyKey = (id: bigint): string => `lvdao:${id}`;

/** Turns a queued payload into a typed action; throws PermanentFailure 400 when the relay cannot accept it. */
export type ActionDecoder = (kind: string, payload: Uint8Array) => RelayAction;
