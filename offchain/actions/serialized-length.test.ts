// serializedLength reads how long a serialized Clarity value claims to be; decodeAction reports a payload shorter
// than that as truncated instead of passing it to a deserializer that reads past the end.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { decodeAction, encodeActionHex, hexToBytes } from "./bytes.ts";
import { ActionError } from "./errors.ts";
import { EXAMPLES } from "./examples.ts";
import { serializedLength } from "./serialized-length.ts";

describe("serializedLength", () => {
  it.each([
    ["uint", Cl.uint(5)],
    ["buff", Cl.bufferFromHex("00ff")],
    ["ascii", Cl.stringAscii("bc1q")],
    ["utf8", Cl.stringUtf8("é")],
    ["true", Cl.bool(true)],
    ["none", Cl.none()],
    ["some", Cl.some(Cl.int(-1))],
    ["standard principal", Cl.principal("ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM")],
    ["contract principal", Cl.principal("ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.proposals")],
    ["list", Cl.list([Cl.uint(1), Cl.bufferFromHex("aa")])],
    ["tuple", Cl.tuple({ a: Cl.uint(1), bb: Cl.list([Cl.none()]) })],
    ["ok", Cl.ok(Cl.uint(1))],
  ])("is the length of a whole %s", (_, value) => {
    const bytes = hexToBytes(serializeCV(value));
    expect(serializedLength(bytes)).toBe(bytes.length);
  });

  it("is null for an unknown type prefix", () => {
    expect(serializedLength(hexToBytes("ff"))).toBeNull();
  });
});

describe("decodeAction on cut-short payloads", () => {
  const example = EXAMPLES.find((action) => action.kind === "fee-policy");
  if (!example) throw new Error("no fee-policy example");
  const hex = encodeActionHex(example);
  it.each([2, 10, 40, hex.length - 2])("with %i hex digits kept says it is truncated", (kept) => {
    let caught: unknown;
    try {
      decodeAction("fee-policy", hex.slice(0, kept));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ActionError);
    expect((caught as ActionError).code).toBe("ERR_MALFORMED_PAYLOAD");
    expect((caught as ActionError).reason).toMatch(new RegExp(`^is truncated: ${kept / 2} bytes, but the value`));
  });
});
