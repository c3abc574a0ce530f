import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEventShapes } from "./event-source.ts";

/** docs/events.md as {contract: {topic: fields}}. */
function documented(): Map<string, Map<string, string[]>> {
  const doc = new Map<string, Map<string, string[]>>();
  let contract = "";
  for (const line of readFileSync("docs/events.md", "utf8").split("\n")) {
    const heading = /^## ([a-z0-9-]+)$/.exec(line);
    if (heading) {
      contract = heading[1]!;
      doc.set(contract, new Map());
      continue;
    }
    const row = /^\| `([a-z0-9-]+)` \| `\{topic(.*)\}`/.exec(line);
    if (row && contract) {
      const fields = row[2]!
        .split(",")
        .map((f) => f.trim().split(":")[0]!.trim())
        .filter(Boolean);
      doc.get(contract)!.set(row[1]!, fields);
    }
  }
  return doc;
}

const LIQUIDITY_SNAPSHOT = [
  "onchain-sats",
  "outbound-sats",
  "inbound-sats",
  "channels",
  "lv-reserve",
  "lv-withdrawal",
  "vault-sats",
];

describe("docs/events.md", () => {
  const shapes = readEventShapes("contracts");
  const doc = documented();

  it("finds the events in the contracts", () => {
    expect(shapes.length).toBeGreaterThan(30);
  });

  it.each(shapes.map((s) => [`${s.contract} ${s.topic}`, s] as const))(
    "documents %s with its exact fields",
    (_, shape) => {
      const fields = shape.fields.flatMap((f) => (f === "...snapshot" ? LIQUIDITY_SNAPSHOT : [f]));
      expect(doc.get(shape.contract)?.get(shape.topic)).toEqual(fields);
    },
  );

  it("documents no event that no contract prints", () => {
    const printed = new Set(shapes.map((s) => `${s.contract} ${s.topic}`));
    const listed = [...doc.entries()].flatMap(([contract, topics]) =>
      [...topics.keys()].map((t) => `${contract} ${t}`),
    );
    expect(listed.filter((entry) => !printed.has(entry))).toEqual([]);
  });
});
