// Paying an invoice across the simulated network: find a route through open channels with enough spendable
// balance, price it with each forwarding node's policy (outbound fee plus its inbound fee, which lnd lets go
// negative as a discount but never below a zero total), then move the money on every channel, record the forward
// on each routing node and settle the invoice. Payments are atomic: they succeed or change nothing. A hold invoice's
// HTLC waits (the invoice ACCEPTED, the payment IN_FLIGHT) until the payee settles it with the preimage or cancels it.
import { createHash } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { localMsat, other, spendableMsat, type SimChannel } from "./channels.ts";
import type { RouteHop, SimInvoice, SimLnd, SimPayment, SimRoute } from "./lnd-node.ts";
import type { SimNetwork } from "./network.ts";
import { SimRpcError } from "./rpc-error.ts";

export interface PayRequest {
  destination: string;
  paymentHash: string;
  amountMsat: bigint;
  paymentRequest: string;
  finalCltvDelta: number;
  /** null: no limit. */
  feeLimitMsat: bigint | null;
  outgoingChanIds: string[];
  lastHopPubkey: string | null;
}

const MAX_HOPS = 3;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/** The fee node `forwarder` charges to move `amountOut` from channel `incoming` to channel `outgoing` (msat). */
export function forwardingFeeMsat(
  forwarder: SimLnd,
  incoming: SimChannel,
  outgoing: SimChannel,
  amountOut: bigint,
): bigint {
  const out = outgoing.policies.get(forwarder.name);
  const inbound = incoming.policies.get(forwarder.name);
  if (!out || !inbound) throw new Error("channel policy missing");
  const outboundFee = out.baseFeeMsat + (amountOut * BigInt(out.feeRatePpm)) / 1_000_000n;
  // lnd: inbound fee = base + (amount + outbound fee) * rate / 1e6, truncated toward zero; the total floors at 0.
  const inboundFee =
    BigInt(inbound.inboundBaseMsat) + ((amountOut + outboundFee) * BigInt(inbound.inboundFeeRatePpm)) / 1_000_000n;
  const total = outboundFee + inboundFee;
  return total > 0n ? total : 0n;
}

interface PricedRoute {
  channels: SimChannel[];
  nodes: SimLnd[];
  route: SimRoute;
  incomingMsat: bigint[];
}

/** Prices a path (channels[j] delivers to nodes[j]) for `amount` msat at the current height. */
function price(
  network: SimNetwork,
  channels: SimChannel[],
  nodes: SimLnd[],
  amount: bigint,
  finalCltvDelta: number,
): PricedRoute {
  const hops: RouteHop[] = [];
  const incomingMsat: bigint[] = [];
  let forwardAmount = amount;
  let expiry = network.chain.height + finalCltvDelta;
  let incomingAmount = amount;
  let incomingExpiry = expiry;
  for (let j = channels.length - 1; j >= 0; j -= 1) {
    const channel = channels[j] as SimChannel;
    const node = nodes[j] as SimLnd;
    let fee = 0n;
    if (j < channels.length - 1) {
      const outgoing = channels[j + 1] as SimChannel;
      forwardAmount = incomingAmount;
      expiry = incomingExpiry;
      fee = forwardingFeeMsat(node, channel, outgoing, forwardAmount);
      incomingExpiry = expiry + (outgoing.policies.get(node.name)?.timeLockDelta ?? 0);
    }
    incomingAmount = forwardAmount + fee;
    hops.unshift({
      chanId: channel.chanId,
      chanCapacity: channel.capacity,
      pubkey: node.pubkey,
      amtToForwardMsat: forwardAmount,
      feeMsat: fee,
      expiry,
    });
    incomingMsat.unshift(incomingAmount);
  }
  const route = {
    hops,
    totalAmtMsat: incomingAmount,
    totalFeesMsat: incomingAmount - amount,
    totalTimeLock: incomingExpiry,
  };
  return { channels, nodes, route, incomingMsat };
}

/** Every loop-free node path of at most MAX_HOPS hops from `from` to `to`, using the best channel per node pair. */
function candidatePaths(
  network: SimNetwork,
  from: SimLnd,
  to: SimLnd,
  amount: bigint,
  request: PayRequest,
): Array<{ channels: SimChannel[]; nodes: SimLnd[] }> {
  const open = network.channels.filter((channel) => channel.status === "open");
  const bestChannel = (sender: SimLnd, receiver: SimLnd, first: boolean): SimChannel | undefined => {
    let best: SimChannel | undefined;
    for (const channel of open) {
      if (
        !(channel.opener === sender && channel.partner === receiver) &&
        !(channel.partner === sender && channel.opener === receiver)
      )
        continue;
      if (first && request.outgoingChanIds.length > 0 && !request.outgoingChanIds.includes(channel.chanId)) continue;
      const policy = channel.policies.get(sender.name);
      if (!policy || policy.disabled || amount < policy.minHtlcMsat || amount > policy.maxHtlcMsat) continue;
      if (!best || spendableMsat(channel, sender) > spendableMsat(best, sender)) best = channel;
    }
    return best;
  };
  const paths: Array<{ channels: SimChannel[]; nodes: SimLnd[] }> = [];
  const walk = (at: SimLnd, channels: SimChannel[], nodes: SimLnd[]) => {
    if (channels.length === MAX_HOPS) return;
    for (const next of network.nodes.values()) {
      if (next === at || next === from || nodes.includes(next)) continue;
      const channel = bestChannel(at, next, channels.length === 0);
      if (!channel) continue;
      if (next === to) {
        const lastHop = at === from ? from.pubkey : at.pubkey;
        if (request.lastHopPubkey === null || request.lastHopPubkey === lastHop)
          paths.push({ channels: [...channels, channel], nodes: [...nodes, next] });
        continue;
      }
      walk(next, [...channels, channel], [...nodes, next]);
    }
  };
  walk(from, [], []);
  return paths;
}

/** Settles `request` from `payer` if a route exists, else records a failed payment. Returns the payment. */
export function payInvoice(network: SimNetwork, payer: SimLnd, request: PayRequest): SimPayment {
  const previous = payer.payments.get(request.paymentHash);
  if (previous?.status === "SUCCEEDED") throw new SimRpcError("invoice is already paid", status.ALREADY_EXISTS);
  if (previous?.status === "IN_FLIGHT") throw new SimRpcError("payment is in transition", status.ALREADY_EXISTS);
  if (request.destination === payer.pubkey) throw new SimRpcError("no self-payments allowed");
  const payment: SimPayment = {
    hash: request.paymentHash,
    preimage: "",
    valueMsat: request.amountMsat,
    feeMsat: 0n,
    paymentRequest: request.paymentRequest,
    status: "FAILED",
    failureReason: "FAILURE_REASON_NO_ROUTE",
    createdAtNs: nowNs(),
    resolvedAtNs: 0n,
    paymentIndex: payer.nextPaymentIndex++,
    route: null,
    paymentAddr: Buffer.alloc(0),
  };
  payer.payments.set(request.paymentHash, payment);
  const payee = network.byPubkey(request.destination);
  const invoice = payee?.invoices.get(request.paymentHash);
  const outbound = network
    .channelsOf(payer)
    .filter((c) => c.status === "open")
    .reduce((sum, c) => sum + spendableMsat(c, payer), 0n);
  const priced = payee
    ? candidatePaths(network, payer, payee, request.amountMsat, request)
        .map((path) =>
          price(network, path.channels, path.nodes, request.amountMsat, invoice?.cltvExpiry ?? request.finalCltvDelta),
        )
        .filter((candidate) => canCarry(candidate, payer))
        .filter((candidate) => request.feeLimitMsat === null || candidate.route.totalFeesMsat <= request.feeLimitMsat)
        .sort((a, b) => Number(a.route.totalFeesMsat - b.route.totalFeesMsat))
    : [];
  const best = priced[0];
  payment.resolvedAtNs = nowNs();
  if (!best || !payee) {
    payment.failureReason =
      outbound < request.amountMsat ? "FAILURE_REASON_INSUFFICIENT_BALANCE" : "FAILURE_REASON_NO_ROUTE";
    return payment;
  }
  if (invoice?.state !== "OPEN" || invoice.valueMsat > request.amountMsat) {
    // The payee refuses an unknown, settled, cancelled or underpaid invoice; the HTLCs fail back and nothing moves.
    payment.failureReason = "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS";
    payment.route = best.route;
    return payment;
  }
  const last = best.channels[best.channels.length - 1] as SimChannel;
  invoice.amtPaidMsat = request.amountMsat;
  invoice.htlc = {
    chanId: last.chanId,
    acceptHeight: network.chain.height,
    acceptTime: Math.floor(Date.now() / 1000),
    amtMsat: request.amountMsat,
  };
  if (invoice.hold) {
    // The HTLC waits at the payee until SettleInvoice or CancelInvoice; the money moves only on settle.
    invoice.state = "ACCEPTED";
    Object.assign(payment, { status: "IN_FLIGHT", failureReason: "FAILURE_REASON_NONE", route: best.route });
    held.set(invoice, { payer, payee, route: best, payment });
    payee.events.emit("invoice", invoice);
    return payment;
  }
  completePayment(payer, payee, invoice, best, payment);
  return payment;
}

/** A hold invoice's held HTLC: who pays, over which route, and the payer's payment record. */
const held = new WeakMap<SimInvoice, { payer: SimLnd; payee: SimLnd; route: PricedRoute; payment: SimPayment }>();

function completePayment(payer: SimLnd, payee: SimLnd, invoice: SimInvoice, route: PricedRoute, payment: SimPayment) {
  settle(payer, route);
  invoice.state = "SETTLED";
  invoice.settledAt = Math.floor(Date.now() / 1000);
  invoice.settleIndex = payee.nextSettleIndex++;
  payee.events.emit("invoice", invoice);
  Object.assign(payment, {
    status: "SUCCEEDED",
    failureReason: "FAILURE_REASON_NONE",
    preimage: invoice.preimage.toString("hex"),
    feeMsat: route.route.totalFeesMsat,
    route: route.route,
    resolvedAtNs: nowNs(),
  });
  payer.events.emit("payment", payment);
}

/** SettleInvoice: the preimage releases a held HTLC; the payment completes on the payer's side. */
export function settleHeldInvoice(invoice: SimInvoice, preimage: Buffer): void {
  if (invoice.state === "SETTLED") return;
  const pending = held.get(invoice);
  if (invoice.state !== "ACCEPTED" || !pending) throw new SimRpcError("invoice still open");
  if (!createHash("sha256").update(preimage).digest().equals(invoice.hash))
    throw new SimRpcError("preimage does not match payment hash");
  invoice.preimage = Buffer.from(preimage);
  held.delete(invoice);
  completePayment(pending.payer, pending.payee, invoice, pending.route, pending.payment);
}

/** CancelInvoice on a held HTLC: it fails back to the payer, whose balance never moved. */
export function cancelHeldInvoice(invoice: SimInvoice): void {
  const pending = held.get(invoice);
  invoice.state = "CANCELED";
  invoice.amtPaidMsat = 0n;
  if (!pending) return;
  held.delete(invoice);
  Object.assign(pending.payment, {
    status: "FAILED",
    failureReason: "FAILURE_REASON_INCORRECT_PAYMENT_DETAILS",
    resolvedAtNs: nowNs(),
  });
  pending.payer.events.emit("payment", pending.payment);
}

function canCarry(candidate: PricedRoute, payer: SimLnd): boolean {
  return candidate.channels.every((channel, j) => {
    const sender = j === 0 ? payer : (candidate.nodes[j - 1] as SimLnd);
    return spendableMsat(channel, sender) >= (candidate.incomingMsat[j] as bigint);
  });
}

function settle(payer: SimLnd, route: PricedRoute): void {
  const timestampNs = nowNs();
  route.channels.forEach((channel, j) => {
    const sender = j === 0 ? payer : (route.nodes[j - 1] as SimLnd);
    const receiver = other(channel, sender);
    const value = route.incomingMsat[j] as bigint;
    channel.balanceMsat.set(sender.name, localMsat(channel, sender) - value);
    channel.balanceMsat.set(receiver.name, localMsat(channel, receiver) + value);
    channel.sentMsat.set(sender.name, (channel.sentMsat.get(sender.name) ?? 0n) + value);
    channel.receivedMsat.set(receiver.name, (channel.receivedMsat.get(receiver.name) ?? 0n) + value);
    channel.numUpdates += 2;
    if (j < route.channels.length - 1) {
      const outgoing = route.channels[j + 1] as SimChannel;
      const forwarded = route.incomingMsat[j + 1] as bigint;
      receiver.forwards.push({
        timestampNs,
        chanIdIn: channel.chanId,
        chanIdOut: outgoing.chanId,
        amtInMsat: value,
        amtOutMsat: forwarded,
        feeMsat: value - forwarded,
        incomingHtlcId: receiver.nextHtlcId++,
        outgoingHtlcId: receiver.nextHtlcId++,
      });
    }
  });
}
