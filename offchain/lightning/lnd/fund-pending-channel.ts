// fundPendingChannel: hand lnd the signed funding transaction of a channel started by openChannelForPsbt. lnd checks
// that it pays the funding output exactly (psbt_verify), then takes it (psbt_finalize): the channel becomes pending
// with its memo and lnd publishes the transaction. The PSBT's inputs must be finalized (final witnesses set): lnd
// cannot finalize a script-path spend it knows nothing about. Requires `onchain:write` and `offchain:write`.
import { fundPendingChannels, type AuthenticatedLnd } from "lightning";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const fundPendingChannelRpc: readonly string[] = ["/lnrpc.Lightning/FundingStateStep"];

export async function fundPendingChannel(
  args: { lnd: AuthenticatedLnd; pendingChannelId: string; signedPsbtHex: string } & LndCallOptions,
): Promise<void> {
  const check = new Checker("lnd", "fundPendingChannel");
  const id = check.hex("pendingChannelId", args.pendingChannelId, 32);
  if (typeof args.signedPsbtHex !== "string" || !/^70736274ff([0-9a-f]{2})+$/.test(args.signedPsbtHex))
    check.fail("signedPsbtHex must be a PSBT (magic 70736274ff) in lowercase hex");
  await viaLightning(
    "fundPendingChannel",
    () => fundPendingChannels({ lnd: args.lnd, channels: [id], funding: args.signedPsbtHex }),
    args,
  );
}
