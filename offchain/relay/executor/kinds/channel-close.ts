// channel-close: cooperative or forced, with the payload's fee-rate cap (and the operator's, whichever is lower).
// Idempotency: a channel being closed or already closed is found by its outpoint in lnd's pending and closed lists.
import { conflict } from "../../failure.ts";
import { outpointKey } from "../../ports.ts";
import { requireDaemon, type KindContext, type KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

async function closingTxid(outpoint: string, { daemons }: KindContext): Promise<string | undefined> {
  const lnd = requireDaemon(daemons.lnd, "lnd");
  const pending = (await lnd.listPendingChannels()).find((c) => c.state === "closing" && outpointKey(c.outpoint) === outpoint);
  if (pending?.closingTxid) return pending.closingTxid;
  const closed = (await lnd.listClosedChannels()).find((c) => outpointKey(c.outpoint) === outpoint);
  return closed?.closingTxid;
}

export const channelClose: KindHandler<"channel-close"> = {
  kind: "channel-close",
  describe: (a) => `${a.force ? "force-close" : "close"} channel ${outpointKey(a.outpoint)}${a.force ? "" : ` at most ${a.maxFeeRate} sat/vB`}`,
  onchainSpend: () => 0n,

  reconcile: (action, context) => closingTxid(outpointKey(action.outpoint), context),

  async act(action, context) {
    const lnd = requireDaemon(context.daemons.lnd, "lnd");
    const key = outpointKey(action.outpoint);
    const open = (await lnd.listChannels()).find((c) => outpointKey(c.outpoint) === key);
    if (!open) {
      const already = await closingTxid(key, context);
      if (already) return already;
      throw conflict(`unknown channel ${key}`);
    }
    const cap = action.maxFeeRate < context.executor.maxCloseFeeRate ? action.maxFeeRate : context.executor.maxCloseFeeRate;
    const { closingTxid: txid } = await lnd.closeChannel({ outpoint: action.outpoint, force: action.force, maxFeeRate: cap });
    return txid;
  },

  settle: async (_action, ref) => hex32(ref, "closing txid"),
};
