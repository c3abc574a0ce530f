// lookupInvoice: an invoice's state and what was received. Requires `invoices:read`.
import { getInvoice, type AuthenticatedLnd } from "lightning";
import { invoiceStatusFromLnd, type InvoiceStatus } from "../responses/lnd-node.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const lookupInvoiceRpc: readonly string[] = ["/lnrpc.Lightning/LookupInvoice"];

export async function lookupInvoice(
  args: { lnd: AuthenticatedLnd; paymentHash: string } & LndCallOptions,
): Promise<InvoiceStatus> {
  const id = new Checker("lnd", "lookupInvoice").hex("paymentHash", args.paymentHash, 32);
  return invoiceStatusFromLnd(await viaLightning("lookupInvoice", () => getInvoice({ lnd: args.lnd, id }), args));
}
