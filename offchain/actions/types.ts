// Typed payloads: camelCase properties, every Clarity uint a bigint but an outpoint's vout, buffers as lowercase
// hex without 0x, principals as strings, optionals as null when absent.
import type { ActionKind, LvWallet } from "./kinds.ts";

/**
 * A transaction output: its txid (lowercase hex, display order) and its index. The one definition, used by the
 * payloads, offchain/lightning and the relay alike.
 *
 * `vout` is a number although the payload carries a Clarity uint: an output index is a u32 (the payload rules
 * refuse 2^32 and above), which a number holds exactly, and it is what the daemons take and return (lnd's
 * output_index, `txid:vout` strings, the 4-byte evidence). So the codec converts at the Clarity boundary, where
 * it checks the value, and nothing past it converts again. The codec carries any safe integer, so an out-of-range
 * vout still reaches validateAction and gets the contract's ERR_BAD_OUTPOINT.
 */
export interface Outpoint {
  txid: string;
  vout: number;
}

export interface ChannelOpen {
  peer: string;
  host: string;
  localSats: bigint;
  pushSats: bigint;
  private: boolean;
  baseFeeMsat: bigint;
  feePpm: bigint;
  cltvDelta: bigint;
}
export interface ChannelClose extends Outpoint {
  force: boolean;
  maxFeeRate: bigint;
}
export interface FeePolicy {
  target: Outpoint | null;
  baseFeeMsat: bigint;
  feePpm: bigint;
  inboundBaseDiscountMsat: bigint;
  inboundPpmDiscount: bigint;
  cltvDelta: bigint;
}
export interface RebalancePolicy {
  minInboundPct: bigint;
  minOutboundPct: bigint;
  maxSwapFeePpm: bigint;
  budgetSats: bigint;
  budgetPeriod: bigint;
  maxInFlight: bigint;
  peers: string[];
}
export interface LoopOut {
  amountSats: bigint;
  channel: Outpoint | null;
  dest: string;
  maxFeeSats: bigint;
}
export interface LoopIn {
  amountSats: bigint;
  lastHop: string | null;
  maxFeeSats: bigint;
}
export interface LvTransfer {
  from: LvWallet | string;
  to: LvWallet | string;
  amount: bigint;
}
export interface Watchtower {
  add: boolean;
  pubkey: string;
  host: string;
}
export interface LvAllocation {
  infrastructureBps: bigint;
  channelBps: bigint;
  reserveBps: bigint;
}
export interface RelaySet {
  relay: string;
  enabled: boolean;
}
export interface Setting {
  key: string;
  value: bigint;
}
export interface GtGrant {
  recipient: string;
  amount: bigint;
}
export interface MemberAttestor {
  attestor: string;
  enabled: boolean;
}
export interface GuardianSet {
  guardian: string;
  enabled: boolean;
}
/** `codeHash`: SHA-512/256 of the contract's source as deployed, what Clarity's `contract-hash?` returns. */
export interface ContractProposal {
  proposal: string;
  codeHash: string;
}
export interface TreasuryTransfer {
  recipient: string;
  amount: bigint;
}

/**
 * The DAO's Taproot vault (docs/vault.md). `descriptorHash`: sha256 of the descriptor text as offchain/vault prints
 * it; the keys are BIP-32 extended public keys as their 78 serialized bytes (hex); timelocks in blocks
 * (`older(N)`); `maxFeeRate` in sat/vB.
 */
export interface VaultSet {
  descriptorHash: string;
  relayKey: string;
  cosignerKey: string;
  guardianKeys: string[];
  guardianThreshold: bigint;
  recoveryOlder: bigint;
  lastResortKey: string;
  lastResortOlder: bigint;
  maxFeeRate: bigint;
}
/**
 * The LV desk's price rule (docs/market.md "Pricing"): msat per LV base unit, bps, seconds, LV base units, and the
 * trade-summary period in Stacks blocks.
 */
export interface LvPricingPayload {
  referenceMsat: bigint;
  spreadBps: bigint;
  targetInboundBps: bigint;
  premiumSlopeBps: bigint;
  maxPremiumBps: bigint;
  quoteTtl: bigint;
  maxTradeLv: bigint;
  maxPeriodLv: bigint;
  period: bigint;
}

export interface PayloadOf {
  "channel-open": ChannelOpen;
  "channel-close": ChannelClose;
  "fee-policy": FeePolicy;
  "rebalance-policy": RebalancePolicy;
  "loop-out": LoopOut;
  "loop-in": LoopIn;
  "lv-transfer": LvTransfer;
  watchtower: Watchtower;
  "lv-allocation": LvAllocation;
  "relay-set": RelaySet;
  setting: Setting;
  "gt-grant": GtGrant;
  "member-attestor": MemberAttestor;
  "guardian-set": GuardianSet;
  "contract-proposal": ContractProposal;
  "treasury-transfer": TreasuryTransfer;
  "vault-set": VaultSet;
  "lv-pricing": LvPricingPayload;
}

/** One action: its kind and its typed payload. */
export type Action = { [K in ActionKind]: { kind: K; payload: PayloadOf[K] } }[ActionKind];
export type ActionOf<K extends ActionKind> = { kind: K; payload: PayloadOf[K] };
