// The line-length check (scripts/line-length.ts) is tested on small texts, so that its verdict on the repository means
// something: the limit is exact, lengths are counted in characters, and only the two exempt kinds of line pass.
import { describe, expect, it } from "vitest";
import { longLines, MAX_COLUMNS } from "../scripts/line-length.ts";

const padded = (prefix: string, length: number): string => prefix + "x".repeat(length - [...prefix].length);

describe("longLines", () => {
  it.each<{ name: string; line: string; long: boolean }>([
    { name: "a line of exactly the limit passes", line: padded("// ", MAX_COLUMNS), long: false },
    { name: "one character over fails", line: padded("// ", MAX_COLUMNS + 1), long: true },
    { name: "an empty line passes", line: "", long: false },
    { name: "a long line with a URL is exempt", line: padded("// see https://example.org/", 200), long: false },
    { name: "a long http (not https) URL is exempt too", line: padded("// http://example.org/", 200), long: false },
    { name: "a long regex literal line is exempt", line: `  /^${"a".repeat(150)}$/u`, long: false },
    { name: "a long regex literal in a list is exempt", line: `    /^${"a".repeat(150)}$/,`, long: false },
    { name: "a long const regex literal is exempt", line: `const PATTERN = /^${"a".repeat(150)}$/i;`, long: false },
    { name: "a long string that merely contains slashes fails", line: padded('const path = "a/b/', 150), long: true },
    // "é" is 2 bytes in UTF-8 and "₿" is 3: a line of 120 of them is 120 characters, within the limit.
    { name: "counted in characters, not bytes (2-byte)", line: "é".repeat(MAX_COLUMNS), long: false },
    { name: "counted in characters, not bytes (3-byte)", line: "₿".repeat(MAX_COLUMNS), long: false },
    { name: "and 121 such characters fail", line: "₿".repeat(MAX_COLUMNS + 1), long: true },
  ])("$name", ({ line, long }) => {
    expect(longLines("f.ts", line).length).toBe(long ? 1 : 0);
  });

  it("reports each long line's file, 1-based number and length", () => {
    const text = ["short", "y".repeat(121), "short", ";;".padEnd(130, "z")].join("\n");
    expect(longLines("contracts/x.clar", text)).toEqual([
      { file: "contracts/x.clar", line: 2, length: 121 },
      { file: "contracts/x.clar", line: 4, length: 130 },
    ]);
  });
});
