// A simulated channel as both ends see it, and the arithmetic lnd applies to it: anchor commitments (the opener
// pays the commitment fee and both 330-sat anchors), a 1% reserve, and per-side routing policies.
import type { SimLnd } from "./lnd-node.ts";

export interface ChannelPolicy {
  baseFeeMsat: bigint;
  feeRatePpm: number;
  timeLockDelta: number;
  minHtlcMsat: bigint;
  maxHtlcMsat: bigint;
  /** Inbound fees as lnd stores them: negative values are discounts. */
  inboundBaseMsat: number;
  inboundFeeRatePpm: number;
  disabled: boolean;
  lastUpdate: number;
}

export type ChannelStatus = "pending_open" | "open" | "waiting_close" | "pending_force_close" | "closed";
export type CloseType = "COOPERATIVE_CLOSE" | "LOCAL_FORCE_CLOSE" | "REMOTE_FORCE_CLOSE";

export interface ChannelClose {
  txid: string;
  /** Who closed: the node name. */
  initiator: string;
  force: boolean;
  /** Height the closing transaction confirmed at. */
  height: number | null;
  /** Sats each side got back without a timelock, by node name. */
  settled: Map<string, number>;
  /** The force-closer's own output, locked for csvDelay blocks. */
  timeLocked: number;
  maturityHeight: number | null;
  sweepTxid: string | null;
}

export interface SimChannel {
  txid: string;
  vout: number;
  capacity: number;
  opener: SimLnd;
  partner: SimLnd;
  /** Each side's balance in msat, by node name. */
  balanceMsat: Map<string, bigint>;
  pushSat: number;
  commitFee: number;
  isPrivate: boolean;
  /** The opener's memo; lnd keeps it only on the node that opened the channel. */
  memo: string;
  status: ChannelStatus;
  fundingHeight: number | null;
  confirmationsRequired: number;
  /** Short channel id as a decimal uint64 string; "0" until the funding transaction confirms. */
  chanId: string;
  policies: Map<string, ChannelPolicy>;
  close: ChannelClose | null;
  numUpdates: number;
  sentMsat: Map<string, bigint>;
  receivedMsat: Map<string, bigint>;
  csvDelay: number;
  openedAt: number;
}

export const ANCHORS_SAT = 660;
/** An anchor commitment with no HTLCs (weight 1124) at lnd's anchor fee-rate cap of 2,500 sat/kw. */
export const COMMIT_WEIGHT = 1124;
export const COMMIT_FEE_PER_KW = 2500;
export const COMMIT_FEE_SAT = Math.floor((COMMIT_WEIGHT * COMMIT_FEE_PER_KW) / 1000);
export const MIN_CHANNEL_SAT = 20_000;
export const MAX_CHANNEL_SAT = 16_777_215;

export const channelPoint = (channel: SimChannel) => `${channel.txid}:${channel.vout}`;
export const reserveSat = (capacity: number) => Math.max(354, Math.floor(capacity / 100));
export const other = (channel: SimChannel, node: SimLnd): SimLnd =>
  channel.opener === node ? channel.partner : channel.opener;
export const isMember = (channel: SimChannel, node: SimLnd) => channel.opener === node || channel.partner === node;
export const localMsat = (channel: SimChannel, node: SimLnd) => channel.balanceMsat.get(node.name) ?? 0n;
export const localSat = (channel: SimChannel, node: SimLnd) => Number(localMsat(channel, node) / 1000n);

/** What `node` can send now: its balance above its reserve (msat). */
export function spendableMsat(channel: SimChannel, node: SimLnd): bigint {
  const spare = localMsat(channel, node) - BigInt(reserveSat(channel.capacity)) * 1000n;
  return spare > 0n ? spare : 0n;
}

/** The short channel id lnd derives from the funding transaction's block position: height, index, output. */
export function shortChannelId(height: number, txIndex: number, vout: number): string {
  return ((BigInt(height) << 40n) | (BigInt(txIndex) << 16n) | BigInt(vout)).toString();
}

/** lnd's starting policy for a new channel: the node defaults, or the opener's `base_fee`/`fee_rate` choices. */
export function initialPolicy(
  capacity: number,
  now: number,
  overrides: { baseFeeMsat?: bigint; feeRatePpm?: number; minHtlcMsat?: bigint } = {},
  defaults = { baseFeeMsat: 1000n, feeRatePpm: 1, timeLockDelta: 80, minHtlcMsat: 1000n },
): ChannelPolicy {
  return {
    baseFeeMsat: overrides.baseFeeMsat ?? defaults.baseFeeMsat,
    feeRatePpm: overrides.feeRatePpm ?? defaults.feeRatePpm,
    timeLockDelta: defaults.timeLockDelta,
    minHtlcMsat: overrides.minHtlcMsat ?? defaults.minHtlcMsat,
    // lnd's max pending amount: the capacity less the reserve the peer asks us to keep.
    maxHtlcMsat: BigInt(capacity - reserveSat(capacity)) * 1000n,
    inboundBaseMsat: 0,
    inboundFeeRatePpm: 0,
    disabled: false,
    lastUpdate: now,
  };
}
