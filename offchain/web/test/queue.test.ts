// The execution queue's history as the liquidity page shows it, rebuilt from execution-queue's print events;
// and the typed readers that turn a contract change into a named error instead of `undefined`.
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { CvError, Fields, okOf, optionalOf, uintOf } from "../src/stacks/cv.ts";
import { queueFromLogs } from "../src/stacks/queue.ts";

const RELAY = "ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC";
let index = 0;
const log = (txid: string, value: ClarityValue) => ({ txid, eventIndex: index++, hex: `0x${serializeCV(value)}` });
const queued = (id: number, kind: string) =>
  Cl.tuple({
    topic: Cl.stringAscii("action-queued"),
    id: Cl.uint(id),
    kind: Cl.stringAscii(kind),
    eta: Cl.uint(10),
    expires: Cl.uint(1018),
  });
const claimed = (id: number, attempts: number) =>
  Cl.tuple({
    topic: Cl.stringAscii("action-claimed"),
    id: Cl.uint(id),
    relay: Cl.principal(RELAY),
    "claim-expires": Cl.uint(40),
    attempts: Cl.uint(attempts),
  });

describe("queueFromLogs", () => {
  it("groups each action's steps in order, newest action first", () => {
    const history = queueFromLogs([
      log("t1", queued(1, "channel-open")),
      log("t2", queued(2, "loop-out")),
      log("t3", claimed(1, 1)),
      log(
        "t4",
        Cl.tuple({
          topic: Cl.stringAscii("action-failed"),
          id: Cl.uint(1),
          relay: Cl.principal(RELAY),
          code: Cl.uint(7),
          retryable: Cl.bool(true),
          detail: Cl.stringAscii("peer offline"),
          attempts: Cl.uint(1),
          final: Cl.bool(false),
        }),
      ),
      log("t5", claimed(1, 2)),
      log(
        "t6",
        Cl.tuple({
          topic: Cl.stringAscii("action-executed"),
          id: Cl.uint(1),
          relay: Cl.principal(RELAY),
          evidence: Cl.bufferFromHex("ab".repeat(36)),
        }),
      ),
      log("t7", Cl.tuple({ topic: Cl.stringAscii("action-expired"), id: Cl.uint(2) })),
    ]);
    expect(history.actions.map((a) => [a.id, a.kind, a.steps.map((s) => `${s.topic}@${s.txid}`)])).toEqual([
      [2n, "loop-out", ["action-queued@t2", "action-expired@t7"]],
      [
        1n,
        "channel-open",
        ["action-queued@t1", "action-claimed@t3", "action-failed@t4", "action-claimed@t5", "action-executed@t6"],
      ],
    ]);
    expect(history.actions[1]!.steps[2]).toEqual({
      topic: "action-failed",
      txid: "t4",
      relay: RELAY,
      code: 7n,
      retryable: true,
      detail: "peer offline",
      attempts: 1n,
      final: false,
    });
  });

  it("skips events of actions queued before the logs read, and prints that are not queue events", () => {
    const history = queueFromLogs([
      log("t1", claimed(9, 1)),
      log("t2", Cl.uint(5)),
      log("t3", Cl.tuple({ note: Cl.stringAscii("x") })),
    ]);
    expect(history).toEqual({ actions: [], autonomous: [] });
  });

  it("lists autonomous swaps newest first", () => {
    const swap = (amount: number) =>
      Cl.tuple({
        topic: Cl.stringAscii("autonomous-action"),
        "policy-id": Cl.uint(3),
        kind: Cl.stringAscii("loop-out"),
        amount: Cl.uint(amount),
        evidence: Cl.bufferFromHex("cd".repeat(32)),
        period: Cl.uint(2),
        spent: Cl.uint(amount),
        relay: Cl.principal(RELAY),
      });
    const history = queueFromLogs([log("a", swap(100)), log("b", swap(250))]);
    expect(history.autonomous.map((s) => [s.txid, s.amount, s.policyId])).toEqual([
      ["b", 250n, 3n],
      ["a", 100n, 3n],
    ]);
  });

  it("names the field when an event's shape changed", () => {
    const broken = Cl.tuple({
      topic: Cl.stringAscii("action-queued"),
      id: Cl.stringAscii("1"),
      kind: Cl.stringAscii("x"),
      eta: Cl.uint(1),
      expires: Cl.uint(2),
    });
    expect(() => queueFromLogs([log("t", broken)])).toThrow("execution-queue event.id should be uint, got ascii");
  });
});

describe("Clarity value readers", () => {
  it("read the expected types and name what they found otherwise", () => {
    expect(uintOf(Cl.uint(2n ** 100n))).toBe(2n ** 100n);
    expect(optionalOf(Cl.none())).toBeNull();
    expect(okOf(Cl.ok(Cl.uint(1)))).toEqual(Cl.uint(1));
    expect(() => okOf(Cl.error(Cl.uint(1406)), "vote")).toThrow(new CvError("vote answered (err u1406)"));
    expect(() => new Fields(Cl.uint(1), "tally")).toThrow("tally should be tuple, got uint");
    expect(() => uintOf(undefined, "get-tally.votes-for")).toThrow("get-tally.votes-for should be uint, got nothing");
  });
});
