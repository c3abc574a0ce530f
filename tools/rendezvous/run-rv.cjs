// Runs one Rendezvous (rv) campaign the way `rv <project> <contract> <mode>` does, plus the one step rv
// skips: the deployment plan's bootstrap call. rv deploys every contract but none of the plan's calls, and
// lvdao-core.construct accepts only the deployer calling directly, so this runner makes that call itself
// (as the plan does) between deployment and fuzzing. Used by scripts/fuzz.ts; not meant to be run by hand.
//
//   node tools/rendezvous/run-rv.cjs <project> <contract> <invariant|test> <runs> <seed>
"use strict";
const { EventEmitter } = require("node:events");
const { join } = require("node:path");
const dist = join(__dirname, "node_modules", "@stacks", "rendezvous", "dist");
const { issueFirstClassCitizenship } = require(join(dist, "citizen.js"));
const { tryParseRemoteDataSettings } = require(join(dist, "app.js"));
const shared = require(join(dist, "shared.js"));
const { checkInvariants } = require(join(dist, "invariant.js"));
const { checkProperties } = require(join(dist, "property.js"));
const { Cl, cvToString } = require("@stacks/transactions");

async function main() {
  const [project, contract, mode, runsText, seedText] = process.argv.slice(2);
  const runs = Number(runsText);
  const seed = Number(seedText);
  if (
    !project ||
    !contract ||
    !["invariant", "test"].includes(mode) ||
    !Number.isInteger(runs) ||
    !Number.isInteger(seed)
  ) {
    throw new Error("usage: run-rv.cjs <project> <contract> <invariant|test> <runs> <seed>");
  }
  const radio = new EventEmitter();
  radio.on("logMessage", (line) => console.log(line));
  radio.on("logFailure", (line) => console.error(line));

  const manifest = join(project, "Clarinet.toml");
  const simnet = await issueFirstClassCitizenship(
    project,
    manifest,
    tryParseRemoteDataSettings(manifest, radio),
    contract,
  );

  // The bootstrap, as the deployment plan runs it.
  const deployer = simnet.getAccounts().get("deployer");
  const bootstrap = simnet.callPublicFn(
    `${deployer}.lvdao-core`,
    "construct",
    [Cl.principal(`${deployer}.lvdao-bootstrap`)],
    deployer,
  );
  if (cvToString(bootstrap.result) !== "(ok true)") {
    throw new Error(`bootstrap failed: ${cvToString(bootstrap.result)}`);
  }
  console.log(`bootstrap: ${cvToString(bootstrap.result)}`);

  const interfaces = shared.getSimnetDeployerContractsInterfaces(simnet);
  const targets = [...interfaces.keys()].filter((id) => shared.getContractNameFromContractId(id) === contract);
  const functions = shared.getFunctionsFromContractInterfaces(
    new Map([...interfaces].filter(([id]) => targets.includes(id))),
  );
  if (mode === "invariant") {
    await checkInvariants(simnet, contract, targets, functions, seed, runs, false, undefined, radio);
  } else {
    checkProperties(simnet, contract, targets, functions, seed, runs, false, radio);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
