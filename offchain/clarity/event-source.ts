// Reads the print events out of the Clarity sources: every `(print {topic: "...", ...})` tuple, its contract
// and its top-level field names. docs/events.md is checked against this by offchain/clarity/events.test.ts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

export interface EventShape {
  contract: string;
  topic: string;
  fields: string[];
}

/** The balanced s-expression starting at `start` (an open paren). */
function sexpr(source: string, start: number): string {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      i = source.indexOf('"', i + 1);
      continue;
    }
    if (c === ";") {
      i = source.indexOf("\n", i);
      continue;
    }
    if (c === "(" || c === "{") depth++;
    if (c === ")" || c === "}") depth--;
    if (depth === 0) return source.slice(start, i + 1);
  }
  throw new Error(`unbalanced expression at ${start}`);
}

/** Top-level `key:` names of a `{...}` tuple literal. */
function tupleKeys(tuple: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let token = "";
  for (let i = 0; i < tuple.length; i++) {
    const c = tuple[i]!;
    if (c === '"') {
      i = tuple.indexOf('"', i + 1);
      token = "";
      continue;
    }
    if (c === "(" || c === "{") depth++;
    if (c === ")" || c === "}") depth--;
    if (depth === 1 && c === ":" && token) keys.push(token.trim());
    token = depth === 1 && /[a-z0-9-]/.test(c) ? token + c : depth === 1 && c === ":" ? "" : depth === 1 ? "" : token;
  }
  return keys;
}

/** Every print event in the production contracts. A `(merge x {...})` print lists x's fields as `...x`. */
export function readEventShapes(contractsDir: string): EventShape[] {
  const shapes: EventShape[] = [];
  const files = readdirSync(contractsDir)
    .filter((f) => f.endsWith(".clar") && !f.endsWith(".tests.clar"))
    .sort();
  for (const file of files) {
    const source = readFileSync(join(contractsDir, file), "utf8");
    let at = source.indexOf("(print ");
    while (at >= 0) {
      const expression = sexpr(source, at);
      const inner = expression.slice("(print ".length, -1).trim();
      const merged = /^\(merge ([a-z0-9-]+) /.exec(inner);
      const tupleStart = inner.indexOf("{");
      if (tupleStart >= 0) {
        const tuple = sexpr(inner, tupleStart);
        const topic = /topic: "([a-z0-9-]+)"/.exec(tuple)?.[1];
        if (topic) {
          const fields = tupleKeys(tuple).filter((k) => k !== "topic");
          shapes.push({
            contract: file.replace(/\.clar$/, ""),
            topic,
            fields: merged ? [`...${merged[1]}`, ...fields] : fields,
          });
        }
      }
      at = source.indexOf("(print ", at + expression.length);
    }
  }
  return shapes;
}
