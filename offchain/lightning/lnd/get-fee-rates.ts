// getFeeRates: every open channel's forwarding fees, inbound fees included (lnd's FeeReport). Requires `offchain:read`.
import { getFeeRates as lndGetFeeRates, type AuthenticatedLnd } from "lightning";
import { feeRatesFromLnd, type ChannelFeeRate } from "../responses/lnd-channels.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getFeeRatesRpc: readonly string[] = ["/lnrpc.Lightning/FeeReport"];

export async function getFeeRates(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<ChannelFeeRate[]> {
  return feeRatesFromLnd(await viaLightning("getFeeRates", () => lndGetFeeRates({ lnd: args.lnd }), args));
}
