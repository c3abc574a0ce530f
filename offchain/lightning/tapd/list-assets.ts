// listAssets: the unspent assets this tapd owns, confirmed ones only unless `includeUnconfirmedMints` (a mint whose
// anchor has not confirmed has anchorBlockHeight 0). Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { assetsFromTapd, type TapAsset } from "../responses/tapd.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listAssetsRpc: readonly string[] = ["/taprpc.TaprootAssets/ListAssets"];

export async function listAssets(args: {
  tapd: TapdClient;
  includeUnconfirmedMints?: boolean;
  timeoutMs?: number;
}): Promise<TapAsset[]> {
  const request = args.includeUnconfirmedMints ? { include_unconfirmed_mints: true } : {};
  return assetsFromTapd(
    await unaryCall(args.tapd.assets, "ListAssets", request, {
      daemon: "tapd",
      action: "listAssets",
      timeoutMs: args.timeoutMs,
    }),
  );
}
