// get-action's answer as the executor reads it: every field's Clarity type is checked, so a changed contract is a
// clear error naming the field, never a half-read action.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { CvError } from "../../clarity/clarity-values.ts";
import { toOnChainAction } from "../stacks/queue.ts";

const RELAY = "ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0";
const fields = {
  "proposal-id": Cl.uint(7),
  kind: Cl.stringAscii("watchtower"),
  payload: Cl.buffer(Buffer.from("0c00", "hex")),
  eta: Cl.uint(100),
  expires: Cl.uint(1100),
  status: Cl.stringAscii("claimed"),
  relay: Cl.some(Cl.principal(RELAY)),
  "claim-expires": Cl.uint(106),
  attempts: Cl.uint(1),
  evidence: Cl.none(),
  "failure-code": Cl.none(),
};
const answer = (changes: Record<string, ClarityValue>): ClarityValue => Cl.some(Cl.tuple({ ...fields, ...changes }));

describe("toOnChainAction", () => {
  it("reads every field of a well-typed answer", () => {
    expect(toOnChainAction(7n, answer({}))).toEqual({
      id: 7n,
      kind: "watchtower",
      payload: new Uint8Array([0x0c, 0x00]),
      eta: 100,
      expires: 1100,
      status: "claimed",
      relay: RELAY,
      claimExpires: 106,
      attempts: 1,
    });
    expect(toOnChainAction(7n, answer({ relay: Cl.none(), status: Cl.stringAscii("queued") }))).toMatchObject({
      relay: undefined,
      status: "queued",
    });
  });

  it("is undefined for an action the contract does not know", () => {
    expect(toOnChainAction(7n, Cl.none())).toBeUndefined();
  });

  it.each([
    ["a bare tuple, not an optional", Cl.tuple(fields), /get-action should be optional/],
    ["eta as an int", answer({ eta: Cl.int(100) }), /get-action\.eta should be uint, got int/],
    [
      "a missing attempts",
      Cl.some(Cl.tuple({ ...fields, attempts: Cl.none() })),
      /get-action\.attempts should be uint, got none/,
    ],
    ["the payload as a string", answer({ payload: Cl.stringAscii("0c00") }), /get-action\.payload should be buffer/],
    ["the relay not optional", answer({ relay: Cl.principal(RELAY) }), /get-action\.relay should be optional/],
    ["the relay some uint", answer({ relay: Cl.some(Cl.uint(1)) }), /get-action\.relay should be a principal/],
    ["an unknown status", answer({ status: Cl.stringAscii("paused") }), /not a status the relay knows/],
  ])("refuses %s", (_case, value, message) => {
    expect(() => toOnChainAction(7n, value)).toThrow(message);
  });

  it("throws the shared reader's CvError for a mistyped field", () => {
    expect(() => toOnChainAction(7n, answer({ kind: Cl.uint(1) }))).toThrow(CvError);
  });
});
