// Invoices and payments on the simulated lnd: AddInvoice (a real BOLT 11 request signed by the node key),
// LookupInvoice, ListInvoices, DecodePayReq, ListPayments, and routerrpc's SendPaymentV2 / TrackPaymentV2 streams.
import { createHash, randomBytes } from "node:crypto";
import { status } from "@grpc/grpc-js";
import { parsePaymentRequest } from "invoices";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { encodePaymentRequest } from "./keys.ts";
import { READ, WRITE, type LndContext } from "./lnd-context.ts";
import type { SimInvoice, SimPayment } from "./lnd-node.ts";
import { invoiceMessage, paymentMessage } from "./lnd-payment-views.ts";
import { payInvoice } from "./payments.ts";
import { SimRpcError } from "./rpc-error.ts";

const DEFAULT_EXPIRY = 86_400;
const DEFAULT_CLTV = 80;

const hashFrom = (request: Message): string => {
  const bytes: Buffer | undefined = request.r_hash ?? request.payment_hash;
  if (bytes?.length === 32) return bytes.toString("hex");
  const text = String(request.r_hash_str ?? "");
  if (/^[0-9a-f]{64}$/.test(text)) return text;
  throw new SimRpcError("payment hash must be exactly 32 bytes", status.INVALID_ARGUMENT);
};

/** Makes and keeps an invoice: a real BOLT 11 request signed by the node key (AddInvoice, AddHoldInvoice). */
export async function addSimInvoice(
  node: LndContext["node"],
  fields: {
    memo: string;
    hash: Buffer;
    /** empty for a hold invoice: SettleInvoice brings it */
    preimage: Buffer;
    msat: bigint;
    expiry: number;
    cltvExpiry: number;
    private: boolean;
    hold: boolean;
  },
): Promise<SimInvoice> {
  if (Buffer.byteLength(fields.memo) > 639)
    throw new SimRpcError(`memo too large: ${Buffer.byteLength(fields.memo)} bytes (maxsize=639)`);
  if (node.invoices.has(fields.hash.toString("hex"))) throw new SimRpcError("invoice with payment hash already exists");
  const paymentAddr = randomBytes(32);
  const createdAt = new Date();
  const paymentRequest = await encodePaymentRequest({
    destination: node.keys,
    paymentHash: fields.hash.toString("hex"),
    paymentSecret: paymentAddr.toString("hex"),
    mtokens: fields.msat,
    description: fields.memo,
    createdAt,
    expirySeconds: fields.expiry,
    cltvDelta: fields.cltvExpiry,
  });
  const invoice: SimInvoice = {
    memo: fields.memo,
    preimage: fields.preimage,
    hash: fields.hash,
    valueMsat: fields.msat,
    paymentRequest,
    paymentAddr,
    createdAt: Math.floor(createdAt.getTime() / 1000),
    expiry: fields.expiry,
    cltvExpiry: fields.cltvExpiry,
    private: fields.private,
    addIndex: node.nextAddIndex++,
    state: "OPEN",
    hold: fields.hold,
    settleIndex: 0,
    settledAt: 0,
    amtPaidMsat: 0n,
    htlc: null,
  };
  node.invoices.set(fields.hash.toString("hex"), invoice);
  return invoice;
}

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
        if (Buffer.byteLength(memo) > 639)
          throw new SimRpcError(`memo too large: ${Buffer.byteLength(memo)} bytes (maxsize=639)`);
        const supplied: Buffer | undefined = request.r_preimage;
        const preimage = supplied?.length ? Buffer.from(supplied) : randomBytes(32);
        if (preimage.length !== 32) throw new SimRpcError("payment preimage must be exactly 32 bytes");
        const hash = createHash("sha256").update(preimage).digest();
        const invoice = await addSimInvoice(node, {
          memo,
          hash,
          preimage,
          msat: valueMsat !== 0n ? valueMsat : value * 1000n,
          expiry: Number(request.expiry ?? 0) || DEFAULT_EXPIRY,
          cltvExpiry: Number(request.cltv_expiry ?? 0) || DEFAULT_CLTV,
          private: !!request.private,
          hold: false,
        });
        const { paymentRequest, paymentAddr } = invoice;
        return {
          r_hash: hash,
          payment_request: paymentRequest,
          add_index: String(invoice.addIndex),
          payment_addr: paymentAddr,
        };
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
          features: Object.fromEntries(
            decoded.features.map((f) => [f.bit, { name: f.type, is_required: f.is_required, is_known: true }]),
          ),
        };
      },
    },
    ListPayments: {
      permissions: READ.offchain,
      unary: (request) => {
        const payments = [...node.payments.values()].filter(
          (p) => request.include_incomplete || p.status === "SUCCEEDED",
        );
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
        if (!paymentRequest)
          throw new SimRpcError(
            "lvdao simulator: only payment requests are simulated (no keysend)",
            status.UNIMPLEMENTED,
          );
        let decoded: ReturnType<typeof parsePaymentRequest>;
        try {
          decoded = parsePaymentRequest({ request: paymentRequest });
        } catch (error) {
          throw new SimRpcError(`invalid payment request: ${(error as Error).message}`);
        }
        if (decoded.network !== "regtest") throw new SimRpcError("invoice not for current active network 'regtest'");
        if (Date.parse(decoded.expires_at) < Date.now())
          throw new SimRpcError(`invoice expired. Valid until ${decoded.expires_at}`);
        const invoiceMsat = BigInt(decoded.mtokens ?? "0");
        const askedMsat = BigInt(request.amt_msat ?? 0) + BigInt(request.amt ?? 0) * 1000n;
        if (invoiceMsat === 0n && askedMsat === 0n)
          throw new SimRpcError("amount must be specified when paying a zero amount invoice");
        if (invoiceMsat !== 0n && askedMsat !== 0n)
          throw new SimRpcError("amount must not be specified when paying a non-zero amount invoice");
        const feeLimitMsat = BigInt(request.fee_limit_msat ?? 0) + BigInt(request.fee_limit_sat ?? 0) * 1000n;
        const lastHop: Buffer | undefined = request.last_hop_pubkey;
        const legacyChannel = String(request.outgoing_chan_id ?? "0");
        const outgoing: string[] = [
          ...(request.outgoing_chan_ids ?? []),
          ...(legacyChannel !== "0" ? [legacyChannel] : []),
        ];
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
        // A held HTLC (a hold invoice): the final update comes when the payee settles or cancels it.
        if (payment.status === "IN_FLIGHT")
          await new Promise<void>((resolve) => {
            const onPayment = (updated: SimPayment) => {
              if (updated !== payment || updated.status === "IN_FLIGHT") return;
              node.events.off("payment", onPayment);
              resolve();
            };
            node.events.on("payment", onPayment);
          });
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
