// listAssets: the confirmed, unspent assets this tapd owns. Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { assetsFromTapd, type TapAsset } from "../responses/tapd.ts";

export async function listAssets(args: { tapd: TapdClient; timeoutMs?: number }): Promise<TapAsset[]> {
  return assetsFromTapd(await unaryCall(args.tapd.assets, "ListAssets", {}, { daemon: "tapd", action: "listAssets", timeoutMs: args.timeoutMs }));
}
