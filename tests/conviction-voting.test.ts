import { describe, expect, it } from "vitest";
import { Cl, ClarityType } from "@stacks/transactions";
import {
  advanceTo, conclude, errorOf, payloadOf, eventsWithTopic, gtBalance, contractId, propose, proposalWindow, readOnly, relay, setting,
  status, uintOf, wallet,
} from "./helpers/ext-governance.ts";
import { runAsDao } from "./helpers/lifecycle.ts";
import { CV, conviction, stake, stakeToPass, threshold, unstake, waitForConviction } from "./helpers/ext-conviction.ts";

const err = (name: string) => errorOf(CV, name);
const GT = 1_000_000n; // base units per GT
const allocation = () => Cl.tuple({ "infrastructure-bps": Cl.uint(2_000), "channel-bps": Cl.uint(5_000), "reserve-bps": Cl.uint(3_000) });
const lvTransfer = (amount: bigint) =>
  Cl.tuple({ from: Cl.stringAscii("reserve"), to: Cl.stringAscii("operations"), amount: Cl.uint(amount) });

function reportLvReserve(reserve: bigint) {
  const { result } = simnet.callPublicFn("liquidity-oracle", "report-liquidity", [Cl.tuple({
    "onchain-sats": Cl.uint(10_000_000), "outbound-sats": Cl.uint(0), "inbound-sats": Cl.uint(0), channels: Cl.uint(0),
    "lv-reserve": Cl.uint(reserve), "lv-withdrawal": Cl.uint(0),
  })], relay());
  expect(result.type).toBe(ClarityType.ResponseOk);
}

function activeAllocationProposal(): bigint {
  const id = propose("lv-allocation", allocation());
  advanceTo(proposalWindow(id).start);
  return id;
}

describe("register-proposal", () => {
  it("refuses a direct call with ERR_UNAUTHORIZED", () => {
    const { result } = simnet.callPublicFn(CV, "register-proposal",
      [Cl.uint(1), Cl.uint(0), Cl.uint(0), Cl.none(), Cl.uint(0), Cl.uint(100)], wallet(1));
    expect(result).toStrictEqual(err("ERR_UNAUTHORIZED"));
  });

  it.each([
    ["an unknown pool", "(contract-call? .conviction-voting register-proposal u900 u0 u4 none u10 u20)", "ERR_BAD_POOL"],
    ["an empty window", "(contract-call? .conviction-voting register-proposal u900 u0 u0 none u20 u20)", "ERR_BAD_WINDOW"],
    ["an id registered twice", "(begin (try! (contract-call? .conviction-voting register-proposal u900 u0 u0 none u1 u2)) " +
      "(contract-call? .conviction-voting register-proposal u900 u0 u0 none u1 u2))", "ERR_ALREADY_REGISTERED"],
  ])("refuses %s from the DAO", (_case, body, error) => {
    expect(runAsDao(body).result).toStrictEqual(err(error));
  });

  it("is called by proposals.propose for conviction kinds, with the request and pool of the payload", () => {
    reportLvReserve(1_000_000n);
    const lastPropose = simnet.callPublicFn("proposals", "propose",
      [Cl.stringAscii("lv-transfer"), payloadOf(lvTransfer(50_000n)), Cl.stringUtf8("t"), Cl.buffer(new Uint8Array(32))], wallet(1));
    const id = uintOf(lastPropose.result);
    const registered = readOnly(CV, "get-proposal", [Cl.uint(id)]);
    expect(registered).toMatchObject({ type: ClarityType.OptionalSome });
    if (registered.type !== ClarityType.OptionalSome || registered.value.type !== ClarityType.Tuple) return;
    expect(registered.value.value.requested).toStrictEqual(Cl.uint(50_000));
    expect(registered.value.value.pool).toStrictEqual(Cl.uint(2));
    const { start, end } = proposalWindow(id);
    expect(eventsWithTopic(lastPropose.events, "conviction-registered")).toStrictEqual([Cl.tuple({
      topic: Cl.stringAscii("conviction-registered"), id: Cl.uint(id), requested: Cl.uint(50_000), pool: Cl.uint(2),
      beneficiary: Cl.none(), start: Cl.uint(start), end: Cl.uint(end),
      decay: Cl.uint(setting("cv-decay")), weight: Cl.uint(setting("cv-weight")), "max-ratio": Cl.uint(setting("cv-max-ratio")),
      "min-stake": Cl.uint((uintOf(readOnly("gt-token", "get-total-supply")) * setting("cv-min-stake-bps")) / 10_000n),
      "pool-amount": Cl.uint(1_000_000), "min-supporters": Cl.uint(1),
    })]);
  });
});

describe("stake", () => {
  it.each([
    ["an unknown proposal", () => stake(999n, 10n, wallet(1)), "ERR_UNKNOWN_PROPOSAL"],
    ["a zero amount", () => stake(activeAllocationProposal(), 0n, wallet(1)), "ERR_ZERO_AMOUNT"],
  ])("refuses %s", (_case, act, error) => {
    expect(act().result).toStrictEqual(err(error));
  });

  it("refuses stake after the window with ERR_NOT_ACTIVE", () => {
    const id = activeAllocationProposal();
    advanceTo(proposalWindow(id).end);
    expect(stake(id, 10n, wallet(1)).result).toStrictEqual(err("ERR_NOT_ACTIVE"));
  });

  it("escrows GT in the contract and prints conviction-updated", () => {
    const id = activeAllocationProposal();
    const before = gtBalance(wallet(1));
    const { result, events } = stake(id, 1_000n * GT, wallet(1));
    expect(result).toStrictEqual(Cl.ok(Cl.uint(1_000n * GT)));
    expect(gtBalance(wallet(1))).toBe(before - 1_000n * GT);
    expect(gtBalance(contractId(CV))).toBe(1_000n * GT);
    expect(eventsWithTopic(events, "conviction-updated")).toStrictEqual([Cl.tuple({
      topic: Cl.stringAscii("conviction-updated"), id: Cl.uint(id), who: Cl.principal(wallet(1)),
      stake: Cl.uint(1_000n * GT), "total-stake": Cl.uint(1_000n * GT), conviction: Cl.uint(0),
    })]);
  });

  it("cannot stake the same tokens on two proposals", () => {
    const first = activeAllocationProposal();
    const second = propose("gt-grant", Cl.tuple({ recipient: Cl.principal(wallet(5)), amount: Cl.uint(GT) }), wallet(2));
    advanceTo(proposalWindow(second).start);
    const everything = gtBalance(wallet(4));
    expect(stake(first, everything, wallet(4)).result).toStrictEqual(Cl.ok(Cl.uint(everything)));
    expect(stake(second, everything, wallet(4)).result.type).toBe(ClarityType.ResponseErr);
    expect(uintOf(readOnly(CV, "get-stake", [Cl.uint(second), Cl.principal(wallet(4))]))).toBe(0n);
  });
});

describe("unstake", () => {
  it.each([
    ["an unknown proposal", () => unstake(999n, 10n, wallet(1)), "ERR_UNKNOWN_PROPOSAL"],
    ["a zero amount", () => unstake(activeAllocationProposal(), 0n, wallet(1)), "ERR_ZERO_AMOUNT"],
    ["more than staked", () => { const id = activeAllocationProposal(); stake(id, 10n, wallet(1)); return unstake(id, 11n, wallet(1)); },
      "ERR_INSUFFICIENT_STAKE"],
  ])("refuses %s", (_case, act, error) => {
    expect(act().result).toStrictEqual(err(error));
  });

  it("returns the GT after the proposal ended, and conviction keeps what was built", () => {
    const id = activeAllocationProposal();
    const before = gtBalance(wallet(1));
    stake(id, 1_000n * GT, wallet(1));
    advanceTo(proposalWindow(id).end + 5n);
    const built = conviction(id);
    expect(unstake(id, 1_000n * GT, wallet(1)).result).toStrictEqual(Cl.ok(Cl.uint(0)));
    expect(gtBalance(wallet(1))).toBe(before);
    expect(conviction(id)).toBe(built);
  });
});

describe("get-conviction", () => {
  it("follows y = x (1 - a^t) / (1 - a) for a stake held t burn blocks", () => {
    const id = activeAllocationProposal();
    const x = 100_000n * GT;
    stake(id, x, wallet(1));
    simnet.mineEmptyBurnBlocks(432);
    const a = Number(setting("cv-decay")) / 1e12;
    const expected = (Number(x) * (1 - a ** 432)) / (1 - a);
    expect(Number(conviction(id)) / expected).toBeCloseTo(1, 6);
    expect(conviction(id)).toBe(uintOf(readOnly(CV, "project-conviction", [0n, x, setting("cv-decay"), 432n].map((v) => Cl.uint(v)))));
  });

  it("answers 0 for an unknown proposal", () => {
    expect(conviction(999n)).toBe(0n);
  });
});

describe("get-threshold", () => {
  it("refuses an unknown proposal with ERR_UNKNOWN_PROPOSAL", () => {
    expect(threshold(999n)).toStrictEqual(err("ERR_UNKNOWN_PROPOSAL"));
  });

  it("answers ERR_REQUEST_TOO_LARGE for a request of cv-max-ratio of the LV reserve or more", () => {
    reportLvReserve(1_000_000n);
    const tooLarge = propose("lv-transfer", lvTransfer(200_000n));
    const fits = propose("lv-transfer", lvTransfer(100_000n), wallet(2));
    expect(threshold(tooLarge)).toStrictEqual(err("ERR_REQUEST_TOO_LARGE"));
    expect(threshold(fits).type).toBe(ClarityType.ResponseOk);
  });

  it("is rho * S / ((1 - a) beta^2) for a request of nothing, with S at least cv-min-stake-bps of the supply", () => {
    const id = activeAllocationProposal();
    const supply = uintOf(readOnly("gt-token", "get-total-supply"));
    const support = (supply * setting("cv-min-stake-bps")) / 10_000n;
    const rho = Number(setting("cv-weight")) / 1e12;
    const oneMinusA = 1 - Number(setting("cv-decay")) / 1e12;
    const beta = Number(setting("cv-max-ratio")) / 10_000;
    const exact = (rho * Number(support)) / (oneMinusA * beta * beta);
    expect(Number(uintOf(threshold(id))) / exact).toBeCloseTo(1, 6);
  });
});

describe("conclude by conviction", () => {
  it("passes once conviction reaches the threshold, and stays passed when the stake leaves", () => {
    const { id } = stakeToPass("lv-allocation", allocation(), false);
    expect(["queued", "succeeded"]).toContain(status(id));
    for (const who of [wallet(1), wallet(2), wallet(3)]) unstake(id, 500_000n * GT, who);
    expect(uintOf(readOnly(CV, "get-total-staked"))).toBe(0n);
    simnet.mineEmptyBurnBlocks(Number(setting("lv-allocation:timelock")) + 1);
    expect(conclude(id).result.type).toBe(ClarityType.ResponseOk);
    expect(status(id)).toBe("executed");
    expect(readOnly("lv-ledger", "get-allocation")).toStrictEqual(allocation());
  });

  it("does not pass before the threshold", () => {
    const id = activeAllocationProposal();
    stake(id, 400_000n * GT, wallet(1)); // 9.8% of the supply: above the 6.25% stake equivalent a zero request needs
    expect(conclude(id).result.type).toBe(ClarityType.ResponseErr);
    waitForConviction(id);
    expect(conclude(id).result.type).toBe(ClarityType.ResponseOk);
  });
});
