// sendCoins: pay sats on chain from lnd's wallet, with a label lnd stores on the transaction. Requires `onchain:write`.
import { sendToChainAddress, type AuthenticatedLnd } from "lightning";
import { unexpectedResponse } from "../errors.ts";
import { Checker } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const sendCoinsRpc: readonly string[] = ["/lnrpc.Lightning/SendCoins"];

export async function sendCoins(
  args: { lnd: AuthenticatedLnd; address: string; sats: number; label: string; feeRate?: number } & LndCallOptions,
): Promise<{ txid: string }> {
  const check = new Checker("lnd", "sendCoins");
  const address = check.text("address", args.address, 90);
  if (!/^(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}$/i.test(address))
    check.fail("address must be a segwit (bech32/bech32m) address");
  const sats = check.integer("sats", args.sats, 330);
  const label = check.text("label", args.label, 500, { allowEmpty: true });
  const feeRate = args.feeRate === undefined ? undefined : check.integer("feeRate", args.feeRate, 1, 10_000);
  const sent = await viaLightning(
    "sendCoins",
    () =>
      sendToChainAddress({
        lnd: args.lnd,
        address,
        tokens: sats,
        ...(label ? { description: label } : {}),
        ...(feeRate ? { fee_tokens_per_vbyte: feeRate } : {}),
      }),
    args,
  );
  if (!/^[0-9a-f]{64}$/.test(sent.id)) throw unexpectedResponse("lnd", "sendCoins", "transaction id missing");
  return { txid: sent.id };
}
