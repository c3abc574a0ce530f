// getTapdInfo: tapd's version, network, its lnd's identity and chain sync. Requires `daemon:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { tapdInfoFromTapd, type TapdInfo } from "../responses/tapd.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const getTapdInfoRpc: readonly string[] = ["/taprpc.TaprootAssets/GetInfo"];

export async function getTapdInfo(args: { tapd: TapdClient; timeoutMs?: number }): Promise<TapdInfo> {
  return tapdInfoFromTapd(
    await unaryCall(
      args.tapd.assets,
      "GetInfo",
      {},
      { daemon: "tapd", action: "getTapdInfo", timeoutMs: args.timeoutMs },
    ),
  );
}
