// mintGroupedAsset: mint units of a grouped asset and broadcast the batch. Without `groupKey` it creates a new
// group (the first mint); with it, it reissues into that group, which this tapd must control. Returns the batch and
// the minted asset (its id and the group key, known as soon as the batch is broadcast). Requires `mint:write` and
// `assets:read`.
import { LightningError, unexpectedResponse } from "../errors.ts";
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { assetsFromTapd, batchFromTapd, type MintedBatch, type TapAsset } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const mintGroupedAssetRpc: readonly string[] = ["/mintrpc.Mint/MintAsset", "/mintrpc.Mint/FinalizeBatch"];

export interface MintGroupedAssetArgs {
  tapd: TapdClient;
  name: string;
  amount: bigint;
  /** Tweaked group key (hex) to reissue into; omit on the first mint to create the group. */
  groupKey?: string;
  /** sat/kw for the minting transaction; tapd's estimate when omitted. */
  feeRateSatPerKw?: number;
  timeoutMs?: number;
}

export async function mintGroupedAsset(args: MintGroupedAssetArgs): Promise<{ batch: MintedBatch; asset: TapAsset }> {
  const check = new Checker("tapd", "mintGroupedAsset");
  const name = check.text("name", args.name, 64);
  const amount = check.bigint("amount", args.amount, 1n);
  const groupKey = args.groupKey === undefined ? undefined : check.hex("groupKey", args.groupKey, 33);
  const feeRate =
    args.feeRateSatPerKw === undefined ? 0 : check.integer("feeRateSatPerKw", args.feeRateSatPerKw, 253, 2_500_000);
  const call = (client: TapdClient["mint"], method: string, request: Record<string, unknown>) =>
    unaryCall(client, method, request, { daemon: "tapd", action: "mintGroupedAsset", timeoutMs: args.timeoutMs });
  await call(args.tapd.mint, "MintAsset", {
    asset: {
      asset_type: "NORMAL",
      name,
      amount: amount.toString(),
      ...(groupKey ? { grouped_asset: true, group_key: Buffer.from(groupKey, "hex") } : { new_grouped_asset: true }),
    },
  });
  const batch = batchFromTapd(
    (await call(args.tapd.mint, "FinalizeBatch", { fee_rate: feeRate })).batch,
    "mintGroupedAsset",
  );
  if (!/^[0-9a-f]{64}$/.test(batch.batchTxid))
    throw unexpectedResponse("tapd", "mintGroupedAsset", "finalized batch has no transaction id");
  const minted = assetsFromTapd(
    await call(args.tapd.assets, "ListAssets", { include_unconfirmed_mints: true }),
    "mintGroupedAsset",
  ).find((asset) => asset.anchor.txid === batch.batchTxid && asset.name === name);
  if (!minted)
    throw new LightningError(
      "UNEXPECTED_RESPONSE",
      `minted asset ${name} not listed after batch ${batch.batchTxid}`,
      "tapd",
      "mintGroupedAsset",
    );
  if (!minted.groupKey) throw unexpectedResponse("tapd", "mintGroupedAsset", "minted asset has no group");
  if (groupKey && minted.groupKey !== groupKey)
    throw unexpectedResponse("tapd", "mintGroupedAsset", "reissued asset landed in another group");
  return { batch, asset: minted };
}
