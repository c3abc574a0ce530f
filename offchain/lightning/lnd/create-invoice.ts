// createInvoice: a BOLT 11 invoice on this node. Requires `invoices:write` (and `address:write` is not needed: no
// fallback address is requested).
import { createInvoice as lndCreateInvoice, type AuthenticatedLnd } from "lightning";
import { createdInvoiceFromLnd, type CreatedInvoice } from "../responses/lnd-node.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const createInvoiceRpc: readonly string[] = ["/lnrpc.Lightning/AddInvoice"];

export async function createInvoice(
  args: { lnd: AuthenticatedLnd; msat: bigint; description: string; expirySeconds?: number } & LndCallOptions,
): Promise<CreatedInvoice> {
  const check = new Checker("lnd", "createInvoice");
  const msat = check.bigint("msat", args.msat, 0n, 2_100_000_000_000_000_000n);
  const description = check.text("description", args.description, 639, { allowEmpty: true });
  const expiry = check.integer("expirySeconds", args.expirySeconds ?? 86_400, 60, 31_536_000);
  const expiresAt = new Date(Date.now() + expiry * 1000).toISOString();
  return createdInvoiceFromLnd(
    await viaLightning(
      "createInvoice",
      () => lndCreateInvoice({ lnd: args.lnd, mtokens: msat.toString(), description, expires_at: expiresAt }),
      args,
    ),
  );
}
