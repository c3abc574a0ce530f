// The shape of the TypeScript code, checked on every `npm test`: no import cycle anywhere in offchain/, scripts/ or
// tests/, and in the relay no import that climbs a layer (offchain/relay/test/layers.ts) and none of its forbidden
// ones.
// The checker itself is tested first on small graphs, so a passing run means something.
import { describe, expect, it } from "vitest";
import { climbs, cycles, readGraph, specifiers, type ImportGraph } from "../scripts/import-graph.ts";
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
});

describe("the code's imports", () => {
  const graph = readGraph(ROOT, ["offchain", "scripts", "tests"]);

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

  it("make none of the relay's forbidden imports", () => {
    const found: string[] = [];
    for (const [file, targets] of graph) {
      if (!isRelayProduction(file)) continue;
      for (const rule of FORBIDDEN) {
        if (!file.startsWith(rule.from)) continue;
        for (const target of targets) {
          if (target.startsWith(rule.to) && !(rule.except ?? []).includes(target))
            found.push(`${file} imports ${target}: ${rule.why}`);
        }
      }
    }
    expect(found).toEqual([]);
  });
});
