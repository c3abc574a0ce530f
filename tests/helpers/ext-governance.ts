/// <reference path="../../node_modules/@stacks/clarinet-sdk/vitest-helpers/src/global.d.ts" />
// Helpers for the issue-3 contract tests: accounts, payloads, settings, and passing a proposal through the
// real governance flow (proposals + quadratic-voting or conviction-voting), since every privileged function
// of member-registry, guardian, lv-ledger and conviction-voting is reachable only through a passed proposal.
import { expect } from "vitest";
import { Cl, ClarityType, serializeCV, type ClarityValue } from "@stacks/transactions";
import { ERRORS } from "../../offchain/clarity/errors.ts";

const accounts = simnet.getAccounts();
export const deployer = accounts.get("deployer")!;
export const wallet = (n: number): string => {
  const address = accounts.get(`wallet_${n}`);
  if (!address) throw new Error(`no wallet_${n} in settings/Devnet.toml`);
  return address;
};
export const contractId = (name: string) => `${deployer}.${name}`;
export const relay = () => wallet(6);
export const guardians = () => [wallet(7), wallet(8)];

/** The error code a contract defines under `name`, from the generated table that mirrors ERRORS.md. */
export function errorCode(contract: string, name: string): bigint {
  const codes = (ERRORS as Record<string, Record<string, number>>)[contract];
  const code = codes?.[name];
  if (code === undefined) throw new Error(`${contract} defines no ${name} (run npm run errors:generate?)`);
  return BigInt(code);
}
export const errorOf = (contract: string, name: string) => Cl.error(Cl.uint(errorCode(contract, name)));

export function uintOf(value: ClarityValue): bigint {
  const inner = value.type === ClarityType.ResponseOk ? value.value : value;
  if (inner.type !== ClarityType.UInt) throw new Error(`expected a uint, got ${JSON.stringify(value)}`);
  return BigInt(inner.value);
}

export function readOnly(contract: string, fn: string, args: ClarityValue[] = [], caller = deployer): ClarityValue {
  return simnet.callReadOnlyFn(contract, fn, args, caller).result;
}

export function setting(key: string): bigint {
  return uintOf(readOnly("dao-settings", "get-setting", [Cl.stringAscii(key)]));
}

export function gtBalance(who: string): bigint {
  return uintOf(readOnly("gt-token", "get-balance", [Cl.principal(who)]));
}

/** A payload buffer: the consensus serialization of the kind's tuple. */
export function payloadOf(tuple: ClarityValue): ClarityValue {
  const encoded = serializeCV(tuple);
  return typeof encoded === "string" ? Cl.bufferFromHex(encoded) : Cl.buffer(encoded);
}

/** Print events of a call whose tuple has the given topic. */
export function eventsWithTopic(
  events: { event: string; data: { value?: ClarityValue } }[],
  topic: string,
): ClarityValue[] {
  return events
    .filter((e) => e.event === "print_event" && e.data.value?.type === ClarityType.Tuple)
    .map((e) => e.data.value!)
    .filter(
      (v) => v.type === ClarityType.Tuple && JSON.stringify(v.value.topic) === JSON.stringify(Cl.stringAscii(topic)),
    );
}

export function propose(kind: string, tuple: ClarityValue, proposer = wallet(1)): bigint {
  const { result } = simnet.callPublicFn(
    "proposals",
    "propose",
    [Cl.stringAscii(kind), payloadOf(tuple), Cl.stringUtf8(`test ${kind}`), Cl.stringUtf8(`Why ${kind}.`), Cl.none()],
    proposer,
  );
  expect(result.type, `propose ${kind}: ${JSON.stringify(result)}`).toBe(ClarityType.ResponseOk);
  return uintOf(result);
}

type ProposalWindow = { start: bigint; end: bigint };
export function proposalWindow(id: bigint): ProposalWindow {
  const found = readOnly("proposals", "get-proposal", [Cl.uint(id)]);
  if (found.type !== ClarityType.OptionalSome || found.value.type !== ClarityType.Tuple)
    throw new Error(`no proposal ${id}`);
  return { start: uintOf(found.value.value.start!), end: uintOf(found.value.value.end!) };
}

export function advanceTo(burnHeight: bigint): void {
  const now = BigInt(simnet.burnBlockHeight);
  if (burnHeight > now) simnet.mineEmptyBurnBlocks(Number(burnHeight - now));
}

export function status(id: bigint): string {
  const result = readOnly("proposals", "get-proposal-status", [Cl.uint(id)]);
  if (result.type !== ClarityType.ResponseOk || result.value.type !== ClarityType.StringASCII) {
    throw new Error(`status of ${id}: ${JSON.stringify(result)}`);
  }
  return result.value.value;
}

export function conclude(id: bigint, caller = wallet(5)) {
  return simnet.callPublicFn("proposals", "conclude", [Cl.uint(id)], caller);
}

/**
 * Proposes a quadratic kind, votes it through with wallet_1..wallet_3 (900,000 votes each, within what their
 * credits allow), concludes it and, for chain kinds, waits out the timelock and concludes again to apply it.
 * Returns the proposal id.
 */
export function passQuadratic(kind: string, tuple: ClarityValue): bigint {
  const id = propose(kind, tuple);
  const { start, end } = proposalWindow(id);
  advanceTo(start);
  for (const voter of [wallet(1), wallet(2), wallet(3)]) {
    const { result } = simnet.callPublicFn(
      "quadratic-voting",
      "vote",
      [Cl.uint(id), Cl.uint(900_000), Cl.bool(true)],
      voter,
    );
    expect(result.type, `vote on ${kind}: ${JSON.stringify(result)}`).toBe(ClarityType.ResponseOk);
  }
  advanceTo(end);
  const first = conclude(id);
  expect(first.result.type, `conclude ${kind}: ${JSON.stringify(first.result)}`).toBe(ClarityType.ResponseOk);
  return id;
}

/** Waits out the kind's timelock after the first conclude and applies the proposal with a second conclude. */
export function applyAfterTimelock(id: bigint, kind: string) {
  simnet.mineEmptyBurnBlocks(Number(setting(`${kind}:timelock`)) + 1);
  const applied = conclude(id);
  expect(applied.result.type, `apply ${kind}: ${JSON.stringify(applied.result)}`).toBe(ClarityType.ResponseOk);
  return applied;
}

/** passQuadratic + applyAfterTimelock: a chain kind (setting, member-attestor, guardian-set) takes effect. */
export function enactQuadratic(kind: string, tuple: ClarityValue) {
  const id = passQuadratic(kind, tuple);
  const applied = applyAfterTimelock(id, kind);
  return { id, applied };
}

export function changeSetting(key: string, value: bigint) {
  return enactQuadratic("setting", Cl.tuple({ key: Cl.stringAscii(key), value: Cl.uint(value) }));
}
