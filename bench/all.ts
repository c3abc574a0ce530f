// `npm run bench`: every benchmark, one after another (they measure timings, so never two at once). Each
// `bench:*` npm script prints its own figures with a baseline measured in the same run and the ratio. Arguments
// after `--` select benchmarks by name: `npm run bench -- contracts relay`.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const scripts = Object.keys(
  (
    JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      scripts: Record<string, string>;
    }
  ).scripts,
).filter((name) => name.startsWith("bench:"));
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!scripts.includes(`bench:${name}`)) {
    console.error(`bench: no benchmark "${name}"; there are: ${scripts.map((s) => s.slice(6)).join(", ")}`);
    process.exit(2);
  }
}
const selected = wanted.length ? scripts.filter((name) => wanted.includes(name.slice(6))) : scripts;

const failed: string[] = [];
for (const [index, name] of selected.entries()) {
  console.log(`\n=== ${name} (${index + 1} of ${selected.length})\n`);
  const started = Date.now();
  const result = spawnSync("npm", ["run", "--silent", name], { stdio: "inherit" });
  const verdict = result.status === 0 ? "done" : `FAILED (exit ${result.status ?? result.signal})`;
  console.log(`\n=== ${name}: ${verdict} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (result.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nbench: ${failed.length} of ${selected.length} failed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log(`\nbench: ${selected.length} benchmarks ran: ${selected.join(", ")}`);
