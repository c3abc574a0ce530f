import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codeHash } from "./index.ts";
import { EXAMPLES, EXAMPLE_PROPOSAL_SOURCE } from "./examples.ts";

const nodeSha512_256 = (text: string): string =>
  createHash("sha512-256").update(Buffer.from(text, "utf8")).digest("hex");

describe("codeHash", () => {
  it.each([
    ["the empty source", "", "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a"],
    ["abc (FIPS 180-4 test vector)", "abc", "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"],
  ])("is SHA-512/256: %s", (_, source, expected) => {
    expect(codeHash(source)).toBe(expected);
  });

  it.each([
    ["the example proposal", EXAMPLE_PROPOSAL_SOURCE],
    ["a contract of the project", readFileSync("contracts/lvdao-core.clar", "utf8")],
    ["text with a trailing newline removed", EXAMPLE_PROPOSAL_SOURCE.trimEnd()],
  ])("equals node's sha512-256 of the source bytes: %s", (_, source) => {
    expect(codeHash(source)).toBe(nodeSha512_256(source));
  });

  it("changes with a single byte, so the pinned code cannot be swapped", () => {
    expect(codeHash(EXAMPLE_PROPOSAL_SOURCE)).not.toBe(
      codeHash(EXAMPLE_PROPOSAL_SOURCE.replace("(ok true)", "(ok false)")),
    );
  });

  it("is the example contract-proposal's code-hash", () => {
    const example = EXAMPLES.find((a) => a.kind === "contract-proposal")!;
    expect(example.payload).toMatchObject({ codeHash: nodeSha512_256(EXAMPLE_PROPOSAL_SOURCE) });
  });
});
