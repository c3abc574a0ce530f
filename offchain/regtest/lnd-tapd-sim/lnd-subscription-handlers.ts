// The subscriptions the simulated lnd offers: invoicesrpc SubscribeSingleInvoice, and its hold invoices
// (AddHoldInvoice, SettleInvoice, CancelInvoice), and chainrpc's block epochs. (Confirmation and spend notifications
// need real scripts and raw transactions; not simulated.)
import { createHash } from "node:crypto";
import { status } from "@grpc/grpc-js";
import type { Block } from "./bitcoin-chain.ts";
import type { Message, MethodSpec } from "./grpc-server.ts";
import { READ, WRITE, txidToBytes, type LndContext } from "./lnd-context.ts";
import type { SimInvoice } from "./lnd-node.ts";
import { addSimInvoice } from "./lnd-payment-handlers.ts";
import { invoiceMessage } from "./lnd-payment-views.ts";
import { cancelHeldInvoice, settleHeldInvoice } from "./payments.ts";
import { SimRpcError } from "./rpc-error.ts";

const hashOf = (request: Message): string => {
  const bytes: Buffer | undefined = request.r_hash ?? request.payment_hash;
  if (bytes?.length !== 32) throw new SimRpcError("payment hash must be exactly 32 bytes", status.INVALID_ARGUMENT);
  return bytes.toString("hex");
};

const cancelled = (call: { on(event: "cancelled", listener: () => void): unknown }) =>
  new Promise<void>((resolve) => call.on("cancelled", () => resolve()));

export function invoicesMethods(context: LndContext): Record<string, MethodSpec> {
  const { node } = context;
  return {
    SubscribeSingleInvoice: {
      permissions: READ.invoices,
      stream: async (request, send, call) => {
        const hash = hashOf(request);
        const invoice = node.invoices.get(hash);
        if (!invoice) throw new SimRpcError("unable to locate invoice", status.NOT_FOUND);
        send(invoiceMessage(invoice));
        if (invoice.state !== "OPEN") return;
        // Updates until the invoice is final (settled or cancelled), then the stream ends, as lnd's does.
        await new Promise<void>((resolve) => {
          const onUpdate = (updated: SimInvoice) => {
            if (updated !== invoice) return;
            send(invoiceMessage(updated));
            if (updated.state === "SETTLED" || updated.state === "CANCELED") done();
          };
          const done = () => {
            node.events.off("invoice", onUpdate);
            resolve();
          };
          node.events.on("invoice", onUpdate);
          void cancelled(call).then(done);
        });
      },
    },
    CancelInvoice: {
      permissions: WRITE.invoices,
      unary: (request) => {
        const invoice = node.invoices.get(
          String(Buffer.isBuffer(request.payment_hash) ? request.payment_hash.toString("hex") : ""),
        );
        if (!invoice) throw new SimRpcError("unable to locate invoice", status.NOT_FOUND);
        if (invoice.state === "SETTLED") throw new SimRpcError("invoice already settled");
        cancelHeldInvoice(invoice);
        node.events.emit("invoice", invoice);
        return {};
      },
    },
    AddHoldInvoice: {
      permissions: WRITE.invoices,
      unary: async (request) => {
        const hash: Buffer | undefined = request.hash;
        if (hash?.length !== 32)
          throw new SimRpcError("payment hash must be exactly 32 bytes", status.INVALID_ARGUMENT);
        const value = BigInt(request.value ?? 0);
        const valueMsat = BigInt(request.value_msat ?? 0);
        if (value !== 0n && valueMsat !== 0n) throw new SimRpcError("value and value_msat are mutually exclusive");
        const invoice = await addSimInvoice(node, {
          memo: String(request.memo ?? ""),
          hash: Buffer.from(hash),
          preimage: Buffer.alloc(0),
          msat: valueMsat !== 0n ? valueMsat : value * 1000n,
          expiry: Number(request.expiry ?? 0) || 86_400,
          cltvExpiry: Number(request.cltv_expiry ?? 0) || 80,
          private: !!request.private,
          hold: true,
        });
        return {
          payment_request: invoice.paymentRequest,
          add_index: String(invoice.addIndex),
          payment_addr: invoice.paymentAddr,
        };
      },
    },
    SettleInvoice: {
      permissions: WRITE.invoices,
      unary: (request) => {
        const preimage: Buffer | undefined = request.preimage;
        if (preimage?.length !== 32)
          throw new SimRpcError("preimage must be exactly 32 bytes", status.INVALID_ARGUMENT);
        const invoice = node.invoices.get(createHash("sha256").update(preimage).digest("hex"));
        if (!invoice) throw new SimRpcError("unable to locate invoice", status.NOT_FOUND);
        settleHeldInvoice(invoice, preimage);
        return {};
      },
    },
  };
}

export function chainNotifierMethods(context: LndContext): Record<string, MethodSpec> {
  const { network, chain } = context;
  const epoch = (block: Block) => ({ hash: txidToBytes(block.hash), height: block.height });
  return {
    RegisterBlockEpochNtfn: {
      permissions: READ.onchain,
      stream: async (_request, send, call) => {
        // lnd sends the current best block first, then every new one, until the client goes away.
        send(epoch(chain.tip));
        const onBlock = (block: Block) => send(epoch(block));
        network.events.on("block", onBlock);
        await cancelled(call);
        network.events.off("block", onBlock);
      },
    },
  };
}
