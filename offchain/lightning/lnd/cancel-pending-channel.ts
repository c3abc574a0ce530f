// cancelPendingChannel: drop a channel started by openChannelForPsbt that will not be funded, so lnd and the peer
// release its reservation at once instead of after lnd's funding timeout. Requires `onchain:write` and
// `offchain:write`.
import { cancelPendingChannel as lndCancelPendingChannel, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const cancelPendingChannelRpc: readonly string[] = ["/lnrpc.Lightning/FundingStateStep"];

export async function cancelPendingChannel(
  args: { lnd: AuthenticatedLnd; pendingChannelId: string } & LndCallOptions,
): Promise<void> {
  const check = new Checker("lnd", "cancelPendingChannel");
  const id = check.hex("pendingChannelId", args.pendingChannelId, 32);
  await viaLightning("cancelPendingChannel", () => lndCancelPendingChannel({ lnd: args.lnd, id }), args);
}
