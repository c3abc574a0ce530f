// How one node sees a simulated channel, as lnd's ListChannels, PendingChannels, ClosedChannels and GetChanInfo
// messages. Pure: state in, message out.
import {
  ANCHORS_SAT,
  COMMIT_FEE_PER_KW,
  COMMIT_WEIGHT,
  channelPoint,
  localMsat,
  other,
  reserveSat,
  type ChannelPolicy,
  type SimChannel,
} from "./channels.ts";
import type { SimLnd } from "./lnd-node.ts";
import type { Message } from "./grpc-server.ts";

const DUST_LIMIT_SAT = 354;
const sat = (msat: bigint) => (msat / 1000n).toString();

// A channel's constraints never change after opening: built once per channel.
const constraintsCache = new WeakMap<SimChannel, Message>();
function constraints(channel: SimChannel, reserve: number): Message {
  let cached = constraintsCache.get(channel);
  if (!cached) {
    cached = {
      csv_delay: channel.csvDelay,
      chan_reserve_sat: reserve,
      dust_limit_sat: DUST_LIMIT_SAT,
      max_pending_amt_msat: ((BigInt(channel.capacity) - BigInt(reserve)) * 1000n).toString(),
      min_htlc_msat: 1,
      max_accepted_htlcs: 483,
    };
    constraintsCache.set(channel, cached);
  }
  return cached;
}

/**
 * Marks a channel message whose unchanging fields (key, point, id, capacity, flags, constraints, memo...) are those of
 * the one channel and side the token stands for, so the ListChannels writer may reuse their bytes.
 */
export const STATIC_FIELDS_TOKEN = Symbol("static channel fields");
const tokens = new WeakMap<SimChannel, Map<string, object>>();
function staticToken(channel: SimChannel, node: SimLnd): object {
  let sides = tokens.get(channel);
  if (!sides) {
    sides = new Map();
    tokens.set(channel, sides);
  }
  let token = sides.get(node.name);
  if (!token) {
    token = {};
    sides.set(node.name, token);
  }
  return token;
}

/**
 * lnd's lnrpc.Channel for `node`'s end of an open channel. Sats fields are numbers (protobufjs and the hand-written
 * ListChannels writer both take them; clients receive int64 either way).
 */
export function channelMessage(
  channel: SimChannel,
  node: SimLnd,
  active: boolean,
  nowSeconds = Math.floor(Date.now() / 1000),
): Message {
  const remote = other(channel, node);
  const reserve = reserveSat(channel.capacity);
  const isOpener = channel.opener === node;
  const age = nowSeconds - channel.openedAt;
  const limits = constraints(channel, reserve);
  return {
    active,
    remote_pubkey: remote.pubkey,
    channel_point: channelPoint(channel),
    chan_id: channel.chanId,
    capacity: channel.capacity,
    local_balance: Number(localMsat(channel, node) / 1000n),
    remote_balance: Number(localMsat(channel, remote) / 1000n),
    commit_fee: channel.commitFee,
    commit_weight: COMMIT_WEIGHT,
    fee_per_kw: COMMIT_FEE_PER_KW,
    unsettled_balance: 0,
    total_satoshis_sent: Number((channel.sentMsat.get(node.name) ?? 0n) / 1000n),
    total_satoshis_received: Number((channel.receivedMsat.get(node.name) ?? 0n) / 1000n),
    num_updates: channel.numUpdates,
    pending_htlcs: [],
    csv_delay: channel.csvDelay,
    private: channel.isPrivate,
    initiator: isOpener,
    chan_status_flags: "ChanStatusDefault",
    local_chan_reserve_sat: reserve,
    remote_chan_reserve_sat: reserve,
    static_remote_key: false,
    commitment_type: "ANCHORS",
    lifetime: age,
    uptime: age,
    close_address: "",
    push_amount_sat: channel.pushSat,
    thaw_height: 0,
    local_constraints: limits,
    remote_constraints: limits,
    alias_scids: [],
    zero_conf: false,
    zero_conf_confirmed_scid: "0",
    peer_alias: "",
    peer_scid_alias: "0",
    memo: isOpener ? channel.memo : "",
    // Open channels only: their short channel id is fixed by the time they are listed.
    [STATIC_FIELDS_TOKEN]: staticToken(channel, node),
  };
}

/** PendingChannelsResponse.PendingChannel. */
export function pendingChannelMessage(channel: SimChannel, node: SimLnd): Message {
  const remote = other(channel, node);
  const reserve = reserveSat(channel.capacity);
  return {
    remote_node_pub: remote.pubkey,
    channel_point: channelPoint(channel),
    capacity: channel.capacity.toString(),
    local_balance: sat(localMsat(channel, node)),
    remote_balance: sat(localMsat(channel, remote)),
    local_chan_reserve_sat: reserve.toString(),
    remote_chan_reserve_sat: reserve.toString(),
    initiator: channel.opener === node ? "INITIATOR_LOCAL" : "INITIATOR_REMOTE",
    commitment_type: "ANCHORS",
    num_forwarding_packages: "0",
    chan_status_flags:
      channel.status === "pending_open"
        ? "ChanStatusDefault"
        : "ChanStatusCoopBroadcasted|ChanStatusLocalCloseInitiator",
    private: channel.isPrivate,
    memo: channel.opener === node ? channel.memo : "",
  };
}

/** The sats `node` still waits for from a closing channel (lnd's limbo balance). */
export function limboSat(channel: SimChannel, node: SimLnd): number {
  const close = channel.close;
  if (!close) return 0;
  if (close.height === null) {
    const own = Number(localMsat(channel, node) / 1000n);
    return own + (channel.opener === node ? channel.commitFee + ANCHORS_SAT : 0);
  }
  return close.force && close.initiator === node.name && close.sweepTxid === null ? close.timeLocked : 0;
}

/** Whether `node` counts the channel as closed: fully resolved, or force-closed by the other side and confirmed. */
export function closedFor(channel: SimChannel, node: SimLnd): boolean {
  if (channel.status === "closed") return true;
  const close = channel.close;
  return !!close && close.force && close.height !== null && close.initiator !== node.name;
}

export function closeType(channel: SimChannel, node: SimLnd): string {
  if (!channel.close?.force) return "COOPERATIVE_CLOSE";
  return channel.close.initiator === node.name ? "LOCAL_FORCE_CLOSE" : "REMOTE_FORCE_CLOSE";
}

export function closeSummaryMessage(channel: SimChannel, node: SimLnd, chainHash: string): Message {
  const close = channel.close;
  const initiatedHere = close?.initiator === node.name;
  return {
    channel_point: channelPoint(channel),
    chan_id: channel.chanId,
    chain_hash: chainHash,
    closing_tx_hash: close?.txid ?? "",
    remote_pubkey: other(channel, node).pubkey,
    capacity: channel.capacity.toString(),
    close_height: close?.height ?? 0,
    settled_balance: (
      close?.settled.get(node.name) ?? (close?.force && initiatedHere ? close.timeLocked : 0)
    ).toString(),
    time_locked_balance: (close?.force && initiatedHere ? close.timeLocked : 0).toString(),
    close_type: closeType(channel, node),
    open_initiator: channel.opener === node ? "INITIATOR_LOCAL" : "INITIATOR_REMOTE",
    close_initiator: initiatedHere ? "INITIATOR_LOCAL" : "INITIATOR_REMOTE",
    resolutions: [],
    alias_scids: [],
    zero_conf_confirmed_scid: "0",
  };
}

export function routingPolicyMessage(policy: ChannelPolicy): Message {
  return {
    time_lock_delta: policy.timeLockDelta,
    min_htlc: policy.minHtlcMsat.toString(),
    fee_base_msat: policy.baseFeeMsat.toString(),
    fee_rate_milli_msat: policy.feeRatePpm.toString(),
    disabled: policy.disabled,
    max_htlc_msat: policy.maxHtlcMsat.toString(),
    last_update: policy.lastUpdate,
    custom_records: {},
    inbound_fee_base_msat: policy.inboundBaseMsat,
    inbound_fee_rate_milli_msat: policy.inboundFeeRatePpm,
  };
}

/** lnrpc.ChannelEdge: node1 is the node with the lexicographically smaller key, as in the channel announcement. */
export function channelEdgeMessage(channel: SimChannel): Message {
  const [node1, node2] = [channel.opener, channel.partner].sort((a, b) => (a.pubkey < b.pubkey ? -1 : 1)) as [
    SimLnd,
    SimLnd,
  ];
  const policy = (node: SimLnd) => channel.policies.get(node.name);
  const lastUpdate = Math.max(policy(node1)?.lastUpdate ?? 0, policy(node2)?.lastUpdate ?? 0);
  return {
    channel_id: channel.chanId,
    chan_point: channelPoint(channel),
    last_update: lastUpdate,
    node1_pub: node1.pubkey,
    node2_pub: node2.pubkey,
    capacity: channel.capacity.toString(),
    node1_policy: routingPolicyMessage(policy(node1) as ChannelPolicy),
    node2_policy: routingPolicyMessage(policy(node2) as ChannelPolicy),
    custom_records: {},
  };
}
