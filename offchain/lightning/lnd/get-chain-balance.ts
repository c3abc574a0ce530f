// getChainBalance: the on-chain wallet's confirmed and unconfirmed sats, from one raw WalletBalance (the
// `lightning` package splits these over two calls and mixes channel limbo funds into "pending").
// Requires `onchain:read`.
import type { AuthenticatedLnd } from "lightning";
import { chainBalanceFromLnd, type ChainBalance } from "../responses/lnd-node.ts";
import { viaGrpc, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getChainBalanceRpc: readonly string[] = ["/lnrpc.Lightning/WalletBalance"];

export async function getChainBalance(args: { lnd: AuthenticatedLnd } & LndCallOptions): Promise<ChainBalance> {
  return chainBalanceFromLnd(await viaGrpc(args.lnd, "default", "walletBalance", {}, "getChainBalance", args));
}
