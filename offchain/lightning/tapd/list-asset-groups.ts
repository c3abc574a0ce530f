// listAssetGroups: the asset groups this tapd holds assets of, with those assets. Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { groupsFromTapd, type TapGroup } from "../responses/tapd.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listAssetGroupsRpc: readonly string[] = ["/taprpc.TaprootAssets/ListGroups"];

export async function listAssetGroups(args: { tapd: TapdClient; timeoutMs?: number }): Promise<TapGroup[]> {
  return groupsFromTapd(
    await unaryCall(
      args.tapd.assets,
      "ListGroups",
      {},
      { daemon: "tapd", action: "listAssetGroups", timeoutMs: args.timeoutMs },
    ),
  );
}
