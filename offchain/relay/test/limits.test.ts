// Operator limits, rule by rule: what each action is refused for (403), and what passes.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { checkLimits } from "../executor/limits.ts";
import { OTHER_PEER, PEER, testConfig } from "./harness.ts";

const open = (localSats: bigint, peer = PEER): RelayAction => ({
  kind: "channel-open",
  payload: {
    peer,
    host: "h:9735",
    localSats,
    pushSats: 0n,
    private: false,
    baseFeeMsat: 1n,
    feePpm: 1n,
    cltvDelta: 40n,
  },
});
const loopIn = (amountSats: bigint, lastHop: string | null = null): RelayAction => ({
  kind: "loop-in",
  payload: { amountSats, lastHop, maxFeeSats: 10n },
});
const loopOut = (amountSats: bigint): RelayAction => ({
  kind: "loop-out",
  payload: { amountSats, channel: null, dest: "bcrt1qexample", maxFeeSats: 10n },
});
const tower: RelayAction = { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "t:9911" } };
type LimitOverrides = NonNullable<NonNullable<Parameters<typeof testConfig>[0]>["limits"]>;
const limits = (overrides: LimitOverrides = {}) => testConfig({ limits: overrides }).limits;

describe("checkLimits", () => {
  it.each<{
    name: string;
    action: RelayAction;
    limits?: LimitOverrides;
    spend?: bigint;
    spentToday?: bigint;
    refused: RegExp | undefined;
  }>([
    { name: "a channel at the max size passes", action: open(5_000_000n), refused: undefined },
    {
      name: "a channel over the max size",
      action: open(5_000_001n),
      refused: /local-sats 5000001 exceeds the relay's max channel size 5000000/,
    },
    {
      name: "a peer on the deny list",
      action: open(1n),
      limits: { peerDeny: [PEER] },
      refused: new RegExp(`peer ${PEER} is on the relay's peer deny list`),
    },
    {
      name: "a peer off a non-empty allow list",
      action: open(1n),
      limits: { peerAllow: [OTHER_PEER] },
      refused: new RegExp(`peer ${PEER} is not on the relay's peer allow list`),
    },
    { name: "a peer on the allow list passes", action: open(1n), limits: { peerAllow: [PEER] }, refused: undefined },
    {
      name: "a peer in upper case matches the list",
      action: open(1n, PEER.toUpperCase()),
      limits: { peerDeny: [PEER] },
      refused: /deny list/,
    },
    {
      name: "a loop-out over the max loop amount",
      action: loopOut(1_000_001n),
      refused: /amount-sats 1000001 exceeds the relay's max loop amount 1000000/,
    },
    { name: "a loop-in over the max loop amount", action: loopIn(1_000_001n), refused: /max loop amount/ },
    {
      name: "a loop-in whose last hop is denied",
      action: loopIn(1n, PEER),
      limits: { peerDeny: [PEER] },
      refused: new RegExp(`last-hop ${PEER} is on the relay's peer deny list`),
    },
    {
      name: "a loop-in with no last hop ignores the lists",
      action: loopIn(1n),
      limits: { peerAllow: [OTHER_PEER] },
      refused: undefined,
    },
    {
      name: "spend within today's budget passes",
      action: open(1_000n),
      spend: 1_000n,
      spentToday: 19_999_000n,
      refused: undefined,
    },
    {
      name: "spend over today's budget",
      action: open(1_000n),
      spend: 1_000n,
      spentToday: 19_999_001n,
      refused: /on-chain spend 1000 sats would exceed the relay's daily budget \(19999001 of 20000000 used today\)/,
    },
    {
      name: "an action that spends nothing on-chain ignores the budget",
      action: tower,
      spend: 0n,
      spentToday: 30_000_000n,
      refused: undefined,
    },
  ])("$name", ({ action, limits: overrides, spend, spentToday, refused }) => {
    const refusal = checkLimits(action, limits(overrides), spend ?? 0n, spentToday ?? 0n);
    if (!refused) {
      expect(refusal).toBeUndefined();
      return;
    }
    expect(refusal?.code).toBe(403);
    expect(refusal?.reason).toMatch(refused);
  });
});
