// The shape comparison the regtest suite relies on to say the simulators answer like the real daemons.
import { describe, expect, it } from "vitest";
import { shapeDifferences } from "./test/relay-scenario.ts";
import { shapeOf } from "./test/stack.ts";

describe("shapeOf and shapeDifferences", () => {
  it("describes keys and primitive types, arrays by their first element", () => {
    expect(shapeOf({ b: [1n, 2n], a: { at: new Date(0), memo: null } })).toEqual({
      a: { at: "Date", memo: "null" },
      b: ["bigint"],
    });
  });

  const cases: Array<[string, unknown, unknown, string[]]> = [
    ["equal shapes", { x: 1, y: ["a"] }, { x: 2, y: ["b", "c"] }, []],
    ["an empty array matches any array", { y: [] }, { y: [{ z: 1 }] }, []],
    ["a missing field", { x: 1, y: 2 }, { x: 1 }, ['step.y: "number" vs undefined']],
    ["a type change", { x: 1 }, { x: "1" }, ['step.x: "number" vs "string"']],
    ["null against a value", { memo: null }, { memo: "lvdao:1" }, ['step.memo: "null" vs "string"']],
    ["an array against an object", { y: [] }, { y: {} }, ['step.y: "[]" vs {}']],
  ];
  it.each(cases)("%s", (_name, a, b, problems) => {
    expect(shapeDifferences(new Map([["step", a]]), new Map([["step", b]]))).toEqual(problems);
  });

  it("reports a step only one run answered", () => {
    expect(shapeDifferences(new Map([["a", 1]]), new Map())).toEqual(["a: answered in only one run"]);
  });
});
