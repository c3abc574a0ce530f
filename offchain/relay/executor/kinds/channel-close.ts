// channel-close: cooperative or forced, with the payload's fee-rate cap (and the operator's, whichever is lower).
// Idempotency: a channel already closing or closed is found by its outpoint, with its closing txid.
import { conflict } from "../../failure.ts";
import { outpointKey } from "../../ports.ts";
import { requireDaemon, type KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

export const channelClose: KindHandler<"channel-close"> = {
  kind: "channel-close",
  describe: (a) => `${a.force ? "force-close" : "close"} channel ${outpointKey(a.outpoint)}${a.force ? "" : ` at most ${a.maxFeeRate} sat/vB`}`,
  onchainSpend: () => 0n,

  async reconcile(action, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const key = outpointKey(action.outpoint);
    return (await lnd.listChannels()).find((c) => outpointKey(c.outpoint) === key && c.closingTxid)?.closingTxid;
  },

  async act(action, { daemons, executor }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const key = outpointKey(action.outpoint);
    const channels = (await lnd.listChannels()).filter((c) => outpointKey(c.outpoint) === key);
    const closing = channels.find((c) => c.closingTxid);
    if (closing?.closingTxid) return closing.closingTxid;
    if (!channels.some((c) => c.state === "open")) throw conflict(channels.length ? `channel ${key} is still opening` : `unknown channel ${key}`);
    const cap = action.maxFeeRate < executor.maxCloseFeeRate ? action.maxFeeRate : executor.maxCloseFeeRate;
    const { closingTxid } = await lnd.closeChannel({ outpoint: action.outpoint, force: action.force, maxFeeRate: cap });
    return closingTxid;
  },

  settle: async (_action, ref) => hex32(ref, "closing txid"),
};
