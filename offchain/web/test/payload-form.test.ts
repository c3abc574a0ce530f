// The propose form is driven by the codec's kind table: every kind gets a draft, the codec's examples validate,
// and a bad draft comes back as the codec's named error before any wallet is asked.
import { describe, expect, it } from "vitest";
import { ACTION_KINDS, DEFAULT_SETTINGS, PAYLOAD_TYPES, decodeAction, type FieldType } from "../../actions/index.ts";
import {
  draftToAction,
  emptyDraft,
  exampleDraft,
  fieldHint,
  fieldSuggestions,
  linesToList,
  setAt,
} from "../src/model/payload-form.ts";

describe("drafts for every kind", () => {
  it.each(ACTION_KINDS.map((kind) => [kind]))(
    "%s: the empty draft has the kind's fields, the example draft validates and round-trips",
    (kind) => {
      expect(Object.keys(emptyDraft(kind)).sort()).toEqual(Object.keys(PAYLOAD_TYPES[kind]).sort());
      const result = draftToAction(kind, exampleDraft(kind), DEFAULT_SETTINGS);
      if (!result.ok) throw result.error;
      expect(decodeAction(kind, Uint8Array.from(Buffer.from(result.payloadHex, "hex")))).toEqual(result.action);
    },
  );
});

describe("draftToAction", () => {
  it("names the code and field of a payload outside the settings' bounds", () => {
    const draft = setAt(exampleDraft("channel-open"), ["local-sats"], "10");
    const result = draftToAction("channel-open", draft, DEFAULT_SETTINGS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([result.error.code, result.error.field]).toEqual(["ERR_CHANNEL_SIZE", "local-sats"]);
  });

  it("names an empty number field as malformed rather than throwing something else", () => {
    const result = draftToAction("channel-open", emptyDraft("channel-open"), DEFAULT_SETTINGS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.name).toBe("ActionError");
  });
});

describe("setAt", () => {
  it("replaces nested fields and list items without touching the original", () => {
    const original = { a: { b: [1, 2, 3] } };
    expect(setAt(original, ["a", "b", 1], 9)).toEqual({ a: { b: [1, 9, 3] } });
    expect(original).toEqual({ a: { b: [1, 2, 3] } });
  });
  it("refuses a path through a scalar", () => {
    expect(() => setAt({ a: 1 }, ["a", "b"], 2)).toThrow(/no field at b/);
  });
});

describe("field hints and suggestions", () => {
  it.each([
    ["channel-open", "local-sats", "sats"],
    ["channel-open", "base-fee-msat", "msat"],
    ["channel-open", "fee-ppm", "ppm"],
    ["gt-grant", "amount", "GT base units (10^-6 GT)"],
    ["treasury-transfer", "amount", "GT base units (10^-6 GT)"],
    [
      "contract-proposal",
      "code-hash",
      "SHA-512/256 of the contract's source, 32 bytes hex; filled from the deployed contract",
    ],
  ] as const)("%s.%s is labelled %s", (kind, name, hint) => {
    const fields: Record<string, FieldType> = PAYLOAD_TYPES[kind];
    expect(fieldHint(kind, name, fields[name]!)).toBe(hint);
  });

  it.each([
    ["5000000", "GT base units (10^-6 GT): 5 GT"],
    ["1500001", "GT base units (10^-6 GT): 1.500001 GT"],
    [" 42 ", "GT base units (10^-6 GT): 0.000042 GT"],
    ["5 GT", "GT base units (10^-6 GT)"],
    ["", "GT base units (10^-6 GT)"],
  ])("a treasury-transfer amount of %j shows its GT: %s", (amount, hint) => {
    expect(
      fieldHint("treasury-transfer", "amount", PAYLOAD_TYPES["treasury-transfer"].amount, { recipient: "", amount }),
    ).toBe(hint);
  });

  it("offers the settings keys for a setting proposal, and the setting's unit and bounds for its value", () => {
    const keys = fieldSuggestions("setting", "key");
    expect(keys.length).toBeGreaterThan(0);
    const hint = fieldHint("setting", "value", PAYLOAD_TYPES.setting.value!, { key: keys[0]!, value: "" });
    expect(hint).toMatch(/, \d+ to \d+$/);
  });

  it("splits one buffer per line, skipping blank lines", () => {
    expect(linesToList("aa\r\n\n bb \n")).toEqual(["aa", "bb"]);
  });
});
