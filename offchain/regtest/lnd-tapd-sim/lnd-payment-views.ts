// lnd's Invoice and Payment messages for the simulated node's invoices and payments. Pure.
import type { Message } from "./grpc-server.ts";
import type { SimInvoice, SimPayment, SimRoute } from "./lnd-node.ts";

export function invoiceMessage(invoice: SimInvoice): Message {
  return {
    memo: invoice.memo,
    r_preimage: invoice.preimage,
    r_hash: invoice.hash,
    value: (invoice.valueMsat / 1000n).toString(),
    value_msat: invoice.valueMsat.toString(),
    settled: invoice.state === "SETTLED",
    creation_date: String(invoice.createdAt),
    settle_date: String(invoice.settledAt),
    payment_request: invoice.paymentRequest,
    description_hash: Buffer.alloc(0),
    expiry: String(invoice.expiry),
    fallback_addr: "",
    cltv_expiry: String(invoice.cltvExpiry),
    route_hints: [],
    private: invoice.private,
    add_index: String(invoice.addIndex),
    settle_index: String(invoice.state === "SETTLED" ? invoice.settleIndex : 0),
    amt_paid: (invoice.amtPaidMsat / 1000n).toString(),
    amt_paid_sat: (invoice.amtPaidMsat / 1000n).toString(),
    amt_paid_msat: invoice.amtPaidMsat.toString(),
    state: invoice.state,
    htlcs: invoice.htlc
      ? [
          {
            chan_id: invoice.htlc.chanId,
            htlc_index: "0",
            amt_msat: invoice.htlc.amtMsat.toString(),
            accept_height: invoice.htlc.acceptHeight,
            accept_time: String(invoice.htlc.acceptTime),
            resolve_time: String(invoice.htlc.acceptTime),
            expiry_height: invoice.htlc.acceptHeight + invoice.cltvExpiry,
            state: "SETTLED",
            custom_records: {},
            mpp_total_amt_msat: invoice.htlc.amtMsat.toString(),
          },
        ]
      : [],
    features: {
      9: { name: "tlv-onion", is_required: false, is_known: true },
      14: { name: "payment-addr", is_required: true, is_known: true },
    },
    is_keysend: false,
    payment_addr: invoice.paymentAddr,
    is_amp: false,
  };
}

function routeMessage(route: SimRoute, paymentAddr: Buffer): Message {
  return {
    total_time_lock: route.totalTimeLock,
    total_fees: (route.totalFeesMsat / 1000n).toString(),
    total_amt: (route.totalAmtMsat / 1000n).toString(),
    hops: route.hops.map((hop, index) => ({
      chan_id: hop.chanId,
      chan_capacity: String(hop.chanCapacity),
      amt_to_forward: (hop.amtToForwardMsat / 1000n).toString(),
      fee: (hop.feeMsat / 1000n).toString(),
      expiry: hop.expiry,
      amt_to_forward_msat: hop.amtToForwardMsat.toString(),
      fee_msat: hop.feeMsat.toString(),
      pub_key: hop.pubkey,
      tlv_payload: true,
      mpp_record:
        index === route.hops.length - 1
          ? { payment_addr: paymentAddr, total_amt_msat: hop.amtToForwardMsat.toString() }
          : null,
      custom_records: {},
      metadata: Buffer.alloc(0),
      total_amt_msat: "0",
    })),
    total_fees_msat: route.totalFeesMsat.toString(),
    total_amt_msat: route.totalAmtMsat.toString(),
    first_hop_amount_msat: "0",
  };
}

export function paymentMessage(payment: SimPayment): Message {
  const paymentAddr = payment.paymentAddr;
  const done = payment.status !== "IN_FLIGHT";
  const attempts =
    done && payment.route
      ? [
          {
            attempt_id: String(payment.paymentIndex),
            status: payment.status === "SUCCEEDED" ? "SUCCEEDED" : "FAILED",
            route: routeMessage(payment.route, paymentAddr),
            attempt_time_ns: payment.createdAtNs.toString(),
            resolve_time_ns: payment.resolvedAtNs.toString(),
            failure:
              payment.status === "SUCCEEDED"
                ? null
                : { code: "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS", failure_source_index: payment.route.hops.length },
            preimage: payment.status === "SUCCEEDED" ? Buffer.from(payment.preimage, "hex") : Buffer.alloc(0),
          },
        ]
      : [];
  return {
    payment_hash: payment.hash,
    value: (payment.valueMsat / 1000n).toString(),
    creation_date: (payment.createdAtNs / 1_000_000_000n).toString(),
    path: [],
    fee: (payment.feeMsat / 1000n).toString(),
    payment_preimage: payment.status === "SUCCEEDED" ? payment.preimage : "0".repeat(64),
    value_sat: (payment.valueMsat / 1000n).toString(),
    value_msat: payment.valueMsat.toString(),
    payment_request: payment.paymentRequest,
    status: done ? payment.status : "IN_FLIGHT",
    fee_sat: (payment.feeMsat / 1000n).toString(),
    fee_msat: payment.feeMsat.toString(),
    creation_time_ns: payment.createdAtNs.toString(),
    htlcs: attempts,
    payment_index: String(payment.paymentIndex),
    failure_reason: done ? payment.failureReason : "FAILURE_REASON_NONE",
    first_hop_custom_records: {},
  };
}
