// lnrpc.Lightning routing methods of the simulated lnd: the fee report, policy updates with lnd's merge rules,
// channel info (the graph edge with both policies) and forwarding history.
import { status } from "@grpc/grpc-js";
import { channelPoint, other, reserveSat, type SimChannel } from "./channels.ts";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { channelEdgeMessage } from "./lnd-channel-views.ts";
import { READ, WRITE, outPointMessage, readChannelPoint, type LndContext } from "./lnd-context.ts";
import { SimRpcError } from "./rpc-error.ts";

const num = (value: unknown) => Number(value ?? 0);

function feeSums(context: LndContext): { day: bigint; week: bigint; month: bigint } {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const since = (days: number) => nowNs - BigInt(days) * 86_400_000_000_000n;
  const sum = (from: bigint) =>
    context.node.forwards.filter((f) => f.timestampNs >= from).reduce((total, f) => total + f.feeMsat, 0n) / 1000n;
  return { day: sum(since(1)), week: sum(since(7)), month: sum(since(30)) };
}

/** lnd's UpdateChannelPolicy: base fee, rate and CLTV always replace; max HTLC 0, min HTLC unflagged and inbound unset keep. */
function updatePolicy(context: LndContext, request: Message): Message {
  const feeRate = Number(request.fee_rate ?? 0);
  const feeRatePpm = num(request.fee_rate_ppm);
  if (feeRate !== 0 && feeRatePpm !== 0)
    throw new SimRpcError("cannot set both FeeRate and FeeRatePpm at the same time", status.INVALID_ARGUMENT);
  if (feeRate !== 0 && feeRate < 1e-6)
    throw new SimRpcError(`fee rate of ${feeRate} is too small, min fee rate is 1e-06`);
  const rate = feeRate !== 0 ? Math.round(feeRate * 1e6) : feeRatePpm;
  const delta = num(request.time_lock_delta);
  if (delta < 18) throw new SimRpcError(`time lock delta of ${delta} is too small, minimum supported is 18`);
  if (delta > 65535) throw new SimRpcError(`time lock delta of ${delta} is too big, maximum supported is 65535`);
  const inbound: Message | null = request.inbound_fee ?? null;
  if (inbound && num(inbound.base_fee_msat) > 0)
    throw new SimRpcError(`positive values for inbound base fee msat are not supported: ${inbound.base_fee_msat}`);
  if (inbound && num(inbound.fee_rate_ppm) > 0)
    throw new SimRpcError(`positive values for inbound fee rate ppm are not supported: ${inbound.fee_rate_ppm}`);
  const mine = context.network.channelsOf(context.node);
  const failed: Message[] = [];
  let targets: SimChannel[];
  if (request.scope === "chan_point") {
    const { txid, vout } = readChannelPoint(request.chan_point);
    const channel = mine.find((c) => c.txid === txid && c.vout === vout && c.status !== "closed");
    if (!channel)
      failed.push({
        outpoint: outPointMessage(txid, vout),
        reason: "UPDATE_FAILURE_NOT_FOUND",
        update_error: "not found",
      });
    else if (channel.status === "pending_open") {
      failed.push({
        outpoint: outPointMessage(txid, vout),
        reason: "UPDATE_FAILURE_PENDING",
        update_error: "not yet confirmed",
      });
    }
    targets = channel && channel.status === "open" ? [channel] : [];
  } else {
    targets = mine.filter((c) => c.status === "open");
  }
  const now = Math.floor(Date.now() / 1000);
  for (const channel of targets) {
    const current = channel.policies.get(context.node.name);
    if (!current) continue;
    const next = {
      ...current,
      baseFeeMsat: BigInt(request.base_fee_msat ?? 0),
      feeRatePpm: rate,
      timeLockDelta: delta,
      lastUpdate: now,
    };
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
      failed.push({
        outpoint: outPointMessage(channel.txid, channel.vout),
        reason: "UPDATE_FAILURE_INVALID_PARAMETER",
        update_error: problem,
      });
      continue;
    }
    channel.policies.set(context.node.name, next);
  }
  return { failed_updates: failed };
}

function forwardingHistory(context: LndContext, request: Message): Message {
  const startNs = BigInt(request.start_time ?? 0) * 1_000_000_000n;
  const endNs =
    num(request.end_time) > 0 ? BigInt(request.end_time) * 1_000_000_000n : BigInt(Date.now() + 1000) * 1_000_000n;
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

export function routingMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network } = context;
  return {
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
        const byPoint = request.chan_point
          ? network.channels.find((c) => channelPoint(c) === request.chan_point)
          : undefined;
        const channel = byId ?? byPoint;
        const visible =
          channel &&
          channel.status === "open" &&
          (!channel.isPrivate || channel.opener === node || channel.partner === node);
        if (!channel || !visible) throw new SimRpcError("edge not found");
        return channelEdgeMessage(channel);
      },
    },
    ForwardingHistory: { permissions: READ.offchain, unary: (request) => forwardingHistory(context, request) },
  };
}
