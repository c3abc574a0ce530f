// channel-close: cooperative or forced, with the payload's fee-rate cap (and the operator's, whichever is lower).
// Idempotency: a channel already closing or closed is found by its outpoint, with its closing txid.
// With a vault configured a cooperative close pays a fresh vault address (issued in the journal before the call).
import { outpointString } from "../../daemons/ports.ts";
import { conflict } from "../../failure.ts";
import { requireDaemon, type KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

export const channelClose: KindHandler<"channel-close"> = {
  kind: "channel-close",
  describe: ({ payload: a }) =>
    `${a.force ? "force-close" : "close"} channel ${outpointString(a)}` +
    `${a.force ? "" : ` at most ${a.maxFeeRate} sat/vB`}`,
  onchainSpend: () => 0n,

  async reconcile({ payload }, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const key = outpointString(payload);
    return (await lnd.listChannels()).find((c) => outpointString(c.outpoint) === key && c.closingTxid)?.closingTxid;
  },

  async act({ payload: action }, { daemons, executor }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const outpoint = { txid: action.txid, vout: action.vout };
    const key = outpointString(outpoint);
    const channels = (await lnd.listChannels()).filter((c) => outpointString(c.outpoint) === key);
    const closing = channels.find((c) => c.closingTxid);
    if (closing?.closingTxid) return closing.closingTxid;
    if (!channels.some((c) => c.state === "open"))
      throw conflict(channels.length ? `channel ${key} is still opening` : `unknown channel ${key}`);
    const cap = action.maxFeeRate < executor.maxCloseFeeRate ? action.maxFeeRate : executor.maxCloseFeeRate;
    const address = !action.force && daemons.vault ? (await daemons.vault.issueAddress(0)).address : undefined;
    const { closingTxid } = await lnd.closeChannel({
      outpoint,
      force: action.force,
      maxFeeRate: cap,
      ...(address ? { address } : {}),
    });
    return closingTxid;
  },

  settle: async (_action, ref) => hex32(ref, "closing txid"),
};
