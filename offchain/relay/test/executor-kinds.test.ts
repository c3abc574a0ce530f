// Every relay kind through the executor, from seen to a confirmed receipt, against the fakes: what reaches the
// daemon (with the idempotency key), and the evidence that reaches the chain.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalPolicySet } from "../../lightning/requests/policy.ts";
import type { RelayAction } from "../actions.ts";
import { lastExecutedPolicy } from "../status/snapshot.ts";
import { harness, OTHER_PEER, PEER, type Harness } from "./harness.ts";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

interface KindCase {
  name: string;
  setup?: (h: Harness) => void | Promise<void>;
  action: (h: Harness) => RelayAction;
  /** runs between drains, like blocks being mined */
  between?: (h: Harness) => void;
  check: (h: Harness, evidence: string) => void | Promise<void>;
}

const cases: KindCase[] = [
  {
    name: "channel-open connects, opens with memo lvdao:<id>, applies the policy once confirmed, reports the outpoint",
    action: () => ({
      kind: "channel-open",
      payload: {
        peer: PEER,
        host: "127.0.0.1:9735",
        localSats: 1_000_000n,
        pushSats: 10_000n,
        private: false,
        baseFeeMsat: 500n,
        feePpm: 250n,
        cltvDelta: 40n,
      },
    }),
    between: (h) => h.lnd.mine(),
    check: (h, evidence) => {
      expect(h.lnd.log.count("connectPeer")).toBe(1);
      expect(h.lnd.log.count("openChannel")).toBe(1);
      const channel = h.lnd.channels.find((c) => c.memo === "lvdao:1")!;
      expect(channel.state).toBe("open");
      expect(evidence).toBe(`${channel.outpoint.txid}${channel.outpoint.vout.toString(16).padStart(8, "0")}`);
      expect(h.lnd.policies.find((p) => p.channel.txid === channel.outpoint.txid)).toMatchObject({
        baseFeeMsat: 500n,
        feeRatePpm: 250,
        cltvDelta: 40,
      });
    },
  },
  {
    name: "channel-close closes cooperatively under the lower of the payload's and the operator's fee-rate cap",
    setup: (h) => void h.lnd.addChannel(PEER, 2_000_000n),
    action: (h) => ({
      kind: "channel-close",
      payload: { ...h.lnd.channels[0]!.outpoint, force: false, maxFeeRate: 200n },
    }),
    check: (h, evidence) => {
      expect(h.lnd.lastCloseRequest).toMatchObject({ force: false, maxFeeRate: 50n });
      expect(h.lnd.channels[0]).toMatchObject({ state: "closing", closingTxid: evidence });
    },
  },
  {
    name: "channel-close force-closes when asked",
    setup: (h) => void h.lnd.addChannel(PEER, 2_000_000n),
    action: (h) => ({
      kind: "channel-close",
      payload: { ...h.lnd.channels[0]!.outpoint, force: true, maxFeeRate: 10n },
    }),
    check: (h) => expect(h.lnd.lastCloseRequest).toMatchObject({ force: true, maxFeeRate: 10n }),
  },
  {
    name: "fee-policy on every channel merges with lnd's policy, discounts as negative inbound fees, hashes the set",
    setup: (h) => {
      h.lnd.addChannel(PEER, 1_000_000n);
      h.lnd.addChannel(OTHER_PEER, 3_000_000n);
    },
    action: () => ({
      kind: "fee-policy",
      payload: {
        target: null,
        baseFeeMsat: 0n,
        feePpm: 120n,
        inboundBaseDiscountMsat: 100n,
        inboundPpmDiscount: 25n,
        cltvDelta: 80n,
      },
    }),
    check: (h, evidence) => {
      expect(h.lnd.log.count("applyPolicy")).toBe(1);
      expect(
        h.lnd.policies.map((p) => [p.feeRatePpm, p.inboundBaseFeeMsat, p.inboundFeeRatePpm, p.maxHtlcMsat]),
      ).toEqual([
        [120, -100, -25, 990_000_000n],
        [120, -100, -25, 2_970_000_000n],
      ]);
      // The same text lvdao audit recomputes from the live node.
      expect(evidence).toBe(sha(canonicalPolicySet(h.lnd.policies)));
    },
  },
  {
    name: "fee-policy on one channel leaves the others alone",
    setup: (h) => {
      h.lnd.addChannel(PEER, 1_000_000n);
      h.lnd.addChannel(OTHER_PEER, 3_000_000n);
    },
    action: (h) => ({
      kind: "fee-policy",
      payload: {
        target: h.lnd.channels[1]!.outpoint,
        baseFeeMsat: 2n,
        feePpm: 7n,
        inboundBaseDiscountMsat: 0n,
        inboundPpmDiscount: 0n,
        cltvDelta: 144n,
      },
    }),
    check: (h) => {
      expect(h.lnd.policies.map((p) => p.feeRatePpm)).toEqual([1, 7]);
      expect(h.lnd.policies[1]!.cltvDelta).toBe(144);
    },
  },
  {
    name: "rebalance-policy is reported with its payload's sha256, and status shows it as the newest executed policy",
    action: () => ({
      kind: "rebalance-policy",
      payload: {
        minInboundPct: 20n,
        minOutboundPct: 30n,
        maxSwapFeePpm: 5000n,
        budgetSats: 500_000n,
        budgetPeriod: 144n,
        maxInFlight: 2n,
        peers: [PEER],
      },
    }),
    check: async (h, evidence) => {
      const active = await lastExecutedPolicy(h.journal.actions);
      expect(active?.actionId).toBe("1");
      expect(active?.policy).toMatchObject({ minInboundPct: "20", budgetSats: "500000", peers: [PEER] });
      expect(evidence).toBe(active?.payloadSha256);
    },
  },
  {
    name: "loop-out names the channel by its lnd id, labels the swap and passes the fee cap",
    setup: (h) => void h.lnd.addChannel(PEER, 1_000_000n),
    action: (h) => ({
      kind: "loop-out",
      payload: {
        amountSats: 250_000n,
        channel: h.lnd.channels[0]!.outpoint,
        dest: "bcrt1qexampleexampleexample",
        maxFeeSats: 3_000n,
      },
    }),
    check: (h, evidence) => {
      expect(h.loop.requests[0]).toEqual({
        amountSats: 250_000n,
        dest: "bcrt1qexampleexampleexample",
        outgoingChanIds: [h.lnd.channels[0]!.chanId],
        label: "lvdao:1",
        maxTotalFeeSats: 3_000n,
      });
      expect(evidence).toBe(h.loop.swaps[0]!.swapHash);
    },
  },
  {
    name: "loop-in labels the swap and passes the last hop",
    action: () => ({ kind: "loop-in", payload: { amountSats: 300_000n, lastHop: PEER, maxFeeSats: 4_000n } }),
    check: (h, evidence) => {
      expect(h.loop.requests[0]).toEqual({
        amountSats: 300_000n,
        lastHop: PEER,
        label: "lvdao:1",
        maxTotalFeeSats: 4_000n,
      });
      expect(evidence).toBe(h.loop.swaps[0]!.swapHash);
    },
  },
  {
    name: "lv-transfer sends from the sending wallet's tapd to an address of the receiving wallet, labelled",
    setup: (h) => {
      h.tapd.reserve.balance = 1_000n;
    },
    action: () => ({ kind: "lv-transfer", payload: { from: "reserve", to: "operations", amount: 400n } }),
    check: (h, evidence) => {
      expect(h.tapd.operations.log.count("newLvAddress")).toBe(1);
      expect(h.tapd.reserve.transfers).toEqual([{ label: "lvdao:1", anchorTxid: evidence, confirmed: false }]);
      expect(h.tapd.reserve.balance).toBe(600n);
      expect(h.tapd.operations.balance).toBe(400n);
    },
  },
  {
    name: "watchtower add puts the tower in the client; evidence is sha256(pubkey@host)",
    action: () => ({ kind: "watchtower", payload: { add: true, pubkey: PEER, host: "10.0.0.1:9911" } }),
    check: (h, evidence) => {
      expect(h.lnd.towers).toEqual([{ pubkey: PEER, addresses: ["10.0.0.1:9911"], active: true }]);
      expect(evidence).toBe(sha(`${PEER}@10.0.0.1:9911`));
    },
  },
  {
    name: "watchtower remove takes the tower out",
    setup: (h) => void h.lnd.towers.push({ pubkey: PEER, addresses: ["10.0.0.1:9911"], active: true }),
    action: () => ({ kind: "watchtower", payload: { add: false, pubkey: PEER, host: "" } }),
    check: (h) => expect(h.lnd.towers).toEqual([]),
  },
];

describe("executor: each relay kind end to end against fakes", () => {
  it.each(cases)("$name", async ({ setup, action, between, check }) => {
    const h = await harness();
    await setup?.(h);
    await h.queueAction(1n, action(h));
    for (let round = 0; round < 5; round++) {
      await h.executor.drain();
      between?.(h);
      h.clock.now += 1_000;
    }
    const row = await h.journal.actions.get(1n);
    expect(row).toMatchObject({ state: "reported", outcome: "success" });
    const onChain = h.queue.actions.get(1n)!;
    expect(onChain.status).toBe("executed");
    expect(onChain.evidence).toBe(row!.evidenceHex);
    await check(h, onChain.evidence!);
    expect(h.metrics.actions.get({ kind: row!.kind, outcome: "executed" })).toBe(1);
    expect(h.metrics.actionSeconds.count({ kind: row!.kind })).toBe(1);
    expect((await h.journal.actions.history(1n)).map((t) => t.to)).toEqual([
      "seen",
      "claimed",
      "executing",
      "done",
      "reported",
    ]);
  });
});
