// getChannelBalance: outbound (local) and inbound (remote) liquidity over all channels. Requires `offchain:read`.
import { getChannelBalance as lndGetChannelBalance, type AuthenticatedLnd } from "lightning";
import { channelBalanceFromLnd, type ChannelBalance } from "../responses/lnd-node.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getChannelBalanceRpc: readonly string[] = ["/lnrpc.Lightning/ChannelBalance"];

export async function getChannelBalance(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<ChannelBalance> {
  return channelBalanceFromLnd(
    await viaLightning("getChannelBalance", () => lndGetChannelBalance({ lnd: args.lnd }), args),
  );
}
