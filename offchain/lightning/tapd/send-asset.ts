// sendAsset: send to one or more Taproot Assets addresses in one anchor transaction, labelled (the relay's
// `lvdao:<id>` idempotency key, which tapd stores on the transfer). Requires `assets:write`.
import { unexpectedResponse } from "../errors.ts";
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { transferFromTapd, type TapTransfer } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const sendAssetRpc: readonly string[] = ["/taprpc.TaprootAssets/SendAsset"];

export async function sendAsset(args: {
  tapd: TapdClient;
  addresses: string[];
  label: string;
  feeRateSatPerKw?: number;
  timeoutMs?: number;
}): Promise<TapTransfer> {
  const check = new Checker("tapd", "sendAsset");
  if (!Array.isArray(args.addresses) || args.addresses.length === 0)
    check.fail("addresses must list at least one address");
  const addresses = args.addresses.map((address, index) => {
    const text = check.text(`addresses[${index}]`, address, 1023);
    if (!/^tap(rt|tb)?1[02-9ac-hj-np-z]+$/.test(text))
      check.fail(`addresses[${index}] is not a taproot assets address`);
    return text;
  });
  const label = check.text("label", args.label, 500);
  const feeRate =
    args.feeRateSatPerKw === undefined ? 0 : check.integer("feeRateSatPerKw", args.feeRateSatPerKw, 253, 2_500_000);
  // Sends wait for the anchor transaction to be signed and broadcast: allow more than a plain read.
  const answer = await unaryCall(
    args.tapd.assets,
    "SendAsset",
    { tap_addrs: addresses, label, fee_rate: feeRate },
    { daemon: "tapd", action: "sendAsset", timeoutMs: args.timeoutMs ?? 120_000 },
  );
  const transfer = transferFromTapd(answer.transfer, "sendAsset");
  if (transfer.label !== label)
    throw unexpectedResponse("tapd", "sendAsset", "the transfer does not carry the label it was sent with");
  return transfer;
}
