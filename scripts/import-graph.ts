// The import graph of the TypeScript sources: every relative import (static, dynamic, type-only and re-exports
// alike), the cycles in it, and the imports that climb a layer. `npm test` runs it over offchain/, scripts/, tests/
// and bench/ (offchain/imports.test.ts): there must be no cycle, and no import from a lower layer into a higher one.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** file -> the files it imports, both relative to the root, with forward slashes. */
export type ImportGraph = Map<string, string[]>;

const SOURCE = /\.(ts|tsx|mts)$/;
const SKIP = new Set(["node_modules", "dist", ".tmp", "test-fixtures"]);
// import x from "..."; import type {...} from "..."; export * from "..."; import "..."; import("...")
const SPECIFIER =
  /(?:^|[\s;}])(?:import|export)\s+(?:type\s+)?(?:[^"'`;]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

function sources(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP.has(name) || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...sources(root, path));
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) out.push(path.split("\\").join("/"));
  }
  return out;
}

/** The imports written in one file's text, as specifiers. Comments are stripped first. */
export function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  return [...code.matchAll(SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

export function readGraph(root: string, dirs: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of dirs.flatMap((dir) => sources(root, dir))) {
    const targets = specifiers(readFileSync(join(root, file), "utf8"))
      .filter((spec) => spec.startsWith("."))
      .map((spec) =>
        relative(root, resolve(root, dirname(file), spec))
          .split("\\")
          .join("/"),
      )
      .filter((target) => SOURCE.test(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every cycle, as the files of one strongly connected component (Tarjan), each sorted; a file importing itself too. */
export function cycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file)!, index.get(target)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** A layer: the paths it holds (a folder ends with "/"), lowest layer first in a list. */
export interface Layer {
  name: string;
  paths: string[];
}

export const layerOf = (layers: Layer[], file: string): number =>
  layers.findIndex((layer) => layer.paths.some((path) => (path.endsWith("/") ? file.startsWith(path) : file === path)));

/** Every import from a file into a file of a higher layer (files outside the layers are not judged). */
export function climbs(graph: ImportGraph, layers: Layer[]): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(layers, file);
    if (from < 0) continue;
    for (const target of targets) {
      const to = layerOf(layers, target);
      if (to > from) found.push(`${file} (${layers[from]!.name}) imports ${target} (${layers[to]!.name})`);
    }
  }
  return found.sort();
}

/** Test code: a test file, or anything in a test/, tests/ or test-fixtures/ folder (suites, fakes, helpers). */
export const isTestCode = (file: string): boolean =>
  /(^|\/)(test|tests|test-fixtures)\//.test(file) || /\.test\.tsx?$/.test(file);

/** Whether a bare specifier is the test runner, which only test code and the runner's configs may load. */
export const isTestRunner = (spec: string): boolean =>
  spec === "vitest" || spec.startsWith("vitest/") || spec.startsWith("@stacks/clarinet-sdk/vitest");
