// npm run bench:contracts [-- --write]: runs every cost scenario in simnet (each on a fresh session) and
// prints a table of runtime, reads, read length, writes, write length and the share of the block limit,
// then the ratios against baselines measured in the same run. --write also updates docs/costs.md.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initSimnet } from "@stacks/clarinet-sdk";
import { Cl } from "@stacks/transactions";
import { blockShare, costOf, ok, type Context, type Ratio, type Row } from "./measure.ts";
import { SCENARIOS } from "./scenarios.ts";

const here = dirname(fileURLToPath(import.meta.url));
const write = process.argv.includes("--write");

async function context(): Promise<Context> {
  const simnet = await initSimnet("./Clarinet.toml", true, { trackCosts: true, trackCoverage: false });
  const accounts = simnet.getAccounts();
  const deployer = accounts.get("deployer")!;
  return {
    simnet,
    deployer,
    wallet: (n) => accounts.get(`wallet_${n}`)!,
    call(contract, fn, args, sender) {
      const receipt = simnet.callPublicFn(contract, fn, args, sender);
      ok(receipt.result, `${contract}.${fn}`);
      return costOf(receipt);
    },
    read(contract, fn, args, sender = deployer) {
      const receipt = simnet.callReadOnlyFn(contract, fn, args, sender);
      ok(receipt.result, `${contract}.${fn}`);
      return costOf(receipt);
    },
    deployBaseline(name, file) {
      simnet.deployContract(name, readFileSync(join(here, "baselines", file), "utf8"), { clarityVersion: 4 }, deployer);
      return `${deployer}.${name}`;
    },
  };
}

const rows: Row[] = [];
const ratios: Ratio[] = [];
for (const scenario of SCENARIOS) {
  process.stderr.write(`running ${scenario.name}...\n`);
  const started = Date.now();
  const quiet = console.log;
  console.log = () => {}; // simnet echoes every print event; the table is what matters here
  try {
    const result = scenario.run(await context());
    rows.push(...result.rows);
    ratios.push(...result.ratios);
  } finally {
    console.log = quiet;
  }
  process.stderr.write(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const fmt = (n: number) => n.toLocaleString("en-US");
const costTable = [
  "| call | runtime | reads | read length | writes | write length | block share (binding) |",
  "|---|---:|---:|---:|---:|---:|---|",
  ...rows.map(({ name, cost }) => {
    const { share, binding } = blockShare(cost);
    return (
      `| ${name} | ${fmt(cost.runtime)} | ${fmt(cost.readCount)} | ${fmt(cost.readLength)} | ` +
      `${fmt(cost.writeCount)} | ${fmt(cost.writeLength)} | ${(share * 100).toFixed(3)}% (${binding}) |`
    );
  }),
].join("\n");
const ratioTable = [
  "| comparison | value | baseline | ratio | note |",
  "|---|---:|---:|---:|---|",
  ...ratios.map((r) => `| ${r.name} | ${fmt(r.value)} | ${fmt(r.baseline)} | ${r.ratio.toFixed(2)} | ${r.note} |`),
].join("\n");

console.log(
  `\nCosts per call (simnet, epoch 3.4)\n\n${costTable}\n\n` +
    `Ratios against baselines measured in this run\n\n${ratioTable}\n`,
);

if (write) {
  const path = "docs/costs.md";
  const doc = readFileSync(path, "utf8");
  const begin = "<!-- bench:contracts begin -->";
  const end = "<!-- bench:contracts end -->";
  const from = doc.indexOf(begin);
  const to = doc.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`${path} has no ${begin} ... ${end} section`);
  const table = `${begin}\n\n${costTable}\n\n${ratioTable}\n\n${end}`;
  writeFileSync(path, doc.slice(0, from) + table + doc.slice(to + end.length));
  console.log(`updated ${path}`);
}
void Cl;
