// decodeAssetAddress: what a Taproot Assets address asks for (asset id or group key, amount), as tapd reads it, so a
// payer can check an address before sending to it. Requires `addresses:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { addressFromTapd, type AssetAddress } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const decodeAssetAddressRpc: readonly string[] = ["/taprpc.TaprootAssets/DecodeAddr"];

export async function decodeAssetAddress(args: {
  tapd: TapdClient;
  address: string;
  timeoutMs?: number;
}): Promise<AssetAddress> {
  const check = new Checker("tapd", "decodeAssetAddress");
  const address = check.text("address", args.address, 1023);
  if (!/^tap(rt|tb)?1[02-9ac-hj-np-z]+$/.test(address)) check.fail("address is not a taproot assets address");
  return addressFromTapd(
    await unaryCall(
      args.tapd.assets,
      "DecodeAddr",
      { addr: address },
      {
        daemon: "tapd",
        action: "decodeAssetAddress",
        timeoutMs: args.timeoutMs,
      },
    ),
    "decodeAssetAddress",
  );
}
