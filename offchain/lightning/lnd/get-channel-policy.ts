// getChannelPolicy: the forwarding policy this node announces on one channel (fees, CLTV delta, HTLC limits,
// inbound fees). Requires `info:read`.
import { getChannel, type AuthenticatedLnd } from "lightning";
import { localPolicyFromLnd, type LocalPolicy } from "../responses/lnd-channels.ts";
import { Checker, type Outpoint } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { getNodeInfo, getNodeInfoRpc } from "./get-node-info.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getChannelPolicyRpc: readonly string[] = [...getNodeInfoRpc, "/lnrpc.Lightning/GetChanInfo"];

export async function getChannelPolicy(
  args: { lnd: AuthenticatedLnd; channel: Outpoint; ownPubkey?: string } & LndCallOptions,
): Promise<LocalPolicy> {
  const check = new Checker("lnd", "getChannelPolicy");
  const channel = check.outpoint("channel", args.channel);
  const ownPubkey =
    args.ownPubkey === undefined ? (await getNodeInfo(args)).pubkey : check.pubkey("ownPubkey", args.ownPubkey);
  const edge = await viaLightning(
    "getChannelPolicy",
    () => getChannel({ lnd: args.lnd, transaction_id: channel.txid, transaction_vout: channel.vout }),
    args,
  );
  return localPolicyFromLnd(edge, ownPubkey);
}
