// payInvoice: pay a BOLT 11 request with a routing-fee cap, optionally out of given channels. Requires
// `offchain:write` (and `offchain:read`, `info:read` for lightning's payment tracking).
import { pay, type AuthenticatedLnd } from "lightning";
import { paymentFromLnd, type PaymentResult } from "../responses/lnd-node.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const payInvoiceRpc: readonly string[] = ["/routerrpc.Router/SendPaymentV2"];

export async function payInvoice(
  args: { lnd: AuthenticatedLnd; request: string; maxFeeSats: number; outgoingChannelIds?: string[] } & LndCallOptions,
): Promise<PaymentResult> {
  const check = new Checker("lnd", "payInvoice");
  const request = check.text("request", args.request, 7089);
  if (!/^ln(bc|tb|bcrt|tbs)/i.test(request)) check.fail("request must be a BOLT 11 payment request");
  const maxFee = check.integer("maxFeeSats", args.maxFeeSats, 0);
  const channels = (args.outgoingChannelIds ?? []).map((id, index) => {
    if (!/^\d+x\d+x\d+$/.test(id)) check.fail(`outgoingChannelIds[${index}] must be a channel id like 123x4x0`);
    return id;
  });
  const paid = await viaLightning(
    "payInvoice",
    () => pay({ lnd: args.lnd, request, max_fee: maxFee, ...(channels.length ? { outgoing_channels: channels } : {}) }),
    { timeoutMs: args.timeoutMs ?? 120_000 },
  );
  return paymentFromLnd(paid);
}
