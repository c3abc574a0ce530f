// Runs Rendezvous (rv) on every contract that has a contracts/<name>.tests.clar: invariant mode (random
// sequences of public calls, then every invariant-) and property mode (every test- with random arguments).
// Fails when any run finds a violation, and prints the seed of every run so any one can be replayed.
//
//   npm run test:fuzz [-- --runs 1000] [--seed 42] [--contracts gt-token,guardian] [--jobs 2] [--keep]
//
// --runs is per contract and mode (1,000 by default, as CI runs it; `--runs 10000` for a long campaign); --jobs
// is how many campaigns run at once (default: 2, or 1 on a single core).
//
// rv 0.12 reads the deployment-plan format of clarinet-sdk 3.13, so it lives in tools/rendezvous with its own
// clarinet-sdk, and runs against a temporary copy of the project that has no deployment plan (rv's simnet
// writes its own there). The copy also gets the fixtures of scripts/fuzz-fixtures.ts: a fuzz bootstrap (the
// real bootstrap, then a settings profile with short windows and low quorums, so proposals pass, queue and
// execute inside a campaign) and the agent contracts the .tests.clar wrappers vote, stake and relay through.
// rv deploys contracts without the plan's calls, so scripts/fuzz-campaign.ts drives rv's own modules, makes
// the bootstrap call (lvdao-core.construct by the deployer) before fuzzing, and prints afterwards where the
// campaign's proposals ended; the proposals campaign fails if none passed or none was executed.
// The repository's files are never touched.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fixtureContracts } from "./fuzz-fixtures.ts";

const repository = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const rendezvous = join(repository, "tools", "rendezvous");
const runner = join(repository, "scripts", "fuzz-campaign.ts");

const tsx = import.meta.resolve("tsx");

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    seed: { type: "string" },
    contracts: { type: "string" },
    jobs: { type: "string", default: String(Math.min(2, availableParallelism())) },
    keep: { type: "boolean", default: false },
    project: { type: "string", default: repository },
  },
});
const root = resolve(values.project!);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`--runs must be a positive integer, got ${values.runs}`);
const jobs = Number(values.jobs);
if (!Number.isInteger(jobs) || jobs < 1 || jobs > 8) throw new RangeError(`--jobs must be 1..8, got ${values.jobs}`);
const baseSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(baseSeed)) throw new RangeError(`--seed must be an integer, got ${values.seed}`);
if (!existsSync(join(rendezvous, "node_modules", "@stacks", "rendezvous"))) {
  throw new Error(
    "Rendezvous is not installed: run `npm ci --prefix tools/rendezvous` (see tools/rendezvous/package.json)",
  );
}

// Contracts named in Clarinet.toml, in file order, that have a .tests.clar beside them.
const manifest = readFileSync(join(root, "Clarinet.toml"), "utf8");
const declared = [...manifest.matchAll(/^\[contracts\.([A-Za-z0-9-]+)\]\s*\npath\s*=\s*"([^"]+)"/gm)].map(
  ([, name, path]) => ({ name: name!, path: path! }),
);
const fuzzable = declared.filter(({ path }) => existsSync(join(root, path.replace(/\.clar$/, ".tests.clar"))));
const wanted = values.contracts
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of wanted ?? []) {
  if (!fuzzable.some((c) => c.name === name))
    throw new Error(`no contracts/${name}.tests.clar for a contract in Clarinet.toml`);
}
const targets = fuzzable.filter((c) => !wanted || wanted.includes(c.name));
if (targets.length === 0)
  throw new Error("nothing to fuzz: no contract in Clarinet.toml has a contracts/<name>.tests.clar");
// Which modes each contract has: invariant mode needs invariant- functions, property mode test- functions. A
// stateless contract (action-validator) has properties only.
const modesOf = new Map(
  targets.map(({ name, path }) => {
    const source = readFileSync(join(root, path.replace(/\.clar$/, ".tests.clar")), "utf8");
    const modes = [
      ...(/\(define-read-only \(invariant-/.test(source) ? ["invariant" as const] : []),
      ...(/\(define-public \(test-/.test(source) ? ["test" as const] : []),
    ];
    if (modes.length === 0) throw new Error(`contracts/${name}.tests.clar has no invariant- or test- function`);
    return [name, modes];
  }),
);

// The temporary project.
const project = mkdtempSync(join(tmpdir(), "lvdao-fuzz-"));
cpSync(join(root, "contracts"), join(project, "contracts"), { recursive: true });
cpSync(join(root, "settings"), join(project, "settings"), { recursive: true });
// clarinet-sdk 3.13 knows epochs up to 3.3, where Clarity 4 starts; 3.4 only disables at-block, which no
// contract here uses, so the copy runs at 3.3.
const fixtures = fixtureContracts();
for (const { name, source } of fixtures) writeFileSync(join(project, "contracts", `${name}.clar`), source);
writeFileSync(
  join(project, "Clarinet.toml"),
  manifest
    .replaceAll('epoch = "3.4"', 'epoch = "3.3"')
    .replace(
      /\n\[repl\./,
      (tail) =>
        fixtures
          .map(
            ({ name }) =>
              `\n[contracts.${name}]\npath = "contracts/${name}.clar"\nclarity_version = 4\nepoch = "3.3"\n`,
          )
          .join("") + tail,
    ),
);
const logs = join(project, "logs");
mkdirSync(logs);

type Job = { contract: string; mode: "invariant" | "test"; seed: number };
type Outcome = Job & { ok: boolean; seconds: number; log: string; report: string; lifecycle: string };
// Seeds follow the base seed by each contract's place among all fuzzable contracts, so a run of one contract
// with the same --seed replays exactly what the full run did.
const queue: Job[] = targets.flatMap(({ name }) => {
  const place = fuzzable.findIndex((c) => c.name === name);
  return modesOf
    .get(name)!
    .map((mode) => ({ contract: name, mode, seed: baseSeed + 2 * place + (mode === "test" ? 1 : 0) }));
});

// The proposals invariant campaign is where proposals go through their whole life under the fuzz profile; one in
// which none passed or none was executed no longer tests conclude, the queue or execution, so it fails.
const LIFECYCLE_FLOOR_RUNS = 200;
function stalledLifecycle(job: Job, lifecycle: string): string {
  if (job.contract !== "proposals" || job.mode !== "invariant" || runs < LIFECYCLE_FLOOR_RUNS) return "";
  const counts = /passed (\d+), executed (\d+)/.exec(lifecycle);
  if (counts && Number(counts[1]) > 0 && Number(counts[2]) > 0) return "";
  return (
    `no proposal passed or none was executed in ${runs} runs (${lifecycle || "no lifecycle line"}): ` +
    "the fuzz profile (scripts/fuzz-fixtures.ts) or the proposals.tests.clar wrappers no longer drive proposals through"
  );
}

function run(job: Job): Promise<Outcome> {
  const log = join(logs, `${job.contract}.${job.mode}.log`);
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ["--import", tsx, runner, project, job.contract, job.mode, String(runs), String(job.seed)],
      { cwd: project, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) => {
      writeFileSync(log, output);
      const lifecycle = /^lifecycle: .*$/m.exec(output)?.[0] ?? "";
      const stalled = stalledLifecycle(job, lifecycle);
      const passed =
        code === 0 && new RegExp(`OK, (invariants|properties) passed after ${runs} runs`).test(output) && !stalled;
      const failure = output.indexOf("Error: Property failed");
      const report = passed
        ? ""
        : stalled
          ? stalled
          : failure >= 0
            ? output.slice(failure, failure + 4000)
            : output.slice(-4000);
      done({ ...job, ok: passed, seconds: (performance.now() - started) / 1000, log, report, lifecycle });
    });
  });
}

console.log(
  `fuzzing ${targets.length} contracts, ${runs} runs per mode, base seed ${baseSeed}, project copy ${project}`,
);
const outcomes: Outcome[] = [];
const started = performance.now();
async function worker(): Promise<void> {
  for (let job = queue.shift(); job; job = queue.shift()) {
    const outcome = await run(job);
    outcomes.push(outcome);
    console.log(
      `${outcome.ok ? "ok  " : "FAIL"} ${outcome.contract.padEnd(20)} ${outcome.mode.padEnd(9)} ` +
        `runs ${runs} seed ${outcome.seed} ${outcome.seconds.toFixed(1)} s`,
    );
    if (outcome.mode === "invariant" && /proposals [1-9]/.test(outcome.lifecycle))
      console.log(`     ${outcome.lifecycle}`);
    if (!outcome.ok) console.log(`${outcome.report}\n(full log: ${outcome.log})`);
  }
}
await Promise.all(Array.from({ length: jobs }, worker));

const failed = outcomes.filter((o) => !o.ok);
console.log(
  `\n${outcomes.length} rv runs x ${runs} runs in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
    `replay: npm run test:fuzz -- --seed ${baseSeed} --runs ${runs} [--contracts <name>]`,
);
if (failed.length === 0 && !values.keep) rmSync(project, { recursive: true, force: true });
else console.log(`project copy and logs kept in ${project}`);
// The closing line, alone, in the "N passed, N failed" form CI reads.
console.log(`fuzz: ${outcomes.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length === 0 ? 0 : 1;
