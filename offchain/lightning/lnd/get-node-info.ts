// getNodeInfo: who the node is, its block height and whether it is synced. Requires `info:read`.
import { getWalletInfo, type AuthenticatedLnd } from "lightning";
import { nodeInfoFromLnd, type NodeInfo } from "../responses/lnd-node.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getNodeInfoRpc: readonly string[] = ["/lnrpc.Lightning/GetInfo"];

export async function getNodeInfo(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<NodeInfo> {
  return nodeInfoFromLnd(await viaLightning("getNodeInfo", () => getWalletInfo({ lnd: args.lnd }), args));
}
