// The executor with several actions in flight (executor.max_in_flight): the actions' chain waits overlap, each
// action still moves through its states once and is reported once, and actions that spend on-chain still keep the
// daily budget between them.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { harness } from "./harness.ts";
import { PEER } from "./harness.ts";

const feePolicy = (feePpm: bigint): RelayAction => ({
  kind: "fee-policy",
  payload: {
    target: null,
    baseFeeMsat: 0n,
    feePpm,
    inboundBaseDiscountMsat: 0n,
    inboundPpmDiscount: 0n,
    cltvDelta: 80n,
  },
});

const open = (localSats: bigint): RelayAction => ({
  kind: "channel-open",
  payload: {
    peer: PEER,
    host: "127.0.0.1:9735",
    localSats,
    pushSats: 0n,
    private: false,
    baseFeeMsat: 1000n,
    feePpm: 1n,
    cltvDelta: 80n,
  },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("the executor with several actions in flight", () => {
  it.each([
    { maxInFlight: 1, actions: 6, overlap: 1 },
    { maxInFlight: 4, actions: 6, overlap: 4 },
  ])(
    "max_in_flight $maxInFlight: $overlap chain waits at once, every action reported once",
    async ({ maxInFlight, actions, overlap }) => {
      const h = await harness({ executor: { maxInFlight } });
      // Every confirmation takes a while, as a block does: the waits of actions in flight overlap.
      const confirmed = h.queue.waitForTx.bind(h.queue);
      let waiting = 0;
      let peak = 0;
      h.queue.waitForTx = async (txid) => {
        peak = Math.max(peak, ++waiting);
        await sleep(20);
        waiting--;
        return confirmed(txid);
      };
      const ids = Array.from({ length: actions }, (_, i) => BigInt(i + 1));
      for (const id of ids) await h.queueAction(id, feePolicy(100n + id));
      await h.drainUntilSettled(3);
      expect(peak).toBe(overlap);
      for (const id of ids) {
        const moves = (await h.journal.actions.history(id)).map((t) => t.to);
        expect(moves, `#${id}`).toEqual(["seen", "claimed", "executing", "done", "reported"]);
        expect(h.queue.actions.get(id)?.status).toBe("executed");
      }
      expect(h.queue.log.count("reportSuccess")).toBe(actions);
      expect(h.lnd.log.count("applyPolicy")).toBeGreaterThanOrEqual(actions);
    },
  );

  it("two channel-opens in flight together cannot both pass the daily on-chain budget", async () => {
    const h = await harness({ executor: { maxInFlight: 4 }, limits: { dailyOnchainBudgetSats: 1_500_000n } });
    await h.queueAction(1n, open(1_000_000n));
    await h.queueAction(2n, open(1_000_000n));
    await h.drainUntilSettled(6);
    const rows = [await h.journal.actions.get(1n), await h.journal.actions.get(2n)];
    // one opens (its channel still confirming), the other is refused over the budget before acting
    const refused = rows.filter((r) => r?.outcome === "failure");
    expect(refused.map((r) => [r?.state, r?.failureCode])).toEqual([["reported", 403]]);
    expect(rows.filter((r) => r?.state === "executing")).toHaveLength(1);
    expect(h.lnd.log.count("openChannel")).toBe(1);
  });
});
