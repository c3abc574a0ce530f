// newAssetAddress: a Taproot Assets address to receive `amount` units of an asset (by id), or of a group (a V2
// address, by group key). Requires `addresses:write`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { addressFromTapd, type AssetAddress } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const newAssetAddressRpc: readonly string[] = ["/taprpc.TaprootAssets/NewAddr"];

export async function newAssetAddress(args: {
  tapd: TapdClient;
  assetId?: string;
  groupKey?: string;
  amount: bigint;
  timeoutMs?: number;
}): Promise<AssetAddress> {
  const check = new Checker("tapd", "newAssetAddress");
  if ((args.assetId === undefined) === (args.groupKey === undefined))
    check.fail("give exactly one of assetId and groupKey");
  const amount = check.bigint("amount", args.amount, 1n);
  const request =
    args.assetId !== undefined
      ? { asset_id: Buffer.from(check.hex("assetId", args.assetId, 32), "hex"), amt: amount.toString() }
      : {
          group_key: Buffer.from(check.hex("groupKey", args.groupKey, 33), "hex"),
          amt: amount.toString(),
          address_version: "ADDR_VERSION_V2",
        };
  return addressFromTapd(
    await unaryCall(args.tapd.assets, "NewAddr", request, {
      daemon: "tapd",
      action: "newAssetAddress",
      timeoutMs: args.timeoutMs,
    }),
  );
}
