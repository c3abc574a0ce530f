/// <reference path="../../node_modules/@stacks/clarinet-sdk/vitest-helpers/src/global.d.ts" />
// Conviction flow helpers: stake a conviction-kind proposal until it passes, then apply it.
import { expect } from "vitest";
import { Cl, ClarityType, type ClarityValue } from "@stacks/transactions";
import {
  applyAfterTimelock,
  conclude,
  propose,
  proposalWindow,
  advanceTo,
  readOnly,
  uintOf,
  wallet,
} from "./ext-governance.ts";

export const CV = "conviction-voting";

export const stake = (id: bigint, amount: bigint, who: string) =>
  simnet.callPublicFn(CV, "stake", [Cl.uint(id), Cl.uint(amount)], who);
export const unstake = (id: bigint, amount: bigint, who: string) =>
  simnet.callPublicFn(CV, "unstake", [Cl.uint(id), Cl.uint(amount)], who);
export const conviction = (id: bigint) => uintOf(readOnly(CV, "get-conviction", [Cl.uint(id)]));
export const threshold = (id: bigint): ClarityValue => readOnly(CV, "get-threshold", [Cl.uint(id)]);

/** Mines burn blocks until the proposal's conviction reaches its threshold; returns the blocks mined. */
export function waitForConviction(id: bigint, limit = 4_000): number {
  const target = threshold(id);
  if (target.type !== ClarityType.ResponseOk) throw new Error(`proposal ${id} cannot pass: ${JSON.stringify(target)}`);
  let mined = 0;
  while (conviction(id) < uintOf(target)) {
    if (mined >= limit) throw new Error(`proposal ${id} did not reach its threshold in ${limit} blocks`);
    simnet.mineEmptyBurnBlocks(10);
    mined += 10;
  }
  return mined;
}

/**
 * Proposes a conviction kind, stakes 500,000 GT from each of wallet_1..wallet_3 on it, waits for the
 * threshold, concludes it and, for chain kinds, applies it after the timelock. Returns the proposal id and
 * the events of the call that applied it (or concluded it, when `apply` is false).
 */
export function stakeToPass(
  kind: string,
  tuple: ClarityValue,
  apply = true,
): { id: bigint; events: ReturnType<typeof conclude>["events"] } {
  const id = propose(kind, tuple);
  advanceTo(proposalWindow(id).start);
  for (const who of [wallet(1), wallet(2), wallet(3)]) {
    expect(stake(id, 500_000_000_000n, who).result.type).toBe(ClarityType.ResponseOk);
  }
  waitForConviction(id);
  const concluded = conclude(id);
  expect(concluded.result.type, `conclude ${kind}: ${JSON.stringify(concluded.result)}`).toBe(ClarityType.ResponseOk);
  const applied = apply ? applyAfterTimelock(id, kind) : concluded;
  return { id, events: applied.events };
}
