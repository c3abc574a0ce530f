// What the liquidity page says about a relay's receipt, and the words for a failed transaction.
import { describe, expect, it } from "vitest";
import { describeEvidence } from "../src/model/receipts.ts";
import { describeErrorCode, explainFailure, okUint } from "../src/model/tx-result.ts";
import { bodyHash, bodyProblem, linkProblem, titleProblem } from "../src/model/details.ts";

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
  it("hashes a body as proposals.body-hash does: sha256 of its consensus serialization", () => {
    // sha256(0x0e 00000003 616263), not sha256("abc")
    expect(bodyHash("abc")).toBe("ef80763312a507bf47d67d371179c0e372cd36bcdbe645072228eaabb101a96b");
  });

  it.each([
    ["", /ERR_EMPTY_BODY/],
    ["x".repeat(4097), /4097 characters/],
  ])("refuses body case %#", (body, problem) => {
    expect(bodyProblem(body)).toMatch(problem);
  });

  it.each([
    ["https://forum.example.org/t/1", null],
    ["http://x", null],
    ["ftp://x", /ERR_BAD_LINK/],
    ["https://a b", /ERR_BAD_LINK/],
    ["https://é.org", /plain ASCII/],
    [`https://${"a".repeat(249)}`, /257 characters/],
  ])("link %j", (link, problem) => {
    if (problem === null) expect(linkProblem(link)).toBeNull();
    else expect(linkProblem(link)).toMatch(problem);
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
