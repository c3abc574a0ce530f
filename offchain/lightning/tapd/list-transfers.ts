// listTransfers: this tapd's outgoing transfers, optionally only those with a given label (the relay's crash
// reconciliation for lv-transfer: was `lvdao:<id>` already sent?). Requires `assets:read`.
import { unaryCall } from "../connection/grpc-call.ts";
import type { TapdClient } from "../connection/tapd.ts";
import { transfersFromTapd, type TapTransfer } from "../responses/tapd.ts";
import { Checker } from "../validation.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const listTransfersRpc: readonly string[] = ["/taprpc.TaprootAssets/ListTransfers"];

export async function listTransfers(args: {
  tapd: TapdClient;
  label?: string;
  timeoutMs?: number;
}): Promise<TapTransfer[]> {
  const label =
    args.label === undefined ? undefined : new Checker("tapd", "listTransfers").text("label", args.label, 500);
  // tapd 0.7 filters transfers by anchor transaction only; labels are matched here.
  const transfers = transfersFromTapd(
    await unaryCall(
      args.tapd.assets,
      "ListTransfers",
      {},
      { daemon: "tapd", action: "listTransfers", timeoutMs: args.timeoutMs },
    ),
  );
  return label === undefined ? transfers : transfers.filter((transfer) => transfer.label === label);
}
