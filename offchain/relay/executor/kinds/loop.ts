// loop-out and loop-in through loopd, labelled lvdao:<id>, with the payload's max-fee-sats as the cap on the swap's
// total fees (loopd splits it across swap, miner and routing fees). Idempotency: loopd's ListSwaps by label.
// Evidence: the swap hash. With a vault configured a Loop Out's `dest` must be a vault address: the swap's sats come
// back on chain there, and anywhere else is refused with 403 before loopd is called.
import { outpointString } from "../../daemons/ports.ts";
import { conflict, overLimit } from "../../failure.ts";
import { requireDaemon, type KindContext, type KindHandler } from "../context.ts";
import { hex32 } from "../evidence.ts";

async function swapByLabel(type: "out" | "in", { daemons, key }: KindContext): Promise<string | undefined> {
  const loop = requireDaemon(daemons.loop, "loopd");
  return (await loop.listSwaps()).find((s) => s.label === key && s.type === type)?.swapHash;
}

export const loopOut: KindHandler<"loop-out"> = {
  kind: "loop-out",
  describe: ({ payload: a }) =>
    `loop out ${a.amountSats} sats to ${a.dest}` +
    `${a.channel ? ` through channel ${outpointString(a.channel)}` : ""}, ` +
    `fees at most ${a.maxFeeSats} sats`,
  onchainSpend: () => 0n,
  reconcile: (_action, context) => swapByLabel("out", context),

  async act({ payload: action }, { daemons, key }) {
    const loop = requireDaemon(daemons.loop, "loopd");
    if (daemons.vault && !(await daemons.vault.isVaultAddress(action.dest)))
      throw overLimit(`loop-out dest ${action.dest} is not a vault address`);
    const outgoingChanIds: string[] = [];
    if (action.channel) {
      const lnd = requireDaemon(daemons.lnd, "lnd");
      const wanted = outpointString(action.channel);
      const channel = (await lnd.listChannels()).find(
        (c) => outpointString(c.outpoint) === wanted && c.state === "open" && c.chanId,
      );
      if (!channel?.chanId) throw conflict(`unknown channel ${wanted}`);
      outgoingChanIds.push(channel.chanId);
    }
    const { swapHash } = await loop.loopOut({
      amountSats: action.amountSats,
      dest: action.dest,
      outgoingChanIds,
      label: key,
      maxTotalFeeSats: action.maxFeeSats,
    });
    return swapHash;
  },

  settle: async (_action, ref) => hex32(ref, "swap hash"),
};

export const loopIn: KindHandler<"loop-in"> = {
  kind: "loop-in",
  describe: ({ payload: a }) =>
    `loop in ${a.amountSats} sats${a.lastHop ? ` with last hop ${a.lastHop}` : ""}, fees at most ${a.maxFeeSats} sats`,
  // Loop In pays the swap's HTLC from the on-chain wallet.
  onchainSpend: ({ payload }) => payload.amountSats,
  reconcile: (_action, context) => swapByLabel("in", context),

  async act({ payload: action }, { daemons, key }) {
    const loop = requireDaemon(daemons.loop, "loopd");
    const { swapHash } = await loop.loopIn({
      amountSats: action.amountSats,
      lastHop: action.lastHop ?? undefined,
      label: key,
      maxTotalFeeSats: action.maxFeeSats,
    });
    return swapHash;
  },

  settle: async (_action, ref) => hex32(ref, "swap hash"),
};
