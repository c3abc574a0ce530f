// npm run deploy:plan -- --network testnet|mainnet --deployer <address> [--params <file.json>] [--node <url>]
//                        [--fee-rate <uSTX per byte>] [--out <file>]
// npm run deploy:apply -- --plan <file> [--node <url>] [--key-file <file>]
//                        (or LVDAO_DEPLOYER_KEY_FILE / LVDAO_DEPLOYER_KEY)
// Writes a testnet/mainnet deployment plan with the production bootstrap, or applies one to a Stacks node with the
// deployer's key. The key is read from a file or the environment, checked against the plan's sender, and never
// printed. docs/deploy.md explains the params and the steps.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import {
  DeployParamsError,
  httpNode,
  productionPlan,
  readDeployParams,
  type DeployParams,
  type Network,
} from "../offchain/devnet/deploy.ts";
import { applyPlan, PlanError, planToYaml, readPlan, senderOf } from "../offchain/deploy/plan.ts";

class UsageError extends Error {
  override name = "UsageError";
}

const USAGE = [
  "usage:",
  "  npm run deploy:plan -- --network testnet|mainnet --deployer <address> [--params <file.json>] [--node <url>] " +
    "[--fee-rate <n>] [--out <file>]",
  "  npm run deploy:apply -- --plan <file> [--node <url>] [--key-file <file>]",
  "The deployer key comes from --key-file, LVDAO_DEPLOYER_KEY_FILE or LVDAO_DEPLOYER_KEY (hex). See docs/deploy.md.",
].join("\n");

const progress = (line: string): void => console.log(line);

async function plan(values: Record<string, string | undefined>): Promise<void> {
  const network = values.network;
  if (network !== "testnet" && network !== "mainnet")
    throw new UsageError(`--network must be testnet or mainnet, got ${network ?? "nothing"}`);
  if (!values.deployer)
    throw new UsageError("--deployer <address> is required: the address whose key will sign the plan");
  const feeRate = Number(values["fee-rate"] ?? "10");
  if (!Number.isInteger(feeRate) || feeRate < 1 || feeRate > 10_000)
    throw new UsageError(`--fee-rate must be an integer from 1 to 10000, got ${values["fee-rate"]}`);
  const params: DeployParams = values.params
    ? await readDeployParams(values.params, network, process.cwd())
    : { grants: [], relays: [], guardians: [], vetoQuorum: 1n, sunsetBlocks: 52_560n };
  const stacksNode = values.node ?? "http://localhost:20443"; // a local stacks-node's RPC port, as Clarinet writes
  const deployment = await productionPlan(process.cwd(), params, {
    network: network as Network,
    deployer: values.deployer,
    stacksNode,
    feeRate,
  });
  const out = values.out ?? `deployments/default.${network}-plan.yaml`;
  await writeFile(out, planToYaml(deployment));
  const count = deployment.plan.batches.reduce((n, b) => n + b.transactions.length, 0);
  const fees = deployment.plan.batches
    .flatMap((b) => b.transactions)
    .reduce((sum, tx) => sum + BigInt(tx.cost ?? 0), 0n);
  progress(
    `wrote ${out}: ${count} transactions in ${deployment.plan.batches.length} batches, fees ${fees} uSTX in total`,
  );
  progress(
    `  grants ${params.grants.length}, relays ${params.relays.length}, guardians ${params.guardians.length}, ` +
      `veto-quorum ${params.vetoQuorum}, sunset ${params.sunsetBlocks} burn blocks after construct`,
  );
}

async function deployerKey(keyFile: string | undefined): Promise<string> {
  const file = keyFile ?? process.env.LVDAO_DEPLOYER_KEY_FILE;
  const text = file
    ? await readFile(file, "utf8").catch((error: Error) => {
        throw new UsageError(`cannot read the key file ${file}: ${error.message}`);
      })
    : process.env.LVDAO_DEPLOYER_KEY;
  if (!text)
    throw new UsageError(
      "no deployer key: give --key-file <file>, or set LVDAO_DEPLOYER_KEY_FILE or LVDAO_DEPLOYER_KEY",
    );
  const key = text.trim().replace(/^0x/, "").toLowerCase();
  if (!/^[0-9a-f]{64}(01)?$/.test(key))
    throw new UsageError("the deployer key must be a hex private key (64 hex digits, optionally followed by 01)");
  return key;
}

async function apply(values: Record<string, string | undefined>): Promise<void> {
  if (!values.plan) throw new UsageError("--plan <file> is required");
  const deployment = await readPlan(values.plan);
  const network = deployment.network;
  if (network !== "testnet" && network !== "mainnet")
    throw new UsageError(`${values.plan} is a ${network} plan; deploy:apply takes testnet or mainnet plans`);
  const node = values.node ?? deployment["stacks-node"];
  if (!node) throw new UsageError("no node URL: give --node <url> or set stacks-node in the plan");
  const senders = new Set(deployment.plan.batches.flatMap((b) => b.transactions).map(senderOf));
  if (senders.size !== 1)
    throw new PlanError(`the plan has ${senders.size} senders; deploy:apply signs with one deployer key`);
  const [sender] = [...senders] as [string];
  const key = await deployerKey(values["key-file"]);
  const total = deployment.plan.batches.reduce((n, b) => n + b.transactions.length, 0);
  progress(`applying ${values.plan} (${total} transactions from ${sender}) to ${node}`);
  const txids = await applyPlan(
    process.cwd(),
    deployment,
    new Map([[sender, key]]),
    httpNode(node, network, { progress }),
    progress,
  );
  progress(`done: ${txids.length} transactions confirmed`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        network: { type: "string" },
        deployer: { type: "string" },
        params: { type: "string" },
        node: { type: "string" },
        "fee-rate": { type: "string" },
        out: { type: "string" },
        plan: { type: "string" },
        "key-file": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (command === "plan") return plan(values);
  if (command === "apply") return apply(values);
  throw new UsageError(`unknown command ${command ?? "(none)"}`);
}

main().catch((error: Error) => {
  const known = error instanceof UsageError || error instanceof PlanError || error instanceof DeployParamsError;
  console.error(
    known
      ? `${error.name}: ${error.message}${error instanceof UsageError ? `\n${USAGE}` : ""}`
      : `deploy failed: ${error.stack ?? error.message}`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
