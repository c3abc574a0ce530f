// listAssetBalances: balances by asset id or by group key (LV is one grouped asset, so by group is its total).
// Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { balancesFromTapd, type TapBalance } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listAssetBalancesRpc: readonly string[] = ["/taprpc.TaprootAssets/ListBalances"];

export async function listAssetBalances(args: {
  tapd: TapdClient;
  by: "asset" | "group";
  timeoutMs?: number;
}): Promise<TapBalance[]> {
  const by = new Checker("tapd", "listAssetBalances").oneOf("by", args.by, ["asset", "group"] as const);
  const answer = await unaryCall(
    args.tapd.assets,
    "ListBalances",
    by === "asset" ? { asset_id: true } : { group_key: true },
    {
      daemon: "tapd",
      action: "listAssetBalances",
      timeoutMs: args.timeoutMs,
    },
  );
  return balancesFromTapd(answer, by);
}
