// Loop Out against real peers: the node emulation with the real contracts, the lnd simulators and the loopd REST
// simulator (swaps as real payments between dao and peer). A voted loop-out runs through loopd with its label; a
// voted rebalance-policy becomes the policy in force on-chain, and the liquidity monitor loops out on its own when
// dao's inbound share is under the policy's threshold, recording the swap with report-autonomous, and stops once
// the liquidity is back within the band.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { connectLoop, createAddress, getChannelBalance, listSwaps } from "../../lightning/index.ts";
import { passAction, readOnly } from "../../devnet/governance.ts";
import { startIntegrationStack } from "./integration-stack.ts";
import { relaySuite } from "./relay-suite.ts";
import { until } from "./wait.ts";

const suite = relaySuite("loop.integration.test.ts", {
  start: async () => {
    const stack = await startIntegrationStack("relay-loop");
    if (!stack.hasLoop) throw new Error("the loopd simulator (offchain/regtest/loopd-sim) is not available");
    return stack;
  },
  prepare: () => ({ monitors: { liquidity_poll_ms: 300, revenue_epoch_blocks: 52_560 } }),
  timeoutMs: 180_000,
});

const loopClient = () =>
  connectLoop({
    restUrl: suite.stack.sim.loop!.restUrl,
    cert: suite.stack.sim.loop!.cert,
    macaroonHex: suite.stack.sim.loop!.macaroonHex,
  });
const inboundPct = async () => {
  const b = await getChannelBalance({ lnd: suite.stack.sim.lnd.dao });
  return (b.remoteSats * 100) / (b.localSats + b.remoteSats);
};

describe("Loop Out through the relay (loopd simulator)", () => {
  it("a voted loop-out starts one swap labelled lvdao:<id> and reports its swap hash", async () => {
    const dest = await createAddress({ lnd: suite.stack.sim.lnd.dao, format: "p2wpkh" });
    const payload = Buffer.from(
      serializeCV(
        Cl.tuple({
          "amount-sats": Cl.uint(300_000),
          channel: Cl.none(),
          dest: Cl.stringAscii(dest),
          "max-fee-sats": Cl.uint(10_000),
        }),
      ),
      "hex",
    );
    const id = await passAction(suite.stack.devnet, "loop-out", payload, "loop out 300k");
    await until(
      `loop-out #${id} reported`,
      async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
    );
    const swaps = await listSwaps({ loop: loopClient(), label: `lvdao:${id}` });
    expect(swaps).toHaveLength(1);
    expect(swaps[0]).toMatchObject({ type: "LOOP_OUT", amountSats: 300_000 });
    expect(await readOnly(suite.stack.devnet, "proposals", "get-proposal-status", [Cl.uint(id)])).toBe(
      '(ok "executed")',
    );
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-action", [Cl.uint(id)])).toContain(
      `(evidence (some 0x${swaps[0]!.id}))`,
    );
    await until(
      "the swap to succeed",
      async () => (await listSwaps({ loop: loopClient(), label: `lvdao:${id}` }))[0]?.state === "SUCCESS",
    );
  });

  it("the monitor loops out on its own when inbound falls below the threshold, records it, then stops", async () => {
    expect(await inboundPct()).toBeLessThan(60);
    const payload = Buffer.from(
      serializeCV(
        Cl.tuple({
          "min-inbound-pct": Cl.uint(60),
          "min-outbound-pct": Cl.uint(10),
          "max-swap-fee-ppm": Cl.uint(10_000),
          "budget-sats": Cl.uint(3_000_000),
          "budget-period": Cl.uint(144),
          "max-in-flight": Cl.uint(1),
          peers: Cl.list([]),
        }),
      ),
      "hex",
    );
    const id = await passAction(suite.stack.devnet, "rebalance-policy", payload, "keep 60% inbound");
    await until(
      `rebalance-policy #${id} reported`,
      async () => (await suite.relay.journal.actions.get(id))?.state === "reported",
    );
    expect(await readOnly(suite.stack.devnet, "execution-queue", "get-active-policy", [])).toContain(`(id u${id})`);

    const label = `lvdao:auto:${id}:1`;
    const [swap] = await until("the monitor's swap", async () => {
      const found = await listSwaps({ loop: loopClient(), label });
      return found.length ? found : undefined;
    });
    expect(swap).toMatchObject({ type: "LOOP_OUT" });
    const spent = await until("report-autonomous to confirm", async () => {
      const repr = await readOnly(suite.stack.devnet, "execution-queue", "get-autonomous-spent", [
        Cl.uint(id),
        Cl.uint(0),
      ]);
      return repr !== "u0" ? repr : undefined;
    });
    expect(spent).toBe(`u${swap!.amountSats}`);
    await until(
      "the autonomous swap to succeed",
      async () => (await listSwaps({ loop: loopClient(), label }))[0]?.state === "SUCCESS",
    );
    expect(await inboundPct()).toBeGreaterThanOrEqual(60);
    await until("the monitor to see the liquidity back in the band", async () => {
      const status = (await suite.relay.status()) as {
        workers: Record<string, { lastDecisions?: { decision: string }[] }>;
      };
      const decisions = status.workers["liquidity-monitor"]?.lastDecisions ?? [];
      // A round in progress shows no decisions yet; only a finished round with every rule in the band counts.
      return decisions.length > 0 && decisions.every((d) => d.decision === "liquidity-ok") ? true : undefined;
    });
    expect((await listSwaps({ loop: loopClient() })).filter((s) => s.label.startsWith("lvdao:auto:"))).toHaveLength(1);
    const metrics = suite.relay.metrics.registry.render();
    expect(metrics).toContain('lvdao_relay_liquidity_decisions_total{decision="loop-out"} 1');
    expect(metrics).toMatch(/lvdao_relay_liquidity_decisions_total\{decision="liquidity-ok"\} [1-9]/);
  });
});
