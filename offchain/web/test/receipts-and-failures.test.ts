// What the liquidity page says about a relay's receipt, and the words for a failed transaction.
import { describe, expect, it } from "vitest";
import { describeEvidence } from "../src/model/receipts.ts";
import { describeErrorCode, explainFailure, okUint } from "../src/model/tx-result.ts";
import { detailsHash, sha256Hex, titleProblem } from "../src/model/details.ts";

const H32 = "ab".repeat(32);

describe("describeEvidence", () => {
  it.each([
    ["channel-open", `${H32}00000001`, { label: "funding outpoint", value: `${H32}:1` }],
    ["channel-close", H32, { label: "closing txid", value: H32 }],
    ["loop-out", `0x${H32.toUpperCase()}`, { label: "swap hash", value: H32 }],
    ["lv-transfer", H32, { label: "anchor txid", value: H32 }],
    ["fee-policy", H32, { label: "sha256 of the applied policy set", value: H32 }],
    ["watchtower", H32, { label: "sha256 of pubkey@host", value: H32 }],
    ["channel-open", H32, { label: "evidence", value: H32 }],
    ["setting", "", { label: "evidence", value: "(empty)" }],
  ])("%s %s", (kind, hex, text) => {
    expect(describeEvidence(kind, hex)).toEqual(text);
  });
});

describe("transaction outcomes", () => {
  it.each([
    ["(ok u3)", 3n],
    ["(ok u340282366920938463463374607431768211455)", 2n ** 128n - 1n],
    ["(ok true)", null],
    ["(err u1)", null],
  ])("okUint(%s)", (repr, value) => {
    expect(okUint(repr)).toBe(value);
  });

  it("names a contract error code by its contract and constant", () => {
    expect(describeErrorCode(1406n)).toMatch(/^quadratic-voting\.ERR_INSUFFICIENT_CREDITS/);
    expect(describeErrorCode(999_999n)).toBe("error u999999");
  });

  it.each([
    [{ txid: "0x1", status: "abort_by_response", result: "(err u1406)" }, /ERR_INSUFFICIENT_CREDITS/],
    [{ txid: "0x1", status: "abort_by_post_condition", result: "" }, /aborted by a post-condition/],
    [{ txid: "0x1", status: "dropped", result: "" }, /dropped/],
    [{ txid: "0x1", status: "abort_by_response", result: "(err none)" }, /failed: \(err none\)/],
  ] as const)("explains %j", (tx, text) => {
    expect(explainFailure(tx)).toMatch(text);
  });
});

describe("proposal details", () => {
  it("hashes text with sha256 and takes a pasted hash as is", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await detailsHash(`0x${H32.toUpperCase()}`)).toBe(H32);
    expect(await detailsHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it.each([
    ["", /ERR_EMPTY_TITLE/],
    ["   ", /ERR_EMPTY_TITLE/],
    ["x".repeat(101), /101 characters/],
  ])("title %j is refused", (title, problem) => {
    expect(titleProblem(title)).toMatch(problem);
  });

  it("a 100-character title, counted in characters not bytes, fits", () => {
    expect(titleProblem("é".repeat(100))).toBeNull();
  });
});
