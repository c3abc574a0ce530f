// Who delegates to whom: the latest delegate-changed per delegator, joined with balances, and a typed delegate.
import { Cl } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  currentDelegations,
  delegateLines,
  parseDelegate,
  type DelegateChange,
  type DelegateLine,
  type Delegation,
} from "../src/model/delegation.ts";
import type { LogEntry } from "../src/stacks/api.ts";
import { delegateChangesFromLogs } from "../src/stacks/events.ts";

const A = "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5";
const B = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const C = "ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC";
const D = "ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND";

let sequence = 0;
const change = (delegator: string, from: string, to: string): DelegateChange => ({
  delegator,
  from,
  to,
  txid: `t${++sequence}`,
});

describe("currentDelegations", () => {
  it.each<[string, DelegateChange[], [string, string][]]>([
    ["no events, no delegations", [], []],
    ["one delegation", [change(A, A, B)], [[A, B]]],
    ["the latest change wins", [change(A, A, B), change(A, B, C)], [[A, C]]],
    ["delegating back to oneself leaves the table", [change(A, A, B), change(A, B, A)], []],
    ["delegating again after taking back", [change(A, A, B), change(A, B, A), change(A, A, C)], [[A, C]]],
    [
      "sorted by delegate, then delegator",
      [change(D, D, C), change(C, C, B), change(A, A, C)],
      [
        [C, B],
        [A, C],
        [D, C],
      ],
    ],
  ])("%s", (_name, changes, expected) => {
    expect(currentDelegations(changes).map((d) => [d.delegator, d.delegate])).toEqual(expected);
  });

  it("keeps the txid of the delegator's latest call", () => {
    const first = change(A, A, B);
    const second = change(A, B, C);
    expect(currentDelegations([first, second])).toEqual([{ delegator: A, delegate: C, txid: second.txid }]);
  });
});

describe("delegateLines", () => {
  const d = (delegator: string, delegate: string): Delegation => ({ delegator, delegate, txid: "t" });
  it.each<[string, Delegation[], [string, bigint][], DelegateLine[]]>([
    ["nothing delegated", [], [], []],
    [
      "one delegator",
      [d(A, B)],
      [[A, 1_500_000n]],
      [{ delegate: B, delegated: 1_500_000n, delegators: [{ delegator: A, balance: 1_500_000n }] }],
    ],
    [
      "delegators of one delegate add up, exactly",
      [d(A, C), d(B, C)],
      [
        [A, 2n ** 64n],
        [B, 1n],
      ],
      [
        {
          delegate: C,
          delegated: 2n ** 64n + 1n,
          delegators: [
            { delegator: A, balance: 2n ** 64n },
            { delegator: B, balance: 1n },
          ],
        },
      ],
    ],
    [
      "most delegated first, ties by delegate",
      [d(A, D), d(B, C), d(D, B)],
      [
        [A, 5n],
        [B, 5n],
        [D, 9n],
      ],
      [
        { delegate: B, delegated: 9n, delegators: [{ delegator: D, balance: 9n }] },
        { delegate: C, delegated: 5n, delegators: [{ delegator: B, balance: 5n }] },
        { delegate: D, delegated: 5n, delegators: [{ delegator: A, balance: 5n }] },
      ],
    ],
    [
      "a delegator with no GT still shows",
      [d(A, B)],
      [[A, 0n]],
      [{ delegate: B, delegated: 0n, delegators: [{ delegator: A, balance: 0n }] }],
    ],
  ])("%s", (_name, delegations, balances, expected) => {
    expect(delegateLines(delegations, new Map(balances))).toEqual(expected);
  });

  it("refuses a delegator whose balance was not read", () => {
    expect(() => delegateLines([d(A, B)], new Map())).toThrow(`no balance read for delegator ${A}`);
  });
});

describe("delegateChangesFromLogs", () => {
  const entry = (value: Parameters<typeof Cl.serialize>[0], txid: string): LogEntry => ({
    txid,
    eventIndex: 0,
    hex: Cl.serialize(value),
  });
  it("reads delegate-changed and skips gt-token's other events", () => {
    const logs = [
      entry(
        Cl.tuple({
          topic: Cl.stringAscii("delegate-changed"),
          delegator: Cl.principal(A),
          from: Cl.principal(A),
          to: Cl.principal(B),
        }),
        "aa",
      ),
      entry(
        Cl.tuple({
          topic: Cl.stringAscii("delegate-votes-changed"),
          delegate: Cl.principal(B),
          previous: Cl.uint(0),
          current: Cl.uint(5),
        }),
        "bb",
      ),
      entry(Cl.tuple({ topic: Cl.stringAscii("gt-minted"), amount: Cl.uint(5), recipient: Cl.principal(A) }), "cc"),
      entry(Cl.uint(1), "dd"),
    ];
    expect(delegateChangesFromLogs(logs)).toEqual([{ delegator: A, from: A, to: B, txid: "aa" }]);
  });
});

describe("parseDelegate", () => {
  it.each([
    [A, A],
    [`  ${B} `, B],
    [`${C}.my-vault`, `${C}.my-vault`],
  ])("accepts %j", (text, expected) => {
    expect(parseDelegate(text)).toBe(expected);
  });
  it.each(["", "ST1", `${A}x`, `${A}.`, `${A}.1bad`, `${A}.a.b`, "bitcoin"])("refuses %j", (text) => {
    expect(() => parseDelegate(text)).toThrow("is not a Stacks address");
  });
});
