// settleHodlInvoice: release a held HTLC by revealing its preimage; lnd marks the invoice settled. Requires
// `invoices:write`. Settling an invoice that is already settled is a success in lnd, so a retry after a crash is safe.
import { settleHodlInvoice as lndSettleHodlInvoice, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const settleHodlInvoiceRpc: readonly string[] = ["/invoicesrpc.Invoices/SettleInvoice"];

export async function settleHodlInvoice(
  args: { lnd: AuthenticatedLnd; preimage: string } & LndCallOptions,
): Promise<void> {
  const secret = new Checker("lnd", "settleHodlInvoice").hex("preimage", args.preimage, 32);
  await viaLightning("settleHodlInvoice", () => lndSettleHodlInvoice({ lnd: args.lnd, secret }), args);
}
