// Runs one Rendezvous (rv) campaign the way `rv <project> <contract> <mode>` does, with the two steps rv
// skips: the bootstrap call (rv deploys every contract but none of the plan's calls) and, afterwards, a count of
// where the campaign's proposals ended. The bootstrap is the fuzz bootstrap of scripts/fuzz-fixtures.ts: the
// real lvdao-bootstrap, then the fuzz settings profile. Used by scripts/fuzz.ts; not meant to be run by hand.
//
//   tsx scripts/fuzz-campaign.ts <project> <contract> <invariant|test> <runs> <seed>
//
// rv's modules come from tools/rendezvous (its own clarinet-sdk 3.13), loaded with require.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FUZZ_BOOTSTRAP, MAX_BURN_STEP } from "./fuzz-fixtures.ts";

const rendezvous = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "tools", "rendezvous");
const load = createRequire(join(rendezvous, "package.json"));
const dist = join(dirname(load.resolve("@stacks/rendezvous/package.json")), "dist");
const { issueFirstClassCitizenship } = load(join(dist, "citizen.js"));
const { tryParseRemoteDataSettings } = load(join(dist, "app.js"));
const shared = load(join(dist, "shared.js"));
const { checkInvariants } = load(join(dist, "invariant.js"));
const { checkProperties } = load(join(dist, "property.js"));
const { Cl, cvToString, cvToValue } = load("@stacks/transactions");

type ClarityValue = unknown;
type Simnet = {
  getAccounts(): Map<string, string>;
  callPublicFn(contract: string, method: string, args: ClarityValue[], sender: string): { result: ClarityValue };
  callReadOnlyFn(contract: string, method: string, args: ClarityValue[], sender: string): { result: ClarityValue };
  mineEmptyBurnBlocks(count: number): unknown;
};

// Where every proposal of the campaign ended, read from the contracts' own read-only functions.
function lifecycle(simnet: Simnet, deployer: string): string {
  const read = (contract: string, method: string, args: ClarityValue[]) =>
    simnet.callReadOnlyFn(`${deployer}.${contract}`, method, args, deployer).result;
  const lastId = Number(cvToValue(read("proposals", "get-last-id", [])));
  const statuses = new Map<string, number>();
  let passed = 0;
  let applied = 0;
  let relayed = 0;
  for (let id = 1; id <= lastId; id++) {
    const status = String(cvToValue(read("proposals", "get-proposal-status", [Cl.uint(id)])).value);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const outcome = cvToValue(read("proposals", "get-outcome", [Cl.uint(id)]));
    if (outcome?.value?.passed?.value === true) passed++;
    if (status === "executed" || status === "failed") applied++;
    const action = cvToValue(read("execution-queue", "get-action", [Cl.uint(id)]));
    if (action?.value?.status?.value === "executed") relayed++;
  }
  const byStatus = [...statuses]
    .sort()
    .map(([status, count]) => `${status} ${count}`)
    .join(", ");
  return (
    `lifecycle: proposals ${lastId}, passed ${passed}, executed ${applied + relayed} ` +
    `(chain ${applied}, by a relay ${relayed}); by status: ${byStatus || "none"}`
  );
}

async function main(): Promise<void> {
  const [project, contract, mode, runsText, seedText] = process.argv.slice(2);
  const runs = Number(runsText);
  const seed = Number(seedText);
  if (
    !project ||
    !contract ||
    (mode !== "invariant" && mode !== "test") ||
    !Number.isInteger(runs) ||
    !Number.isInteger(seed)
  ) {
    throw new Error("usage: fuzz-campaign.ts <project> <contract> <invariant|test> <runs> <seed>");
  }
  const radio = new EventEmitter();
  radio.on("logMessage", (line: string) => console.log(line));
  radio.on("logFailure", (line: string) => console.error(line));

  const manifest = join(project, "Clarinet.toml");
  const simnet: Simnet = await issueFirstClassCitizenship(
    project,
    manifest,
    tryParseRemoteDataSettings(manifest, radio),
    contract,
  );

  // The bootstrap, as the deployment plan runs it, with the fuzz profile on top.
  const deployer = simnet.getAccounts().get("deployer")!;
  const bootstrap = simnet.callPublicFn(
    `${deployer}.lvdao-core`,
    "construct",
    [Cl.principal(`${deployer}.${FUZZ_BOOTSTRAP}`)],
    deployer,
  );
  if (cvToString(bootstrap.result) !== "(ok true)")
    throw new Error(`bootstrap failed: ${cvToString(bootstrap.result)}`);
  console.log(`bootstrap: ${cvToString(bootstrap.result)}`);

  // rv's step between runs, folded into 1..MAX_BURN_STEP (see fuzz-fixtures.ts): the draw stays rv's, seeded.
  const mine = simnet.mineEmptyBurnBlocks.bind(simnet);
  simnet.mineEmptyBurnBlocks = (count: number) => mine(((count - 1) % MAX_BURN_STEP) + 1);

  const interfaces = shared.getSimnetDeployerContractsInterfaces(simnet);
  const targets = [...interfaces.keys()].filter((id: string) => shared.getContractNameFromContractId(id) === contract);
  const functions = shared.getFunctionsFromContractInterfaces(
    new Map([...interfaces].filter(([id]: [string]) => targets.includes(id))),
  );
  try {
    if (mode === "invariant") {
      await checkInvariants(simnet, contract, targets, functions, seed, runs, false, undefined, radio);
    } else {
      checkProperties(simnet, contract, targets, functions, seed, runs, false, radio);
    }
  } finally {
    console.log(lifecycle(simnet, deployer));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
