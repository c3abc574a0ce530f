// Invoices and payments on the simulated lnd: AddInvoice (a real BOLT 11 request signed by the node key),
// LookupInvoice, ListInvoices, DecodePayReq, ListPayments, and routerrpc's SendPaymentV2 / TrackPaymentV2 streams.
import { createHash, randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { parsePaymentRequest } from "invoices";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { encodePaymentRequest } from "./keys.ts";
import { READ, WRITE, type LndContext } from "./lnd-context.ts";
import type { SimInvoice, SimPayment, SimRoute } from "./lnd-node.ts";
import { payInvoice } from "./payments.ts";
import { SimRpcError } from "./rpc-error.ts";

const DEFAULT_EXPIRY = 86_400;
const DEFAULT_CLTV = 80;

function invoiceMessage(invoice: SimInvoice): Message {
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
    features: { 9: { name: "tlv-onion", is_required: false, is_known: true }, 14: { name: "payment-addr", is_required: true, is_known: true } },
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
      mpp_record: index === route.hops.length - 1 ? { payment_addr: paymentAddr, total_amt_msat: hop.amtToForwardMsat.toString() } : null,
      custom_records: {},
      metadata: Buffer.alloc(0),
      total_amt_msat: "0",
    })),
    total_fees_msat: route.totalFeesMsat.toString(),
    total_amt_msat: route.totalAmtMsat.toString(),
    first_hop_amount_msat: "0",
  };
}

function paymentMessage(payment: SimPayment): Message {
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
            failure: payment.status === "SUCCEEDED" ? null : { code: "INCORRECT_OR_UNKNOWN_PAYMENT_DETAILS", failure_source_index: payment.route.hops.length },
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

const hashFrom = (request: Message): string => {
  const bytes: Buffer | undefined = request.r_hash ?? request.payment_hash;
  if (bytes?.length === 32) return bytes.toString("hex");
  const text = String(request.r_hash_str ?? "");
  if (/^[0-9a-f]{64}$/.test(text)) return text;
  throw new SimRpcError("payment hash must be exactly 32 bytes", status.INVALID_ARGUMENT);
};

export function paymentMethods(context: LndContext): Record<string, MethodSpec> {
  const { node } = context;
  const decode = (request: string) => {
    try {
      return parsePaymentRequest({ request });
    } catch (error) {
      throw new SimRpcError(`invalid payment request: ${(error as Error).message}`);
    }
  };
  return {
    AddInvoice: {
      permissions: WRITE.invoices,
      unary: async (request) => {
        const value = BigInt(request.value ?? 0);
        const valueMsat = BigInt(request.value_msat ?? 0);
        if (value !== 0n && valueMsat !== 0n) throw new SimRpcError("value and value_msat are mutually exclusive");
        const memo = String(request.memo ?? "");
        if (Buffer.byteLength(memo) > 639) throw new SimRpcError(`memo too large: ${Buffer.byteLength(memo)} bytes (maxsize=639)`);
        const supplied: Buffer | undefined = request.r_preimage;
        const preimage = supplied?.length ? Buffer.from(supplied) : randomBytes(32);
        if (preimage.length !== 32) throw new SimRpcError("payment preimage must be exactly 32 bytes");
        const hash = createHash("sha256").update(preimage).digest();
        if (node.invoices.has(hash.toString("hex"))) throw new SimRpcError("invoice with payment hash already exists");
        const paymentAddr = randomBytes(32);
        const createdAt = new Date();
        const expiry = Number(request.expiry ?? 0) || DEFAULT_EXPIRY;
        const cltvExpiry = Number(request.cltv_expiry ?? 0) || DEFAULT_CLTV;
        const msat = valueMsat !== 0n ? valueMsat : value * 1000n;
        const paymentRequest = await encodePaymentRequest({
          destination: node.keys,
          paymentHash: hash.toString("hex"),
          paymentSecret: paymentAddr.toString("hex"),
          mtokens: msat,
          description: memo,
          createdAt,
          expirySeconds: expiry,
          cltvDelta: cltvExpiry,
        });
        const invoice: SimInvoice = {
          memo,
          preimage,
          hash,
          valueMsat: msat,
          paymentRequest,
          paymentAddr,
          createdAt: Math.floor(createdAt.getTime() / 1000),
          expiry,
          cltvExpiry,
          private: !!request.private,
          addIndex: node.nextAddIndex++,
          state: "OPEN",
          settleIndex: 0,
          settledAt: 0,
          amtPaidMsat: 0n,
          htlc: null,
        };
        node.invoices.set(hash.toString("hex"), invoice);
        return { r_hash: hash, payment_request: paymentRequest, add_index: String(invoice.addIndex), payment_addr: paymentAddr };
      },
    },
    LookupInvoice: {
      permissions: READ.invoices,
      unary: (request) => {
        const invoice = node.invoices.get(hashFrom(request));
        if (!invoice) throw new SimRpcError("unable to locate invoice", status.NOT_FOUND);
        return invoiceMessage(invoice);
      },
    },
    ListInvoices: {
      permissions: READ.invoices,
      unary: (request) => {
        const all = [...node.invoices.values()].filter((invoice) => !request.pending_only || invoice.state === "OPEN");
        const offset = Number(request.index_offset ?? 0);
        const max = Number(request.num_max_invoices ?? 0) || 1000;
        const page = request.reversed
          ? all.filter((invoice) => offset === 0 || invoice.addIndex < offset).slice(-max)
          : all.filter((invoice) => invoice.addIndex > offset).slice(0, max);
        return {
          invoices: page.map(invoiceMessage),
          last_index_offset: String(page[page.length - 1]?.addIndex ?? 0),
          first_index_offset: String(page[0]?.addIndex ?? 0),
        };
      },
    },
    DecodePayReq: {
      permissions: READ.offchain,
      unary: (request) => {
        const decoded = decode(String(request.pay_req ?? ""));
        const created = Math.floor(Date.parse(decoded.created_at) / 1000);
        return {
          destination: decoded.destination,
          payment_hash: decoded.id,
          num_satoshis: String(decoded.tokens ?? 0),
          timestamp: String(created),
          expiry: String(Math.floor(Date.parse(decoded.expires_at) / 1000) - created),
          description: decoded.description ?? "",
          description_hash: decoded.description_hash ?? "",
          fallback_addr: decoded.chain_address ?? "",
          cltv_expiry: String(decoded.cltv_delta ?? 0),
          route_hints: [],
          payment_addr: Buffer.from(decoded.payment ?? "", "hex"),
          num_msat: decoded.mtokens ?? "0",
          features: Object.fromEntries(decoded.features.map((f) => [f.bit, { name: f.type, is_required: f.is_required, is_known: true }])),
        };
      },
    },
    ListPayments: {
      permissions: READ.offchain,
      unary: (request) => {
        const payments = [...node.payments.values()].filter((p) => request.include_incomplete || p.status === "SUCCEEDED");
        return {
          payments: payments.map(paymentMessage),
          first_index_offset: String(payments[0]?.paymentIndex ?? 0),
          last_index_offset: String(payments[payments.length - 1]?.paymentIndex ?? 0),
          total_num_payments: String(payments.length),
        };
      },
    },
  };
}

export function routerMethods(context: LndContext): Record<string, MethodSpec> {
  const { node, network } = context;
  return {
    SendPaymentV2: {
      permissions: WRITE.offchain,
      stream: async (request, send) => {
        const paymentRequest = String(request.payment_request ?? "");
        if (!paymentRequest) throw new SimRpcError("lvdao simulator: only payment requests are simulated (no keysend)", status.UNIMPLEMENTED);
        let decoded: ReturnType<typeof parsePaymentRequest>;
        try {
          decoded = parsePaymentRequest({ request: paymentRequest });
        } catch (error) {
          throw new SimRpcError(`invalid payment request: ${(error as Error).message}`);
        }
        if (decoded.network !== "regtest") throw new SimRpcError("invoice not for current active network 'regtest'");
        if (Date.parse(decoded.expires_at) < Date.now()) throw new SimRpcError(`invoice expired. Valid until ${decoded.expires_at}`);
        const invoiceMsat = BigInt(decoded.mtokens ?? "0");
        const askedMsat = BigInt(request.amt_msat ?? 0) + BigInt(request.amt ?? 0) * 1000n;
        if (invoiceMsat === 0n && askedMsat === 0n) throw new SimRpcError("amount must be specified when paying a zero amount invoice");
        if (invoiceMsat !== 0n && askedMsat !== 0n) throw new SimRpcError("amount must not be specified when paying a non-zero amount invoice");
        const feeLimitMsat = BigInt(request.fee_limit_msat ?? 0) + BigInt(request.fee_limit_sat ?? 0) * 1000n;
        const lastHop: Buffer | undefined = request.last_hop_pubkey;
        const legacyChannel = String(request.outgoing_chan_id ?? "0");
        const outgoing: string[] = [...(request.outgoing_chan_ids ?? []), ...(legacyChannel !== "0" ? [legacyChannel] : [])];
        const payment = payInvoice(network, node, {
          destination: decoded.destination,
          paymentHash: decoded.id,
          amountMsat: invoiceMsat !== 0n ? invoiceMsat : askedMsat,
          paymentRequest,
          finalCltvDelta: decoded.cltv_delta ?? DEFAULT_CLTV,
          // lnd: a zero fee limit allows only fee-free routes.
          feeLimitMsat,
          outgoingChanIds: outgoing,
          lastHopPubkey: lastHop?.length ? lastHop.toString("hex") : null,
        });
        payment.paymentAddr = Buffer.from(decoded.payment ?? "", "hex");
        if (!request.no_inflight_updates) send(paymentMessage({ ...payment, status: "IN_FLIGHT" }));
        send(paymentMessage(payment));
      },
    },
    TrackPaymentV2: {
      permissions: READ.offchain,
      stream: async (request, send) => {
        const payment = node.payments.get(hashFrom(request));
        if (!payment) throw new SimRpcError("payment isn't initiated", status.NOT_FOUND);
        send(paymentMessage(payment));
      },
    },
  };
}
