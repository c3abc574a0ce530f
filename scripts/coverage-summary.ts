// npm run coverage:summary [-- --min 95]: line coverage per contract from lcov.info (written by
// `npm run test:report`). The Clarinet SDK writes one lcov record per test; a line counts as covered when
// any test ran it. Exits non-zero when a contract is below --min.
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const args = process.argv.slice(2);
const minIndex = args.indexOf("--min");
const min = minIndex >= 0 ? Number(args[minIndex + 1]) : 0;
const file = args.find((a, i) => !a.startsWith("--") && i !== minIndex + 1) ?? "lcov.info";

const lines = new Map<string, Map<number, number>>();
let current: Map<number, number> | undefined;
for (const line of readFileSync(file, "utf8").split("\n")) {
  if (line.startsWith("SF:")) {
    const source = line.slice(3);
    if (!lines.has(source)) lines.set(source, new Map());
    current = lines.get(source);
  } else if (line.startsWith("DA:") && current) {
    const [number, hits] = line.slice(3).split(",").map(Number) as [number, number];
    current.set(number, Math.max(current.get(number) ?? 0, hits));
  } else if (line === "end_of_record") {
    current = undefined;
  }
}

const rows = [...lines.entries()]
  .filter(([source]) => !source.includes("/traits/") && !source.endsWith(".tests.clar"))
  .map(([source, hits]) => {
    const total = hits.size;
    const covered = [...hits.values()].filter((h) => h > 0).length;
    const missed = [...hits.entries()]
      .filter(([, h]) => h === 0)
      .map(([n]) => n)
      .sort((a, b) => a - b);
    return {
      contract: basename(source, ".clar"),
      total,
      covered,
      pct: total === 0 ? 100 : (covered / total) * 100,
      missed,
    };
  })
  .sort((a, b) => a.contract.localeCompare(b.contract));

console.log("| contract | lines | covered | line coverage | uncovered lines |");
console.log("|---|---:|---:|---:|---|");
for (const row of rows) {
  console.log(
    `| ${row.contract} | ${row.total} | ${row.covered} | ${row.pct.toFixed(1)}% | ` +
      `${row.missed.slice(0, 12).join(", ")}${row.missed.length > 12 ? ", ..." : ""} |`,
  );
}
const below = rows.filter((r) => r.pct < min);
if (below.length > 0) {
  console.error(`below ${min}%: ${below.map((r) => `${r.contract} (${r.pct.toFixed(1)}%)`).join(", ")}`);
  process.exit(1);
}
