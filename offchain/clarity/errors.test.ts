import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkErrorConstants, readErrorConstants, renderErrorsMd, renderErrorsTs } from "./error-source.ts";
import { ERRORS, errorName } from "./errors.ts";

const constants = readErrorConstants("contracts");

describe("the error table", () => {
  it("has every code inside its contract's block, used once, with a comment", () => {
    expect(checkErrorConstants(constants)).toEqual([]);
  });

  it("matches the contracts (offchain/clarity/errors.ts is regenerated, not hand-edited)", () => {
    expect(readFileSync("offchain/clarity/errors.ts", "utf8")).toBe(renderErrorsTs(constants));
  });

  it("matches contracts/ERRORS.md", () => {
    expect(readFileSync("contracts/ERRORS.md", "utf8")).toBe(renderErrorsMd(constants));
  });

  it("names a code by contract and constant", () => {
    const [first] = constants;
    expect(first).toBeDefined();
    expect(errorName(first!.code)).toBe(`${first!.contract}.${first!.name}`);
    expect(errorName(999_999)).toBeUndefined();
    expect(ERRORS["gt-token"].ERR_INSUFFICIENT_BALANCE).toBe(
      constants.find((c) => c.contract === "gt-token" && c.name === "ERR_INSUFFICIENT_BALANCE")!.code,
    );
  });
});

describe("checkErrorConstants", () => {
  it.each([
    [
      "a code outside the block",
      { contract: "gt-token", name: "ERR_X", code: 1300, description: "x" },
      "outside the block",
    ],
    ["an unknown contract", { contract: "nope", name: "ERR_X", code: 1, description: "x" }, "no error block"],
    ["a missing comment", { contract: "gt-token", name: "ERR_X", code: 1299, description: "" }, "no one-line comment"],
  ])("reports %s", (_, constant, message) => {
    expect(checkErrorConstants([constant]).join("\n")).toContain(message);
  });

  it("reports a reused code", () => {
    const a = { contract: "gt-token", name: "ERR_A", code: 1201, description: "a" };
    expect(checkErrorConstants([a, { ...a, name: "ERR_B" }]).join("\n")).toContain("already used by gt-token.ERR_A");
  });
});
