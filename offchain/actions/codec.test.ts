import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl, deserializeCV, serializeCV } from "@stacks/transactions";
import {
  ACTION_KINDS,
  PAYLOAD_TYPES,
  actionFromJson,
  actionToJson,
  camel,
  decodeAction,
  encodeAction,
  encodeActionHex,
  fromClarityValue,
  toClarityValue,
  type Action,
  type ActionKind,
  type FieldType,
} from "./index.ts";
import { EXAMPLE_TXID, EXAMPLES } from "./examples.ts";
import { errorOf } from "./test/error-of.ts";

const PRINCIPALS = ["ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5", "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG.proposals"];

/** Any value of a Clarity field type, in the typed (camelCase) form. */
function arbitrary(type: FieldType): fc.Arbitrary<unknown> {
  switch (type.t) {
    case "uint":
      return type.number ? fc.maxSafeNat() : fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });
    case "bool":
      return fc.boolean();
    case "principal":
      return fc.constantFrom(...PRINCIPALS);
    case "ascii":
      return fc.string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: type.max,
      });
    case "buff":
      return fc.uint8Array({ maxLength: type.max }).map((b) => Buffer.from(b).toString("hex"));
    case "optional":
      return fc.option(arbitrary(type.of), { nil: null });
    case "list":
      return fc.array(arbitrary(type.of), { maxLength: type.max });
    case "tuple":
      return fc.record(Object.fromEntries(Object.entries(type.fields).map(([k, t]) => [camel(k), arbitrary(t)])));
  }
}
const anyAction = fc
  .constantFrom(...ACTION_KINDS)
  .chain((kind) =>
    arbitrary({ t: "tuple", fields: PAYLOAD_TYPES[kind] }).map((payload) => ({ kind, payload }) as Action),
  );

describe("encode and decode", () => {
  it.each(EXAMPLES.map((a) => [a.kind, a] as const))("round-trips the %s example", (_, action) => {
    expect(decodeAction(action.kind, encodeAction(action))).toEqual(action);
    expect(decodeAction(action.kind, encodeActionHex(action))).toEqual(action);
  });

  it("round-trips any value of every kind: typed -> bytes -> typed (property)", () => {
    fc.assert(
      fc.property(anyAction, (action) => {
        expect(decodeAction(action.kind, encodeAction(action))).toEqual(action);
      }),
      { numRuns: 500 },
    );
  });

  it("produces the bytes Clarity's serializer gives for the tuple, keys in canonical order (property)", () => {
    fc.assert(
      fc.property(anyAction, (action) => {
        const hex = encodeActionHex(action);
        const cv = deserializeCV(hex);
        expect(cv.type).toBe("tuple");
        expect(fromClarityValue(action.kind, cv)).toEqual(action.payload);
        expect(serializeCV(cv)).toBe(hex);
      }),
      { numRuns: 300 },
    );
  });

  it("never crashes on random bytes: it answers ERR_MALFORMED_PAYLOAD (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTION_KINDS), fc.uint8Array({ maxLength: 300 }), (kind, bytes) => {
        expect(errorOf(() => decodeAction(kind, bytes)).code).toBe("ERR_MALFORMED_PAYLOAD");
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ["an unknown kind", () => decodeAction("open-channel", "0c00000000"), "ERR_UNKNOWN_KIND", null],
    ["an empty payload", () => decodeAction("loop-in", ""), "ERR_MALFORMED_PAYLOAD", null],
    ["bad hex", () => decodeAction("loop-in", "zz"), "ERR_MALFORMED_PAYLOAD", null],
    [
      "trailing bytes",
      () => decodeAction("lv-allocation", encodeActionHex(EXAMPLES[8]!) + "00"),
      "ERR_MALFORMED_PAYLOAD",
      null,
    ],
    [
      "another kind's tuple",
      () => decodeAction("loop-in", encodeAction(EXAMPLES[4]!)),
      "ERR_MALFORMED_PAYLOAD",
      "channel",
    ],
    [
      "a wrong field type",
      () => decodeAction("relay-set", serializeCV(Cl.tuple({ relay: Cl.uint(1), enabled: Cl.bool(true) }))),
      "ERR_MALFORMED_PAYLOAD",
      "relay",
    ],
    [
      "an extra field",
      () =>
        decodeAction("setting", serializeCV(Cl.tuple({ key: Cl.stringAscii("k"), value: Cl.uint(1), x: Cl.uint(1) }))),
      "ERR_MALFORMED_PAYLOAD",
      "x",
    ],
    [
      "a string over its max",
      () =>
        decodeAction(
          "watchtower",
          serializeCV(
            Cl.tuple({ add: Cl.bool(true), pubkey: Cl.bufferFromHex("02"), host: Cl.stringAscii("h".repeat(65)) }),
          ),
        ),
      "ERR_MALFORMED_PAYLOAD",
      "host",
    ],
    [
      "a vout above 2^53 - 1, which a number cannot hold exactly",
      () =>
        decodeAction(
          "channel-close",
          serializeCV(
            Cl.tuple({
              txid: Cl.bufferFromHex(EXAMPLE_TXID),
              vout: Cl.uint(2n ** 53n),
              force: Cl.bool(false),
              "max-fee-rate": Cl.uint(1),
            }),
          ),
        ),
      "ERR_MALFORMED_PAYLOAD",
      "vout",
    ],
  ] as const)("rejects %s", (_, run, code, field) => {
    const error = errorOf(run);
    expect(error.code).toBe(code);
    expect(error.field).toBe(field);
  });

  it.each([
    ["a negative uint", { ...EXAMPLES[6]!.payload, amount: -1n }, "amount"],
    ["a uint of 2^128", { ...EXAMPLES[6]!.payload, amount: 2n ** 128n }, "amount"],
    ["a number where a bigint belongs", { ...EXAMPLES[6]!.payload, amount: 5 }, "amount"],
    ["a missing field", { from: "reserve", to: "operations" }, "amount"],
    ["a kebab-case key", { from: "reserve", to: "operations", amount: 1n, "max-fee": 1n }, "max-fee"],
    ["non-ASCII text", { ...EXAMPLES[6]!.payload, from: "résérve" }, "from"],
  ])("refuses to encode %s", (_, payload, field) => {
    const error = errorOf(() => encodeAction({ kind: "lv-transfer", payload } as unknown as Action));
    expect([error.code, error.field]).toEqual(["ERR_MALFORMED_PAYLOAD", field]);
  });

  it("refuses uppercase or odd hex in buffers", () => {
    const payload = { ...EXAMPLES[7]!.payload, pubkey: "0A" };
    expect(errorOf(() => toClarityValue("watchtower", payload as never)).field).toBe("pubkey");
  });

  it.each([
    ["a bigint vout", 1n],
    ["a negative vout", -1],
    ["a fractional vout", 0.5],
    ["a vout above 2^53 - 1", 2 ** 53],
  ])("refuses to encode %s: an outpoint's vout is a number", (_, vout) => {
    const payload = { ...EXAMPLES[1]!.payload, vout };
    expect(errorOf(() => encodeAction({ kind: "channel-close", payload } as unknown as Action))).toMatchObject({
      code: "ERR_MALFORMED_PAYLOAD",
      field: "vout",
    });
  });

  it("decodes a vout of 2^32 exactly, so validateAction can refuse it as the contract does", () => {
    const action = { kind: "channel-close", payload: { ...EXAMPLES[1]!.payload, vout: 2 ** 32 } } as Action;
    expect(decodeAction("channel-close", encodeAction(action))).toEqual(action);
  });
});

describe("JSON form", () => {
  it.each(EXAMPLES.map((a) => [a.kind, a] as const))(
    "round-trips the %s example through the payload field names",
    (_, action) => {
      const json = actionToJson(action);
      for (const key of Object.keys(json)) expect(Object.keys(PAYLOAD_TYPES[action.kind])).toContain(key);
      expect(actionFromJson(action.kind, JSON.parse(JSON.stringify(json)))).toEqual(action);
    },
  );

  it("round-trips any value: JSON -> typed -> JSON (property)", () => {
    fc.assert(
      fc.property(anyAction, (action) => {
        const json = JSON.parse(JSON.stringify(actionToJson(action)));
        expect(actionToJson(actionFromJson(action.kind, json))).toEqual(json);
      }),
      { numRuns: 300 },
    );
  });

  it("accepts uints as JSON integers or decimal strings, and writes big ones as strings", () => {
    const a = actionFromJson("gt-grant", { recipient: PRINCIPALS[0], amount: 5 });
    const b = actionFromJson("gt-grant", { recipient: PRINCIPALS[0], amount: "5" });
    expect(a).toEqual(b);
    expect(actionToJson({ kind: "gt-grant", payload: { recipient: PRINCIPALS[0]!, amount: 2n ** 64n } }).amount).toBe(
      "18446744073709551616",
    );
  });

  it.each([
    [
      "camelCase keys, naming the JSON field to use",
      "channel-close",
      { txid: "ab", vout: 0, force: false, maxFeeRate: 1 },
      "maxFeeRate",
      "max-fee-rate",
    ],
    ["a fractional uint", "setting", { key: "max-fee-ppm", value: 1.5 }, "value", "non-negative integer"],
    ["a negative uint", "setting", { key: "max-fee-ppm", value: -1 }, "value", "non-negative integer"],
    ["a missing field", "setting", { key: "max-fee-ppm" }, "value", "missing"],
    [
      "a vout above 2^53 - 1",
      "channel-close",
      { ...actionToJson(EXAMPLES[1]!), vout: "9007199254740992" },
      "vout",
      "2^53",
    ],
    [
      "a nested field",
      "fee-policy",
      { ...actionToJson(EXAMPLES[2]!), target: { txid: EXAMPLES[2]!.kind, vout: "x" } },
      "target.vout",
      "non-negative integer",
    ],
  ] as const)("explains %s", (_, kind, json, field, words) => {
    const error = errorOf(() => actionFromJson(kind, json));
    expect(error.field).toBe(field);
    expect(error.message).toContain(words);
  });

  it("refuses an unknown kind and a non-object", () => {
    expect(errorOf(() => actionFromJson("nope", {})).code).toBe("ERR_UNKNOWN_KIND");
    expect(errorOf(() => actionFromJson("setting", [1, 2])).code).toBe("ERR_MALFORMED_PAYLOAD");
  });
});

describe("fromClarityValue", () => {
  it("refuses a value that is not a tuple", () => {
    expect(errorOf(() => fromClarityValue("setting" as ActionKind, Cl.uint(1))).code).toBe("ERR_MALFORMED_PAYLOAD");
  });
});
