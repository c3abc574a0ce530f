// lnrpc.Lightning channel methods of the simulated lnd: open and close (streams, as lnd sends them), the three
// channel listings, fee report and policy updates with lnd's merge rules, channel info, forwards and balances.
import { randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { channelPoint, localMsat, other, reserveSat, type SimChannel } from "./channels.ts";
import type { Message, MethodSpec } from "./grpc-server.ts";
import {
  channelEdgeMessage,
  channelMessage,
  closeSummaryMessage,
  closeType,
  closedFor,
  limboSat,
  pendingChannelMessage,
} from "./lnd-channel-views.ts";
import { encodeListChannelsResponse } from "./lnd-channel-wire.ts";
import { READ, WRITE, outPointMessage, readChannelPoint, txidToBytes, type LndContext } from "./lnd-context.ts";
import { SimRpcError } from "./rpc-error.ts";

const num = (value: unknown) => Number(value ?? 0);
const optionalPositive = (value: unknown) => (num(value) > 0 ? num(value) : undefined);

/** Waits until `done()` holds after a block, or the client goes away. */
function untilBlock(context: LndContext, call: { on(event: "cancelled", fn: () => void): unknown }, done: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const events = context.network.events;
    const onBlock = () => {
      if (!done()) return;
      events.off("block", onBlock);
      resolve(true);
    };
    events.on("block", onBlock);
    call.on("cancelled", () => {
      events.off("block", onBlock);
      resolve(false);
    });
  });
}

function ownChannel(context: LndContext, point: Message | undefined): SimChannel {
  const { txid, vout } = readChannelPoint(point);
  const channel = context.network.findChannel(context.node, txid, vout);
  if (!channel) throw new SimRpcError("channel not found");
  return channel;
}

function openRequest(context: LndContext, request: Message) {
  const pubkeyBytes: Buffer = request.node_pubkey;
  const partnerPubkey = pubkeyBytes?.length ? pubkeyBytes.toString("hex") : String(request.node_pubkey_string ?? "");
  if (!/^0[23][0-9a-f]{64}$/.test(partnerPubkey)) throw new SimRpcError("unable to decode node public key");
  const minConfs = request.spend_unconfirmed ? 0 : num(request.min_confs) || 1;
  return context.network.openChannel(context.node, {
    partnerPubkey,
    localSat: num(request.local_funding_amount),
    pushSat: num(request.push_sat),
    isPrivate: !!request.private,
    memo: String(request.memo ?? ""),
    feeRate: optionalPositive(request.sat_per_vbyte),
    minConfs,
    baseFeeMsat: request.use_base_fee ? BigInt(request.base_fee ?? 0) : undefined,
    feeRatePpm: request.use_fee_rate ? num(request.fee_rate) : undefined,
    minHtlcMsat: num(request.min_htlc_msat) > 0 ? BigInt(request.min_htlc_msat) : undefined,
  });
}

function feeSums(context: LndContext): { day: bigint; week: bigint; month: bigint } {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const since = (days: number) => nowNs - BigInt(days) * 86_400_000_000_000n;
  const sum = (from: bigint) => context.node.forwards.filter((f) => f.timestampNs >= from).reduce((total, f) => total + f.feeMsat, 0n) / 1000n;
  return { day: sum(since(1)), week: sum(since(7)), month: sum(since(30)) };
}

/** lnd's UpdateChannelPolicy: base fee, rate and CLTV always replace; max HTLC 0, min HTLC unflagged and inbound unset keep. */
function updatePolicy(context: LndContext, request: Message): Message {
  const feeRate = Number(request.fee_rate ?? 0);
  const feeRatePpm = num(request.fee_rate_ppm);
  if (feeRate !== 0 && feeRatePpm !== 0) throw new SimRpcError("cannot set both FeeRate and FeeRatePpm at the same time", status.INVALID_ARGUMENT);
  if (feeRate !== 0 && feeRate < 1e-6) throw new SimRpcError(`fee rate of ${feeRate} is too small, min fee rate is 1e-06`);
  const rate = feeRate !== 0 ? Math.round(feeRate * 1e6) : feeRatePpm;
  const delta = num(request.time_lock_delta);
  if (delta < 18) throw new SimRpcError(`time lock delta of ${delta} is too small, minimum supported is 18`);
  if (delta > 65535) throw new SimRpcError(`time lock delta of ${delta} is too big, maximum supported is 65535`);
  const inbound: Message | null = request.inbound_fee ?? null;
  if (inbound && num(inbound.base_fee_msat) > 0) throw new SimRpcError(`positive values for inbound base fee msat are not supported: ${inbound.base_fee_msat}`);
  if (inbound && num(inbound.fee_rate_ppm) > 0) throw new SimRpcError(`positive values for inbound fee rate ppm are not supported: ${inbound.fee_rate_ppm}`);
  const mine = context.network.channelsOf(context.node);
  const failed: Message[] = [];
  let targets: SimChannel[];
  if (request.scope === "chan_point") {
    const { txid, vout } = readChannelPoint(request.chan_point);
    const channel = mine.find((c) => c.txid === txid && c.vout === vout && c.status !== "closed");
    if (!channel) failed.push({ outpoint: outPointMessage(txid, vout), reason: "UPDATE_FAILURE_NOT_FOUND", update_error: "not found" });
    else if (channel.status === "pending_open") {
      failed.push({ outpoint: outPointMessage(txid, vout), reason: "UPDATE_FAILURE_PENDING", update_error: "not yet confirmed" });
    }
    targets = channel && channel.status === "open" ? [channel] : [];
  } else {
    targets = mine.filter((c) => c.status === "open");
  }
  const now = Math.floor(Date.now() / 1000);
  for (const channel of targets) {
    const current = channel.policies.get(context.node.name);
    if (!current) continue;
    const next = { ...current, baseFeeMsat: BigInt(request.base_fee_msat ?? 0), feeRatePpm: rate, timeLockDelta: delta, lastUpdate: now };
    const maxAmt = BigInt(channel.capacity - reserveSat(channel.capacity)) * 1000n;
    if (BigInt(request.max_htlc_msat ?? 0) !== 0n) next.maxHtlcMsat = BigInt(request.max_htlc_msat);
    else if (next.maxHtlcMsat > maxAmt) next.maxHtlcMsat = maxAmt;
    if (request.min_htlc_msat_specified) next.minHtlcMsat = BigInt(request.min_htlc_msat ?? 0);
    if (inbound) {
      next.inboundBaseMsat = num(inbound.base_fee_msat);
      next.inboundFeeRatePpm = num(inbound.fee_rate_ppm);
    }
    const problem =
      next.minHtlcMsat < 1n
        ? `min htlc amount of ${next.minHtlcMsat} mSAT is below min htlc parameter of 1 mSAT`
        : next.maxHtlcMsat > maxAmt
          ? `max htlc size of ${next.maxHtlcMsat} mSAT is above max pending amount of ${maxAmt} mSAT`
          : next.minHtlcMsat > next.maxHtlcMsat
            ? `min_htlc ${next.minHtlcMsat} mSAT greater than max_htlc ${next.maxHtlcMsat} mSAT`
            : null;
    if (problem) {
      failed.push({ outpoint: outPointMessage(channel.txid, channel.vout), reason: "UPDATE_FAILURE_INVALID_PARAMETER", update_error: problem });
      continue;
    }
    channel.policies.set(context.node.name, next);
  }
  return { failed_updates: failed };
}

function forwardingHistory(context: LndContext, request: Message): Message {
  const startNs = BigInt(request.start_time ?? 0) * 1_000_000_000n;
  const endNs = num(request.end_time) > 0 ? BigInt(request.end_time) * 1_000_000_000n : BigInt(Date.now() + 1000) * 1_000_000n;
  const incoming: string[] = request.incoming_chan_ids ?? [];
  const outgoing: string[] = request.outgoing_chan_ids ?? [];
  const matching = context.node.forwards.filter(
    (f) =>
      f.timestampNs >= startNs &&
      f.timestampNs < endNs &&
      (incoming.length === 0 || incoming.includes(f.chanIdIn)) &&
      (outgoing.length === 0 || outgoing.includes(f.chanIdOut)),
  );
  const offset = num(request.index_offset);
  const page = matching.slice(offset, offset + (num(request.num_max_events) || 100));
  const aliasOf = (chanId: string) => {
    const channel = context.network.findByChanId(chanId);
    return request.peer_alias_lookup && channel ? other(channel, context.node).alias : "";
  };
  return {
    forwarding_events: page.map((f) => ({
      timestamp: (f.timestampNs / 1_000_000_000n).toString(),
      chan_id_in: f.chanIdIn,
      chan_id_out: f.chanIdOut,
      amt_in: (f.amtInMsat / 1000n).toString(),
      amt_out: (f.amtOutMsat / 1000n).toString(),
      fee: (f.feeMsat / 1000n).toString(),
      fee_msat: f.feeMsat.toString(),
      amt_in_msat: f.amtInMsat.toString(),
      amt_out_msat: f.amtOutMsat.toString(),
      timestamp_ns: f.timestampNs.toString(),
      peer_alias_in: aliasOf(f.chanIdIn),
      peer_alias_out: aliasOf(f.chanIdOut),
    })),
    last_offset_index: offset + page.length,
  };
}

export function channelMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network, chain } = context;
  const isActive = (channel: SimChannel) => channel.status === "open" && node.peers.has(other(channel, node).pubkey);
  return {
    OpenChannel: {
      permissions: WRITE.channels,
      stream: async (request, send, call) => {
        const channel = openRequest(context, request);
        send({ chan_pending: { txid: txidToBytes(channel.txid), output_index: channel.vout }, pending_chan_id: randomBytes(32) });
        if (await untilBlock(context, call, () => channel.status !== "pending_open")) {
          send({ chan_open: { channel_point: { funding_txid_bytes: txidToBytes(channel.txid), output_index: channel.vout } } });
        }
      },
    },
    OpenChannelSync: {
      permissions: WRITE.channels,
      unary: (request) => {
        const channel = openRequest(context, request);
        return { funding_txid_bytes: txidToBytes(channel.txid), output_index: channel.vout };
      },
    },
    CloseChannel: {
      permissions: WRITE.channels,
      stream: async (request, send, call) => {
        const channel = ownChannel(context, request.channel_point);
        const deliveryAddress = String(request.delivery_address ?? "") || undefined;
        const txid = network.closeChannel(node, channel, {
          force: !!request.force,
          feeRate: optionalPositive(request.sat_per_vbyte),
          maxFeeRate: optionalPositive(request.max_fee_per_vbyte),
          deliveryAddress,
        });
        send({ close_pending: { txid: txidToBytes(txid), output_index: 0, fee_per_vbyte: "0", local_close_tx: true } });
        if (request.no_wait) return;
        if (await untilBlock(context, call, () => channel.close?.height !== null)) {
          send({ chan_close: { closing_txid: txidToBytes(txid), success: true } });
        }
      },
    },
    ListChannels: {
      permissions: READ.offchain,
      serialize: encodeListChannelsResponse,
      unary: (request) => {
        const peer: Buffer | undefined = request.peer;
        const peerHex = peer?.length ? peer.toString("hex") : null;
        const channels = network
          .channelsOf(node)
          .filter((c) => c.status === "open")
          .filter((c) => !request.active_only || isActive(c))
          .filter((c) => !request.inactive_only || !isActive(c))
          .filter((c) => !request.public_only || !c.isPrivate)
          .filter((c) => !request.private_only || c.isPrivate)
          .filter((c) => peerHex === null || other(c, node).pubkey === peerHex);
        const now = Math.floor(Date.now() / 1000);
        return { channels: channels.map((c) => channelMessage(c, node, isActive(c), now)) };
      },
    },
    PendingChannels: {
      permissions: READ.offchain,
      unary: () => {
        const mine = network.channelsOf(node);
        const pendingOpen = mine.filter((c) => c.status === "pending_open");
        const waitingClose = mine.filter((c) => c.close && c.close.height === null);
        const forceClosing = mine.filter((c) => c.close?.force && c.close.height !== null && c.close.initiator === node.name && c.status !== "closed");
        const limbo = [...waitingClose, ...forceClosing].reduce((sum, c) => sum + limboSat(c, node), 0);
        return {
          total_limbo_balance: limbo.toString(),
          pending_open_channels: pendingOpen.map((c) => ({
            channel: pendingChannelMessage(c, node),
            commit_fee: c.commitFee.toString(),
            commit_weight: "1124",
            fee_per_kw: "2500",
            funding_expiry_blocks: 2016 - (chain.height - (chain.tx(c.txid)?.blockHeight ?? chain.height)),
            confirmations_until_active: Math.max(0, c.confirmationsRequired - chain.confirmations(c.txid)),
            confirmation_height: c.fundingHeight ?? 0,
          })),
          pending_closing_channels: [],
          waiting_close_channels: waitingClose.map((c) => ({
            channel: pendingChannelMessage(c, node),
            limbo_balance: limboSat(c, node).toString(),
            commitments: { local_txid: c.close?.force ? c.close.txid : "", remote_txid: "", remote_pending_txid: "", local_commit_fee_sat: String(c.commitFee), remote_commit_fee_sat: String(c.commitFee), remote_pending_commit_fee_sat: "0" },
            closing_txid: c.close?.txid ?? "",
            closing_tx_hex: "",
          })),
          pending_force_closing_channels: forceClosing.map((c) => ({
            channel: pendingChannelMessage(c, node),
            closing_txid: c.close?.txid ?? "",
            limbo_balance: limboSat(c, node).toString(),
            maturity_height: c.close?.maturityHeight ?? 0,
            blocks_til_maturity: Math.max(0, (c.close?.maturityHeight ?? 0) - chain.height),
            recovered_balance: "0",
            pending_htlcs: [],
            anchor: "LIMBO",
          })),
        };
      },
    },
    ClosedChannels: {
      permissions: READ.offchain,
      unary: (request) => {
        const wanted = new Set<string>();
        if (request.cooperative) wanted.add("COOPERATIVE_CLOSE");
        if (request.local_force) wanted.add("LOCAL_FORCE_CLOSE");
        if (request.remote_force) wanted.add("REMOTE_FORCE_CLOSE");
        const closed = network.channelsOf(node).filter((c) => closedFor(c, node) && (wanted.size === 0 || wanted.has(closeType(c, node))));
        return { channels: closed.map((c) => closeSummaryMessage(c, node, chain.genesisHash)) };
      },
    },
    FeeReport: {
      permissions: READ.offchain,
      unary: () => {
        const sums = feeSums(context);
        const open = network.channelsOf(node).filter((c) => c.status === "open");
        return {
          channel_fees: open.map((c) => {
            const policy = c.policies.get(node.name);
            return {
              chan_id: c.chanId,
              channel_point: channelPoint(c),
              base_fee_msat: String(policy?.baseFeeMsat ?? 0n),
              fee_per_mil: String(policy?.feeRatePpm ?? 0),
              fee_rate: (policy?.feeRatePpm ?? 0) / 1e6,
              inbound_base_fee_msat: policy?.inboundBaseMsat ?? 0,
              inbound_fee_per_mil: policy?.inboundFeeRatePpm ?? 0,
            };
          }),
          day_fee_sum: sums.day.toString(),
          week_fee_sum: sums.week.toString(),
          month_fee_sum: sums.month.toString(),
        };
      },
    },
    UpdateChannelPolicy: { permissions: WRITE.offchain, unary: (request) => updatePolicy(context, request) },
    GetChanInfo: {
      permissions: READ.info,
      unary: (request) => {
        const byId = String(request.chan_id ?? "0") !== "0" ? network.findByChanId(String(request.chan_id)) : undefined;
        const byPoint = request.chan_point ? network.channels.find((c) => channelPoint(c) === request.chan_point) : undefined;
        const channel = byId ?? byPoint;
        const visible = channel && channel.status === "open" && (!channel.isPrivate || channel.opener === node || channel.partner === node);
        if (!channel || !visible) throw new SimRpcError("edge not found");
        return channelEdgeMessage(channel);
      },
    },
    ForwardingHistory: { permissions: READ.offchain, unary: (request) => forwardingHistory(context, request) },
    ChannelBalance: {
      permissions: READ.offchain,
      unary: () => {
        const mine = network.channelsOf(node);
        const total = (channels: SimChannel[], side: (c: SimChannel) => bigint) => channels.reduce((sum, c) => sum + side(c), 0n);
        const open = mine.filter((c) => c.status === "open");
        const pending = mine.filter((c) => c.status === "pending_open");
        const amount = (msat: bigint) => ({ sat: (msat / 1000n).toString(), msat: msat.toString() });
        const local = total(open, (c) => localMsat(c, node));
        const pendingLocal = total(pending, (c) => localMsat(c, node));
        return {
          balance: (local / 1000n).toString(),
          pending_open_balance: (pendingLocal / 1000n).toString(),
          local_balance: amount(local),
          remote_balance: amount(total(open, (c) => localMsat(c, other(c, node)))),
          unsettled_local_balance: amount(0n),
          unsettled_remote_balance: amount(0n),
          pending_open_local_balance: amount(pendingLocal),
          pending_open_remote_balance: amount(total(pending, (c) => localMsat(c, other(c, node)))),
        };
      },
    },
  };
}
