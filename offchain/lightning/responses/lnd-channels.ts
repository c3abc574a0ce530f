// Pure mappers from lnd's channel answers (as the `lightning` package returns them) to the client layer's types.
// Each checks the fields it relies on and fails with UNEXPECTED_RESPONSE, so a daemon change shows up at the edge.
import type {
  GetChannelResult,
  GetChannelsResult,
  GetClosedChannelsResult,
  GetFeeRatesResult,
  GetPendingChannelsResult,
} from "lightning";
import { AnswerReader, type Outpoint } from "../validation.ts";

export type ChannelState = "opening" | "open" | "closing" | "closed";

/** One channel as the relay reconciles it: where it stands, its funding outpoint and the memo lnd kept. */
export interface ChannelRecord {
  state: ChannelState;
  channel: Outpoint;
  /** Short channel id "block x tx x output" (lnd's standard format), once confirmed. */
  id: string | null;
  peerPubkey: string;
  capacitySats: number;
  localSats: number;
  remoteSats: number;
  isPrivate: boolean;
  isActive: boolean;
  isOpener: boolean;
  /** lnd keeps the opener's memo on open and pending channels; it is gone once a channel is fully closed. */
  memo: string | null;
  closingTxid: string | null;
}

export interface LiquidityChannel {
  id: string;
  channel: Outpoint;
  peerPubkey: string;
  capacitySats: number;
  localSats: number;
  remoteSats: number;
  isActive: boolean;
  isPrivate: boolean;
}

export interface LiquidityScan {
  channels: LiquidityChannel[];
  localSats: number;
  remoteSats: number;
  capacitySats: number;
  activeChannels: number;
}

/** A node's own forwarding policy on one channel, inbound fees stated as lnd states them (negative = discount). */
export interface LocalPolicy {
  channel: Outpoint;
  id: string;
  baseFeeMsat: bigint;
  feeRatePpm: number;
  cltvDelta: number;
  minHtlcMsat: bigint;
  maxHtlcMsat: bigint;
  inboundBaseFeeMsat: number;
  inboundFeeRatePpm: number;
  isDisabled: boolean;
}

export interface ChannelFeeRate {
  id: string;
  channel: Outpoint;
  baseFeeMsat: bigint;
  feeRatePpm: number;
  /** lnd's inbound fee; negative values are discounts. */
  inboundBaseFeeMsat: number;
  inboundFeeRatePpm: number;
}

const read = (action: string) => new AnswerReader("lnd", action);

export function openChannelsFromLnd(answer: GetChannelsResult, action = "listChannels"): ChannelRecord[] {
  const r = read(action);
  return r.array(answer?.channels, "channels").map((value, index) => {
    const c = r.object(value, `channels[${index}]`);
    const description = c.description;
    return {
      state: "open" as const,
      channel: {
        txid: r.txid(c.transaction_id, "transaction_id"),
        vout: r.count(c.transaction_vout, "transaction_vout"),
      },
      id: r.string(c.id, "id"),
      peerPubkey: r.pubkey(c.partner_public_key, "partner_public_key"),
      capacitySats: r.count(c.capacity, "capacity"),
      localSats: r.count(c.local_balance, "local_balance"),
      remoteSats: r.count(c.remote_balance, "remote_balance"),
      isPrivate: r.boolean(c.is_private, "is_private"),
      isActive: r.boolean(c.is_active, "is_active"),
      isOpener: !r.boolean(c.is_partner_initiated, "is_partner_initiated"),
      memo: typeof description === "string" ? description : null,
      closingTxid: null,
    };
  });
}

export function pendingChannelsFromLnd(
  answer: GetPendingChannelsResult,
  action = "listPendingChannels",
): ChannelRecord[] {
  const r = read(action);
  return r.array(answer?.pending_channels, "pending_channels").map((value, index) => {
    const c = r.object(value, `pending_channels[${index}]`);
    const opening = r.boolean(c.is_opening, "is_opening");
    return {
      state: opening ? ("opening" as const) : ("closing" as const),
      channel: {
        txid: r.txid(c.transaction_id, "transaction_id"),
        vout: r.count(c.transaction_vout, "transaction_vout"),
      },
      id: null,
      peerPubkey: r.pubkey(c.partner_public_key, "partner_public_key"),
      capacitySats: r.count(c.capacity, "capacity"),
      localSats: r.count(c.local_balance, "local_balance"),
      remoteSats: r.count(c.remote_balance, "remote_balance"),
      isPrivate: c.is_private === true,
      isActive: false,
      isOpener: c.is_partner_initiated === false,
      memo: typeof c.description === "string" ? c.description : null,
      closingTxid: typeof c.close_transaction_id === "string" ? c.close_transaction_id : null,
    };
  });
}

export function closedChannelsFromLnd(answer: GetClosedChannelsResult, action = "listClosedChannels"): ChannelRecord[] {
  const r = read(action);
  return r.array(answer?.channels, "channels").map((value, index) => {
    const c = r.object(value, `channels[${index}]`);
    return {
      state: "closed" as const,
      channel: {
        txid: r.txid(c.transaction_id, "transaction_id"),
        vout: r.count(c.transaction_vout, "transaction_vout"),
      },
      id: typeof c.id === "string" ? c.id : null,
      peerPubkey: r.pubkey(c.partner_public_key, "partner_public_key"),
      capacitySats: r.count(c.capacity, "capacity"),
      localSats: r.count(c.final_local_balance, "final_local_balance"),
      remoteSats: 0,
      isPrivate: false,
      isActive: false,
      isOpener: c.is_partner_initiated === false,
      memo: null,
      closingTxid: typeof c.close_transaction_id === "string" ? c.close_transaction_id : null,
    };
  });
}

/** The relay's liquidity view: every open channel's balances plus totals. */
export function liquidityFromLnd(answer: GetChannelsResult, action = "scanLiquidity"): LiquidityScan {
  const r = read(action);
  const channels: LiquidityChannel[] = [];
  let localSats = 0;
  let remoteSats = 0;
  let capacitySats = 0;
  let activeChannels = 0;
  for (const value of r.array(answer?.channels, "channels")) {
    const c = value as Record<string, unknown>;
    const channel: LiquidityChannel = {
      id: r.string(c.id, "id"),
      channel: {
        txid: r.txid(c.transaction_id, "transaction_id"),
        vout: r.count(c.transaction_vout, "transaction_vout"),
      },
      peerPubkey: r.pubkey(c.partner_public_key, "partner_public_key"),
      capacitySats: r.count(c.capacity, "capacity"),
      localSats: r.count(c.local_balance, "local_balance"),
      remoteSats: r.count(c.remote_balance, "remote_balance"),
      isActive: r.boolean(c.is_active, "is_active"),
      isPrivate: r.boolean(c.is_private, "is_private"),
    };
    channels.push(channel);
    localSats += channel.localSats;
    remoteSats += channel.remoteSats;
    capacitySats += channel.capacitySats;
    if (channel.isActive) activeChannels += 1;
  }
  return { channels, localSats, remoteSats, capacitySats, activeChannels };
}

/** The policy `ownPubkey` announces on a channel, from lnd's GetChanInfo. */
export function localPolicyFromLnd(
  answer: GetChannelResult,
  ownPubkey: string,
  action = "getChannelPolicy",
): LocalPolicy {
  const r = read(action);
  const policies = r.array(answer?.policies, "policies");
  const own =
    policies.map((p) => r.object(p, "policy")).find((p) => p.public_key === ownPubkey) ??
    r.fail(`no policy of ${ownPubkey} on channel ${answer?.id}`);
  const discount = (value: unknown, what: string) => -r.signed(value ?? 0, what);
  return {
    channel: {
      txid: r.txid(answer.transaction_id, "transaction_id"),
      vout: r.count(answer.transaction_vout, "transaction_vout"),
    },
    id: r.string(answer.id, "id"),
    baseFeeMsat: r.amount(own.base_fee_mtokens, "base_fee_mtokens"),
    feeRatePpm: r.count(own.fee_rate, "fee_rate"),
    cltvDelta: r.count(own.cltv_delta, "cltv_delta"),
    minHtlcMsat: r.amount(own.min_htlc_mtokens, "min_htlc_mtokens"),
    maxHtlcMsat: r.amount(own.max_htlc_mtokens, "max_htlc_mtokens"),
    // `lightning` reports discounts (the negated inbound fee); lnd's own sign is restored here.
    inboundBaseFeeMsat: discount(own.inbound_base_discount_mtokens, "inbound_base_discount_mtokens"),
    inboundFeeRatePpm: discount(own.inbound_rate_discount, "inbound_rate_discount"),
    isDisabled: own.is_disabled === true,
  };
}

export function feeRatesFromLnd(answer: GetFeeRatesResult, action = "getFeeRates"): ChannelFeeRate[] {
  const r = read(action);
  return r.array(answer?.channels, "channels").map((value, index) => {
    const c = r.object(value, `channels[${index}]`);
    return {
      id: r.string(c.id, "id"),
      channel: {
        txid: r.txid(c.transaction_id, "transaction_id"),
        vout: r.count(c.transaction_vout, "transaction_vout"),
      },
      baseFeeMsat: r.amount(c.base_fee_mtokens, "base_fee_mtokens"),
      feeRatePpm: r.count(c.fee_rate, "fee_rate"),
      inboundBaseFeeMsat: -r.signed(c.inbound_base_discount_mtokens ?? 0, "inbound_base_discount_mtokens") || 0,
      inboundFeeRatePpm: -r.signed(c.inbound_rate_discount ?? 0, "inbound_rate_discount") || 0,
    };
  });
}
