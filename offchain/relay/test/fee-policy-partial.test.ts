// A fee-policy that lnd refuses on some channels after it applied it on others. The receipt must not mislead the
// DAO: a 409 means the node is as it was (the changed channels are put back), and a channel that cannot be put back
// is named first in the failure detail, so the DAO learns exactly which channels carry the refused policy.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { outpointString, type Outpoint } from "../daemons/ports.ts";
import { harness, OTHER_PEER, PEER, type Harness } from "./harness.ts";

const everyChannel: RelayAction = {
  kind: "fee-policy",
  payload: {
    target: null,
    baseFeeMsat: 5n,
    feePpm: 900n,
    inboundBaseDiscountMsat: 10n,
    inboundPpmDiscount: 3n,
    cltvDelta: 100n,
  },
};

interface PartialCase {
  name: string;
  /** lnd's refusal for a channel and the policy sent to it (the three channels are a, b, c) */
  refuse: (channel: "a" | "b" | "c", feeRatePpm: number) => string | undefined;
  /** channels that end with the refused policy's fee rate */
  leftChanged: ("a" | "b" | "c")[];
  detail: (h: Harness, c: Record<"a" | "b" | "c", Outpoint>) => RegExp;
}

const cases: PartialCase[] = [
  {
    name: "refused on one channel: the two changed before it are restored; the detail says nothing was left changed",
    refuse: (channel) => (channel === "b" ? "UPDATE_FAILURE_PENDING" : undefined),
    leftChanged: [],
    detail: (_h, c) =>
      new RegExp(
        "^lnd refused 1 of 3 channel\\(s\\), " +
          `the 2 changed were restored: ${outpointString(c.b)} UPDATE_FAILURE_PENDING$`,
      ),
  },
  {
    name: "refused on every channel: nothing was changed, and the detail says so",
    refuse: () => "INTERNAL_ERR no edge",
    leftChanged: [],
    detail: () => /^lnd refused 3 of 3 channel\(s\), no channel was changed: /,
  },
  {
    name: "refused on one channel and lnd also refuses to restore another: that channel is named first as left changed",
    refuse: (channel, feeRatePpm) =>
      channel === "b" || (channel === "c" && feeRatePpm !== 900) ? "INTERNAL_ERR refused" : undefined,
    leftChanged: ["c"],
    detail: (_h, c) => new RegExp(`^LEFT CHANGED on 1 channel\\(s\\): ${outpointString(c.c)}; lnd refused 1 of 3: `),
  },
];

describe("executor: a fee-policy lnd refuses on some channels", () => {
  it.each(cases)("$name", async ({ refuse, leftChanged, detail }) => {
    const h = await harness();
    const c = {
      a: h.lnd.addChannel(PEER, 1_000_000n).outpoint,
      b: h.lnd.addChannel(OTHER_PEER, 2_000_000n).outpoint,
      c: h.lnd.addChannel(PEER, 3_000_000n).outpoint,
    };
    const name = (channel: Outpoint) =>
      Object.entries(c).find(([, o]) => outpointString(o) === outpointString(channel))![0] as "a" | "b" | "c";
    const before = h.lnd.policies.map((p) => ({ ...p }));
    h.lnd.refusePolicy = (channel, policy) => refuse(name(channel), policy.feeRatePpm);
    await h.queueAction(1n, everyChannel);
    await h.drainUntilSettled(3);

    const row = await h.journal.actions.get(1n);
    expect(row).toMatchObject({ state: "reported", outcome: "failure", failureCode: 409, failureRetryable: false });
    expect(row!.failureDetail).toMatch(detail(h, c));
    expect(h.queue.actions.get(1n)).toMatchObject({ status: "failed", failureCode: 409 });
    const changed = h.lnd.policies.filter((p, i) => p.feeRatePpm !== before[i]!.feeRatePpm).map((p) => name(p.channel));
    expect(changed).toEqual(leftChanged);
    for (const [i, policy] of h.lnd.policies.entries()) {
      if (!leftChanged.includes(name(policy.channel))) expect(policy).toEqual(before[i]);
    }
  });

  it("applied on every channel: success with the applied set's hash, no restore", async () => {
    const h = await harness();
    h.lnd.addChannel(PEER, 1_000_000n);
    h.lnd.addChannel(OTHER_PEER, 2_000_000n);
    await h.queueAction(1n, everyChannel);
    await h.drainUntilSettled(3);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success" });
    expect(h.lnd.log.count("applyPolicy")).toBe(1);
    expect(h.lnd.policies.map((p) => p.feeRatePpm)).toEqual([900, 900]);
  });
});
