// The liquidity monitor's decisions as a table: which rule gets which swap, of what size, and why the others get none.
import { describe, expect, it } from "vitest";
import type { RebalancePolicy } from "../../actions/index.ts";
import { need, planSwaps, rulesFor, type PlanInput } from "../monitors/liquidity-rules.ts";

const A = `02${"aa".repeat(32)}`;
const B = `03${"bb".repeat(32)}`;

const policy = (overrides: Partial<RebalancePolicy> = {}): RebalancePolicy => ({
  minInboundPct: 20n,
  minOutboundPct: 20n,
  maxSwapFeePpm: 5_000n,
  budgetSats: 2_000_000n,
  budgetPeriod: 144n,
  maxInFlight: 2n,
  peers: [],
  ...overrides,
});

const channel = (n: number, pubkey: string, local: bigint, remote: bigint, active = true) => ({
  chanId: `${n}x1x0`,
  outpoint: { txid: n.toString(16).padStart(64, "0"), vout: 0 },
  pubkey,
  localSats: local,
  remoteSats: remote,
  active,
});

const input = (overrides: Partial<PlanInput> = {}): PlanInput => ({
  channels: [],
  policy: policy(),
  rulesInFlight: new Set(),
  inFlight: 0,
  budgetLeftSats: 2_000_000n,
  maxSwapSats: 10_000_000n,
  operatorLeftSats: 10_000_000n,
  terms: { out: { minSats: 100_000n, maxSats: 5_000_000n }, in: { minSats: 100_000n, maxSats: 5_000_000n } },
  ...overrides,
});

describe("need: the swap a rule calls for", () => {
  it.each([
    // local, remote, min-in, min-out, expected
    {
      local: 9_000_000n,
      remote: 1_000_000n,
      minIn: 20n,
      minOut: 20n,
      want: { kind: "loop-out", amountSats: 4_000_000n },
    },
    {
      local: 1_000_000n,
      remote: 9_000_000n,
      minIn: 20n,
      minOut: 20n,
      want: { kind: "loop-in", amountSats: 4_000_000n },
    },
    { local: 5_000_000n, remote: 5_000_000n, minIn: 20n, minOut: 20n, want: undefined },
    { local: 8_000_000n, remote: 2_000_000n, minIn: 20n, minOut: 20n, want: undefined },
    {
      local: 8_000_001n,
      remote: 1_999_999n,
      minIn: 20n,
      minOut: 20n,
      want: { kind: "loop-out", amountSats: 3_000_001n },
    },
    // asymmetric band: inbound in [30, 90]; the middle is 60% inbound
    {
      local: 9_000_000n,
      remote: 1_000_000n,
      minIn: 30n,
      minOut: 10n,
      want: { kind: "loop-out", amountSats: 5_000_000n },
    },
    { local: 0n, remote: 0n, minIn: 20n, minOut: 20n, want: undefined },
  ])(
    "local $local / remote $remote, min inbound $minIn%, min outbound $minOut% -> $want",
    ({ local, remote, minIn, minOut, want }) => {
      const [rule] = rulesFor([channel(1, A, local, remote)], policy({ minInboundPct: minIn, minOutboundPct: minOut }));
      expect(need(rule!, policy({ minInboundPct: minIn, minOutboundPct: minOut }))).toEqual(want);
    },
  );
});

describe("rulesFor: per channel, or per listed peer", () => {
  it("makes one rule per channel when the policy lists no peers", () => {
    const rules = rulesFor([channel(1, A, 1n, 2n), channel(2, A, 3n, 4n), channel(3, B, 5n, 6n)], policy());
    expect(rules.map((r) => r.key)).toEqual(["channel:1x1x0", "channel:2x1x0", "channel:3x1x0"]);
  });
  it("makes one rule per listed peer, summing its channels, and ignores unlisted peers", () => {
    const rules = rulesFor(
      [channel(1, A, 1n, 2n), channel(2, A, 3n, 4n), channel(3, B, 5n, 6n)],
      policy({ peers: [A] }),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ key: `peer:${A}`, localSats: 4n, remoteSats: 6n });
  });
});

describe("planSwaps: a decision and a reason for every rule", () => {
  const low = channel(1, A, 9_000_000n, 1_000_000n);
  it.each([
    { name: "liquidity fine", o: { channels: [channel(1, A, 5_000_000n, 5_000_000n)] }, reason: "liquidity-ok" },
    { name: "budget spent", o: { channels: [low], budgetLeftSats: 99_999n }, reason: "budget-spent" },
    { name: "in flight at the policy's maximum", o: { channels: [low], inFlight: 2 }, reason: "in-flight" },
    {
      name: "this rule already has a swap in flight",
      o: { channels: [low], rulesInFlight: new Set(["channel:1x1x0"]) },
      reason: "rule-in-flight",
    },
    {
      name: "inactive channel",
      o: { channels: [channel(1, A, 9_000_000n, 1_000_000n, false)] },
      reason: "channel-inactive",
    },
    {
      name: "operator's daily cap used up",
      o: { channels: [low], operatorLeftSats: 50_000n },
      reason: "operator-limit",
    },
    {
      name: "shortfall below loopd's minimum",
      o: {
        channels: [channel(1, A, 900_000n, 100_000n)],
        terms: { out: { minSats: 500_000n, maxSats: 5_000_000n }, in: undefined },
      },
      reason: "below-minimum-swap",
    },
    {
      name: "loopd not available",
      o: { channels: [low], terms: { out: undefined, in: undefined } },
      reason: "no-loopd",
    },
  ])("$name -> no swap, reason $reason", ({ o, reason }) => {
    const [decision] = planSwaps(input(o as Partial<PlanInput>));
    expect(decision?.swap).toBeUndefined();
    expect(decision?.reason).toBe(reason);
  });

  it("loops out when inbound is under the threshold, clamped by the budget, fee cap from the policy's ppm", () => {
    const [decision] = planSwaps(input({ channels: [low], budgetLeftSats: 1_500_000n }));
    expect(decision?.swap).toMatchObject({ kind: "loop-out", amountSats: 1_500_000n, maxFeeSats: 7_500n });
  });

  it("clamps to the swap server's maximum and the operator's per-swap cap", () => {
    expect(
      planSwaps(input({ channels: [low], terms: { out: { minSats: 1n, maxSats: 700_000n }, in: undefined } }))[0]?.swap
        ?.amountSats,
    ).toBe(700_000n);
    expect(planSwaps(input({ channels: [low], maxSwapSats: 300_000n }))[0]?.swap?.amountSats).toBe(300_000n);
  });

  it("serves the largest shortfall first and stops at max-in-flight, spending the budget as it goes", () => {
    const decisions = planSwaps(
      input({
        channels: [
          channel(1, A, 7_500_000n, 2_500_000n),
          channel(2, B, 9_500_000n, 500_000n),
          channel(3, A, 9_000_000n, 1_000_000n),
        ],
        policy: policy({ minInboundPct: 30n, maxInFlight: 2n }),
        budgetLeftSats: 10_000_000n,
      }),
    );
    expect(decisions.map((d) => [d.rule, d.swap?.amountSats ?? d.reason])).toEqual([
      ["channel:2x1x0", 5_000_000n],
      ["channel:3x1x0", 4_500_000n],
      ["channel:1x1x0", "in-flight"],
    ]);
  });

  it("loops in when outbound is under the threshold, with the rule's peer as last hop", () => {
    const [decision] = planSwaps(
      input({ channels: [channel(1, B, 500_000n, 9_500_000n)], budgetLeftSats: 10_000_000n }),
    );
    expect(decision?.swap).toMatchObject({ kind: "loop-in", amountSats: 4_500_000n });
    expect(decision?.swap?.rule.peer).toBe(B);
  });

  it("gives every rule of the policy exactly one decision", () => {
    const channels = [
      channel(1, A, 5_000_000n, 5_000_000n),
      channel(2, B, 9_000_000n, 1_000_000n),
      channel(3, A, 1_000_000n, 9_000_000n),
      channel(4, B, 9_000_000n, 1_000_000n, false),
    ];
    const decisions = planSwaps(input({ channels, budgetLeftSats: 10_000_000n }));
    expect(decisions.map((d) => d.rule).sort()).toEqual([
      "channel:1x1x0",
      "channel:2x1x0",
      "channel:3x1x0",
      "channel:4x1x0",
    ]);
    expect(Object.fromEntries(decisions.map((d) => [d.rule, d.swap?.kind ?? d.reason]))).toEqual({
      "channel:1x1x0": "liquidity-ok",
      "channel:2x1x0": "loop-out",
      "channel:3x1x0": "loop-in",
      "channel:4x1x0": "channel-inactive",
    });
  });
});
