// closeChannel: cooperative (with a fee-rate cap, optionally to an address) or force. Idempotent: a channel already
// closing or closed is reported with its closing transaction instead of failing. Requires `onchain:write`,
// `offchain:write` and `offchain:read`.
import { closeChannel as lndCloseChannel, type AuthenticatedLnd } from "lightning";
import { LightningError, unexpectedResponse } from "../errors.ts";
import { Checker, type Outpoint } from "../validation.ts";
import { viaLightning, type LndCallOptions } from "./call.ts";
import { findChannel, findChannelsRpc } from "./find-channels-by-memo.ts";

/** The RPC URIs this action calls (macaroon permissions by URI: `lvdao macaroon bake`). */
export const closeChannelRpc: readonly string[] = [...findChannelsRpc, "/lnrpc.Lightning/CloseChannel"];

export interface CloseChannelArgs extends LndCallOptions {
  lnd: AuthenticatedLnd;
  channel: Outpoint;
  force: boolean;
  /**
   * Highest fee rate (sat/vB) lnd may agree to in a cooperative close. A force close spends the commitment
   * transaction signed when the channel was last updated, whose fee is fixed; the cap does not apply to it.
   */
  maxFeeRate: number;
  /**
   * Where a cooperative close pays this node's balance (lnd's wallet when omitted). Refused with a force close: the
   * commitment transaction's outputs were fixed when it was signed. A channel opened with an upfront shutdown
   * address closes only to that address.
   */
  address?: string;
}

export interface CloseChannelResult {
  closingTxid: string;
  /** True when the channel was already closing or closed before this call. */
  alreadyClosing: boolean;
}

export async function closeChannel(args: CloseChannelArgs): Promise<CloseChannelResult> {
  const check = new Checker("lnd", "closeChannel");
  const channel = check.outpoint("channel", args.channel);
  const maxFeeRate = check.integer("maxFeeRate", args.maxFeeRate, 1, 10_000);
  if (typeof args.force !== "boolean") check.fail("force must be a boolean");
  const address = args.address === undefined ? undefined : check.text("address", args.address, 90);
  if (address !== undefined && !/^(bc|tb|bcrt)1[02-9ac-hj-np-z]{8,87}$/i.test(address))
    check.fail("address must be a segwit (bech32/bech32m) address");
  if (address !== undefined && args.force) check.fail("a force close cannot pay an address");
  const current = await findChannel({ ...args, channel });
  if (!current)
    throw new LightningError(
      "NOT_FOUND",
      `no channel with funding outpoint ${channel.txid}:${channel.vout}`,
      "lnd",
      "closeChannel",
    );
  if (current.state === "opening")
    throw new LightningError("DAEMON_REFUSED", "the channel is still opening", "lnd", "closeChannel");
  if (current.state === "closing" || current.state === "closed") {
    if (!current.closingTxid)
      throw unexpectedResponse("lnd", "closeChannel", "closing channel without a closing transaction id");
    return { closingTxid: current.closingTxid, alreadyClosing: true };
  }
  const closed = await viaLightning(
    "closeChannel",
    () =>
      args.force
        ? lndCloseChannel({
            lnd: args.lnd,
            transaction_id: channel.txid,
            transaction_vout: channel.vout,
            is_force_close: true,
          })
        : lndCloseChannel({
            lnd: args.lnd,
            transaction_id: channel.txid,
            transaction_vout: channel.vout,
            max_tokens_per_vbyte: maxFeeRate,
            ...(address ? { address } : {}),
          }),
    args,
  );
  if (!/^[0-9a-f]{64}$/.test(closed.transaction_id))
    throw unexpectedResponse("lnd", "closeChannel", "closing transaction id missing");
  return { closingTxid: closed.transaction_id, alreadyClosing: false };
}
