// listAddressReceives: incoming transfers to this tapd's addresses, with their anchor outpoint and status; the pledge
// watcher confirms a contribution once its address shows `completed`. Requires `addresses:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { receivesFromTapd, type TapReceive } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listAddressReceivesRpc: readonly string[] = ["/taprpc.TaprootAssets/AddrReceives"];

export async function listAddressReceives(args: {
  tapd: TapdClient;
  address?: string;
  timeoutMs?: number;
}): Promise<TapReceive[]> {
  const address =
    args.address === undefined ? "" : new Checker("tapd", "listAddressReceives").text("address", args.address, 1023);
  const answer = await unaryCall(args.tapd.assets, "AddrReceives", address ? { filter_addr: address } : {}, {
    daemon: "tapd",
    action: "listAddressReceives",
    timeoutMs: args.timeoutMs,
  });
  return receivesFromTapd(answer);
}
