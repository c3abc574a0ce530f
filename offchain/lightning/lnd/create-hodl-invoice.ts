// createHodlInvoice: a BOLT 11 invoice for a payment hash whose preimage the caller keeps; lnd holds an arriving HTLC
// until settleHodlInvoice (with the preimage) or cancelHodlInvoice. Requires `invoices:write` (and `address:write`,
// which the `lightning` package asks for whether or not a fallback address is included).
import { createHodlInvoice as lndCreateHodlInvoice, type AuthenticatedLnd } from "lightning";
import { createdInvoiceFromLnd, type CreatedInvoice } from "../responses/lnd-node.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const createHodlInvoiceRpc: readonly string[] = ["/invoicesrpc.Invoices/AddHoldInvoice"];

export async function createHodlInvoice(
  args: {
    lnd: AuthenticatedLnd;
    paymentHash: string;
    msat: bigint;
    description: string;
    expirySeconds: number;
    cltvDelta?: number;
  } & LndCallOptions,
): Promise<CreatedInvoice> {
  const check = new Checker("lnd", "createHodlInvoice");
  const id = check.hex("paymentHash", args.paymentHash, 32);
  const msat = check.bigint("msat", args.msat, 1n, 2_100_000_000_000_000_000n);
  const description = check.text("description", args.description, 639, { allowEmpty: true });
  const expiry = check.integer("expirySeconds", args.expirySeconds, 10, 31_536_000);
  const cltvDelta = args.cltvDelta === undefined ? undefined : check.integer("cltvDelta", args.cltvDelta, 18, 2016);
  const expiresAt = new Date(Date.now() + expiry * 1000).toISOString();
  const created = await viaLightning(
    "createHodlInvoice",
    () =>
      lndCreateHodlInvoice({
        lnd: args.lnd,
        id,
        mtokens: msat.toString(),
        description,
        expires_at: expiresAt,
        ...(cltvDelta === undefined ? {} : { cltv_delta: cltvDelta }),
      }),
    args,
  );
  // The package types mtokens as a number but returns the decimal string lnd gave.
  return createdInvoiceFromLnd(
    { ...created, mtokens: String(created.mtokens), secret: created.secret ?? "" },
    "createHodlInvoice",
  );
}
