// The audit's comparison as a table: each kind of drift it must catch, and the states it must accept.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { compare, expectedLv, type NodeState } from "../cli/audit/compare.ts";
import type { Decisions } from "../cli/audit/decisions.ts";

const T1 = "11".repeat(32);
const T2 = "22".repeat(32);
const T3 = "33".repeat(32);
const PEER = `02${"aa".repeat(32)}`;
const TOWER = `03${"bb".repeat(32)}`;

const open = (id: bigint, txid: string, vout = 0): Decisions["executed"][number] => ({
  id,
  action: {
    kind: "channel-open",
    payload: {
      peer: PEER,
      host: "h:1",
      localSats: 1_000_000n,
      pushSats: 0n,
      private: false,
      baseFeeMsat: 1000n,
      feePpm: 100n,
      cltvDelta: 40n,
    },
  },
  evidenceHex: `${txid}${vout.toString(16).padStart(8, "0")}`,
});
const act = (id: bigint, action: RelayAction): Decisions["executed"][number] => ({
  id,
  action,
  evidenceHex: "00".repeat(32),
});
const fee = (target: string | null, base: bigint, ppm: bigint, inboundBase = 0n, inboundPpm = 0n): RelayAction => ({
  kind: "fee-policy",
  payload: {
    target: target ? { txid: target, vout: 0 } : null,
    baseFeeMsat: base,
    feePpm: ppm,
    inboundBaseDiscountMsat: inboundBase,
    inboundPpmDiscount: inboundPpm,
    cltvDelta: 40n,
  },
});
const decisions = (executed: Decisions["executed"], more: Partial<Decisions> = {}): Decisions => ({
  executed,
  epochs: [],
  contributions: [],
  unreadable: [],
  ...more,
});
const policy = (base: bigint, ppm: number, inboundBase = 0, inboundPpm = 0, cltv: number | null = 40) => ({
  baseFeeMsat: base,
  feeRatePpm: ppm,
  cltvDelta: cltv,
  inboundBaseFeeMsat: inboundBase,
  inboundFeeRatePpm: inboundPpm,
});
const node = (o: Partial<NodeState> = {}): NodeState => ({
  channels: [],
  policies: new Map(),
  towers: [],
  lv: undefined,
  ...o,
});
const ch = (txid: string, state: NodeState["channels"][number]["state"] = "open", isOpener = true) => ({
  outpoint: `${txid}:0`,
  state,
  isOpener,
  peer: PEER,
});

describe("audit compare", () => {
  it("accepts a node that matches: the DAO's channel with its open policy, a peer-opened channel, no towers", () => {
    const drifts = compare(
      decisions([open(1n, T1)]),
      node({
        channels: [ch(T1), ch(T2, "open", false)],
        policies: new Map([
          [`${T1}:0`, policy(1000n, 100)],
          [`${T2}:0`, policy(1n, 1)],
        ]),
      }),
    );
    expect(drifts).toEqual([]);
  });

  it.each([
    {
      name: "a channel opened by hand",
      d: decisions([]),
      n: node({ channels: [ch(T1)] }),
      kind: "channel-not-decided",
    },
    {
      name: "a channel still opening, by hand",
      d: decisions([]),
      n: node({ channels: [ch(T1, "opening")] }),
      kind: "channel-not-decided",
    },
    {
      name: "the DAO's channel closed by hand",
      d: decisions([open(1n, T1)]),
      n: node({ channels: [ch(T1, "closed")] }),
      kind: "channel-gone",
    },
    { name: "the DAO's channel unknown to lnd", d: decisions([open(1n, T1)]), n: node(), kind: "channel-gone" },
    {
      name: "a channel the DAO closed still open",
      d: decisions([
        open(1n, T1),
        act(2n, { kind: "channel-close", payload: { txid: T1, vout: 0, force: false, maxFeeRate: 5n } }),
      ]),
      n: node({ channels: [ch(T1)], policies: new Map([[`${T1}:0`, policy(1000n, 100)]]) }),
      kind: "channel-not-closed",
    },
    {
      name: "a fee changed by hand",
      d: decisions([open(1n, T1), act(2n, fee(T1, 2000n, 450n, 500n, 50n))]),
      n: node({ channels: [ch(T1)], policies: new Map([[`${T1}:0`, policy(2000n, 999, -500, -50)]]) }),
      kind: "policy-differs",
    },
    {
      name: "an inbound discount removed by hand",
      d: decisions([open(1n, T1), act(2n, fee(null, 2000n, 450n, 500n, 50n))]),
      n: node({ channels: [ch(T1)], policies: new Map([[`${T1}:0`, policy(2000n, 450, 0, 0)]]) }),
      kind: "policy-differs",
    },
    {
      name: "a tower added by hand",
      d: decisions([]),
      n: node({ towers: [{ pubkey: TOWER, addresses: ["t:1"] }] }),
      kind: "tower-not-decided",
    },
    {
      name: "the DAO's tower removed by hand",
      d: decisions([act(1n, { kind: "watchtower", payload: { add: true, pubkey: TOWER, host: "t:1" } })]),
      n: node(),
      kind: "tower-missing",
    },
    {
      name: "LV missing from the reserve",
      d: decisions([], { epochs: [{ epoch: 0n, toInfrastructure: 10n, toChannels: 60n, toReserve: 30n }] }),
      n: node({ lv: [{ wallets: ["reserve", "withdrawal", "operations", "channels"], balance: 99n }] }),
      kind: "lv-balance",
    },
  ])("catches $name as $kind", ({ d, n, kind }) => {
    expect(compare(d, n).map((x) => x.kind)).toEqual([kind]);
  });

  it("expects the newest decision: a later all-channel fee-policy overrides an earlier targeted one", () => {
    const d = decisions([open(1n, T1), act(2n, fee(T1, 5n, 5n)), act(3n, fee(null, 7n, 7n))]);
    expect(compare(d, node({ channels: [ch(T1)], policies: new Map([[`${T1}:0`, policy(7n, 7)]]) }))).toEqual([]);
    expect(compare(d, node({ channels: [ch(T1)], policies: new Map([[`${T1}:0`, policy(5n, 5)]]) }))[0]).toMatchObject({
      kind: "policy-differs",
      expected: expect.stringContaining("action #3"),
    });
  });

  it("does not hold a DAO channel opened after an every-channel fee-policy to that policy", () => {
    const d = decisions([act(1n, fee(null, 7n, 7n)), open(2n, T2)]);
    expect(compare(d, node({ channels: [ch(T2)], policies: new Map([[`${T2}:0`, policy(1000n, 100)]]) }))).toEqual([]);
  });

  it("reports a channel opened by hand once, not also against an every-channel fee-policy", () => {
    const d = decisions([act(1n, fee(null, 7n, 7n))]);
    const drifts = compare(
      d,
      node({
        channels: [ch(T1), ch(T2, "open", false)],
        policies: new Map([
          [`${T1}:0`, policy(1n, 1)],
          [`${T2}:0`, policy(7n, 7)],
        ]),
      }),
    );
    expect(drifts.map((x) => [x.kind, x.subject])).toEqual([["channel-not-decided", `channel ${T1}:0`]]);
  });

  it("skips the CLTV delta when the node cannot tell it", () => {
    expect(
      compare(
        decisions([open(1n, T3)]),
        node({ channels: [ch(T3)], policies: new Map([[`${T3}:0`, policy(1000n, 100, 0, 0, null)]]) }),
      ),
    ).toEqual([]);
  });

  it("a removed tower stays expected absent; re-added at a new host, it is expected there", () => {
    const add = (id: bigint, host: string) =>
      act(id, { kind: "watchtower", payload: { add: true, pubkey: TOWER, host } });
    const remove = act(2n, { kind: "watchtower", payload: { add: false, pubkey: TOWER, host: "" } });
    expect(compare(decisions([add(1n, "t:1"), remove]), node())).toEqual([]);
    expect(
      compare(
        decisions([add(1n, "t:1"), remove, add(3n, "t:2")]),
        node({ towers: [{ pubkey: TOWER, addresses: ["t:1"] }] }),
      )[0],
    ).toMatchObject({ kind: "tower-missing" });
  });

  it("expects LV per wallet from epochs, contributions and transfers", () => {
    const d = decisions(
      [act(9n, { kind: "lv-transfer", payload: { from: "reserve", to: "withdrawal", amount: 20n } })],
      {
        epochs: [{ epoch: 0n, toInfrastructure: 10n, toChannels: 60n, toReserve: 30n }],
        contributions: [{ pledgeId: 1n, amount: 5n }],
      },
    );
    expect(expectedLv(d)).toEqual({ operations: 10n, channels: 60n, reserve: 15n, withdrawal: 20n });
    expect(
      compare(
        d,
        node({
          lv: [
            { wallets: ["reserve", "withdrawal"], balance: 35n },
            { wallets: ["operations"], balance: 10n },
            { wallets: ["channels"], balance: 60n },
          ],
        }),
      ),
    ).toEqual([]);
  });
});
