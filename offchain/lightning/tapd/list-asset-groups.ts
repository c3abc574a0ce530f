// listAssetGroups: the asset groups this tapd holds assets of, with those assets. Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { groupsFromTapd, type TapGroup } from "../responses/tapd.ts";

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
