// The shape of the TypeScript code, checked on every `npm test`: no import cycle anywhere in offchain/, scripts/,
// tests/ or bench/; no production code that imports test support or the test runner; and in the relay no import that
// climbs a layer (offchain/relay/test/layers.ts) and none of its forbidden ones.
// The checker itself is tested first on small graphs, so a passing run means something.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  climbs,
  cycles,
  isTestCode,
  isTestRunner,
  readGraph,
  specifiers,
  type ImportGraph,
} from "../scripts/import-graph.ts";
import { FORBIDDEN, isRelayProduction, RELAY_LAYERS } from "./relay/test/layers.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe("the import checker", () => {
  it.each<{ name: string; edges: Record<string, string[]>; found: string[][] }>([
    { name: "a chain has no cycle", edges: { a: ["b"], b: ["c"], c: [] }, found: [] },
    { name: "two files importing each other", edges: { a: ["b"], b: ["a"] }, found: [["a", "b"]] },
    {
      name: "a cycle of three, and a file outside it",
      edges: { a: ["b"], b: ["c"], c: ["a"], d: ["a"] },
      found: [["a", "b", "c"]],
    },
    { name: "a file importing itself", edges: { a: ["a"] }, found: [["a"]] },
    {
      name: "two separate cycles",
      edges: { a: ["b"], b: ["a"], c: ["d"], d: ["c"] },
      found: [
        ["a", "b"],
        ["c", "d"],
      ],
    },
  ])("cycles: $name", ({ edges, found }) => {
    expect(cycles(graphOf(edges))).toEqual(found);
  });

  const layers = [
    { name: "low", paths: ["low/"] },
    { name: "mid", paths: ["mid/", "top-level.ts"] },
    { name: "high", paths: ["high/"] },
  ];
  it.each<{ name: string; edges: Record<string, string[]>; found: string[] }>([
    {
      name: "downward and sideways imports pass",
      edges: { "high/a.ts": ["mid/b.ts", "low/c.ts"], "mid/b.ts": ["top-level.ts", "low/c.ts"] },
      found: [],
    },
    {
      name: "an import one layer up fails",
      edges: { "low/c.ts": ["mid/b.ts"] },
      found: ["low/c.ts (low) imports mid/b.ts (mid)"],
    },
    {
      name: "an import two layers up fails",
      edges: { "top-level.ts": ["high/a.ts"] },
      found: ["top-level.ts (mid) imports high/a.ts (high)"],
    },
    {
      name: "files outside the layers are not judged",
      edges: { "elsewhere.ts": ["high/a.ts"], "low/c.ts": ["elsewhere.ts"] },
      found: [],
    },
  ])("climbs: $name", ({ edges, found }) => {
    expect(climbs(graphOf(edges), layers)).toEqual(found);
  });

  it.each([
    ['import { a } from "./a.ts";', ["./a.ts"]],
    ['import type { A } from "../b.ts";', ["../b.ts"]],
    ['export * from "./c.ts";', ["./c.ts"]],
    ['export { d, type D } from "./d.ts";', ["./d.ts"]],
    ['import "./side-effect.ts";', ["./side-effect.ts"]],
    ['const m = await import("./lazy.ts");', ["./lazy.ts"]],
    ['import {\n  a,\n  b,\n} from "./multi.ts";', ["./multi.ts"]],
    ['// import { x } from "./commented.ts";\n/* import "./block.ts"; */', []],
    ['const text = "not an import from ./x.ts";', []],
  ])("reads the specifiers of %j", (text, found) => {
    expect(specifiers(text)).toEqual(found);
  });

  it.each([
    ["offchain/relay/test/fakes.ts", true],
    ["offchain/lightning/test/stack.ts", true],
    ["offchain/regtest/harness/test-fixtures/daemon-parent.ts", true],
    ["tests/helpers/chain.ts", true],
    ["offchain/clarity/errors.test.ts", true],
    ["offchain/web/src/App.test.tsx", true],
    ["offchain/relay/start.ts", false],
    ["offchain/lightning/requests/loop.ts", false],
    ["offchain/relay/testing.ts", false],
    ["bench/relay/stack.ts", false],
  ])("counts %s as test code: %s", (file, expected) => {
    expect(isTestCode(file)).toBe(expected);
  });

  it.each([
    ["vitest", true],
    ["vitest/config", true],
    ["@stacks/clarinet-sdk/vitest", true],
    ["vitest-environment-clarinet", false],
    ["@stacks/clarinet-sdk", false],
  ])("counts %s as the test runner: %s", (spec, expected) => {
    expect(isTestRunner(spec)).toBe(expected);
  });
});

describe("the code's imports", () => {
  const graph = readGraph(ROOT, ["offchain", "scripts", "tests", "bench"]);

  it("reads the whole tree", () => {
    expect(graph.size).toBeGreaterThan(300);
    expect(graph.get("offchain/relay/start.ts")).toContain("offchain/relay/workers.ts");
  });

  it("have no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("never climb a layer in the relay", () => {
    const relay = new Map([...graph].filter(([file]) => isRelayProduction(file)));
    expect(climbs(relay, RELAY_LAYERS)).toEqual([]);
  });

  it("put every production file of the relay in a layer", () => {
    const unplaced = [...graph.keys()].filter(
      (file) =>
        isRelayProduction(file) &&
        !RELAY_LAYERS.some((l) => l.paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p))),
    );
    expect(unplaced).toEqual([]);
  });

  // Benchmarks are not production code: they start the same peers the integration suites do.
  const isProduction = (file: string): boolean => !isTestCode(file) && !file.startsWith("bench/");

  it("keep test support out of production code", () => {
    const found = [...graph]
      .filter(([file]) => isProduction(file))
      .flatMap(([file, targets]) => targets.filter(isTestCode).map((target) => `${file} imports ${target}`));
    expect(found).toEqual([]);
  });

  it("load the test runner only in test code and the runner's configs", () => {
    const found = [...graph.keys()].filter(
      (file) =>
        isProduction(file) &&
        !file.endsWith("vitest.config.ts") &&
        specifiers(readFileSync(join(ROOT, file), "utf8")).some(isTestRunner),
    );
    expect(found).toEqual([]);
  });

  it("make none of the relay's forbidden imports", () => {
    const found: string[] = [];
    for (const [file, targets] of graph) {
      if (!isRelayProduction(file)) continue;
      for (const rule of FORBIDDEN) {
        if (!file.startsWith(rule.from) || (rule.exceptFrom ?? []).includes(file)) continue;
        for (const target of targets) {
          if (target.startsWith(rule.to) && !(rule.except ?? []).includes(target))
            found.push(`${file} imports ${target}: ${rule.why}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
