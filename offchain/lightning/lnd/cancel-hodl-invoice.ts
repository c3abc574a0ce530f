// cancelHodlInvoice: refuse an invoice; a held HTLC fails back to the payer and no later HTLC is accepted. Requires
// `invoices:write`. lnd refuses to cancel a settled invoice, so a cancel can never undo a settle.
import { cancelHodlInvoice as lndCancelHodlInvoice, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const cancelHodlInvoiceRpc: readonly string[] = ["/invoicesrpc.Invoices/CancelInvoice"];

export async function cancelHodlInvoice(
  args: { lnd: AuthenticatedLnd; paymentHash: string } & LndCallOptions,
): Promise<void> {
  const id = new Checker("lnd", "cancelHodlInvoice").hex("paymentHash", args.paymentHash, 32);
  await viaLightning("cancelHodlInvoice", () => lndCancelHodlInvoice({ lnd: args.lnd, id }), args);
}
