// Clarinet deployment plans: reading them, deriving the devnet/testnet/mainnet plans from the simnet plan (which
// Clarinet keeps in dependency order), and applying a plan with real signed transactions through any Stacks node
// (the emulation in-process, or a node's HTTP RPC).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  Cl,
  PostConditionMode,
  makeContractCall,
  makeContractDeploy,
  makeSTXTokenTransfer,
  privateKeyToAddress,
  type StacksTransactionWire,
} from "@stacks/transactions";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";

/** A Stacks epoch as deployment plans name it. */
export type EpochString =
  | "2.0"
  | "2.05"
  | "2.1"
  | "2.2"
  | "2.3"
  | "2.4"
  | "2.5"
  | "3.0"
  | "3.1"
  | "3.2"
  | "3.3"
  | "3.4";

export class PlanError extends Error {
  override name = "PlanError";
}

export type PlanTransaction =
  | {
      "transaction-type": "contract-publish" | "emulated-contract-publish";
      "contract-name": string;
      "expected-sender"?: string;
      "emulated-sender"?: string;
      path: string;
      cost?: number;
      "clarity-version"?: number;
      "anchor-block-only"?: boolean;
    }
  | {
      "transaction-type": "contract-call" | "emulated-contract-call";
      "contract-id": string;
      "expected-sender"?: string;
      "emulated-sender"?: string;
      method: string;
      parameters: string[];
      cost?: number;
      "anchor-block-only"?: boolean;
    }
  | {
      "transaction-type": "stx-transfer";
      "expected-sender": string;
      recipient: string;
      "mstx-amount": number;
      memo?: string;
      cost: number;
    };

export interface DeploymentPlan {
  id?: number;
  name: string;
  network: string;
  "stacks-node"?: string;
  "bitcoin-node"?: string;
  genesis?: unknown;
  plan: { batches: { id: number; transactions: PlanTransaction[]; epoch?: EpochString }[] };
}

export async function readPlan(path: string): Promise<DeploymentPlan> {
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(path, "utf8"));
  } catch (cause) {
    throw new PlanError(`cannot read deployment plan ${path}: ${(cause as Error).message}`);
  }
  const plan = doc as Partial<DeploymentPlan> | null;
  if (!plan || typeof plan !== "object" || !plan.plan || !Array.isArray(plan.plan.batches)) {
    throw new PlanError(`${path} is not a Clarinet deployment plan (no plan.batches)`);
  }
  return plan as DeploymentPlan;
}

export function senderOf(tx: PlanTransaction): string {
  const sender = tx["expected-sender"] ?? ("emulated-sender" in tx ? tx["emulated-sender"] : undefined);
  if (!sender) throw new PlanError(`plan transaction ${JSON.stringify(tx).slice(0, 120)} names no sender`);
  return sender;
}

export interface PlanTarget {
  network: "devnet" | "testnet" | "mainnet";
  /** Fee per byte, in micro-STX, for each publish and call (Clarinet's deployment_fee_rate). */
  feeRate: number;
  stacksNode: string;
  /** Maps the simnet plan's deployer address to the target's deployer address. */
  deployer: string;
  /** Contract names the simnet plan publishes that must not reach the target (test-only bootstraps). */
  exclude?: string[];
  /** Contract-call rewrites: replaces a principal literal in call parameters (e.g. the bootstrap proposal). */
  replaceParameters?: Record<string, string>;
  /** Extra contracts published after their dependencies, as [name, path, clarity version]. */
  extraContracts?: { name: string; path: string; clarityVersion: number; after: string }[];
}

/** Derives a devnet/testnet/mainnet plan from the project's simnet plan, keeping its batches and order. */
export async function derivePlan(projectDir: string, target: PlanTarget): Promise<DeploymentPlan> {
  const simnet = await readPlan(join(projectDir, "deployments", "default.simnet-plan.yaml"));
  const simnetDeployer = simnet.plan.batches.flatMap((b) => b.transactions).map(senderOf)[0];
  const remap = (text: string): string => (simnetDeployer ? text.split(simnetDeployer).join(target.deployer) : text);
  const batches: DeploymentPlan["plan"]["batches"] = [];
  for (const batch of simnet.plan.batches) {
    const transactions: PlanTransaction[] = [];
    for (const tx of batch.transactions) {
      if (tx["transaction-type"] === "emulated-contract-publish" || tx["transaction-type"] === "contract-publish") {
        if (target.exclude?.includes(tx["contract-name"])) continue;
        const code = await readFile(join(projectDir, tx.path), "utf8");
        transactions.push({
          "transaction-type": "contract-publish",
          "contract-name": tx["contract-name"],
          "expected-sender": remap(senderOf(tx)),
          cost: publishCost(code, target.feeRate),
          path: tx.path,
          "anchor-block-only": true,
          "clarity-version": tx["clarity-version"] ?? 4,
        });
        for (const extra of target.extraContracts ?? []) {
          if (extra.after !== tx["contract-name"]) continue;
          const extraCode = await readFile(join(projectDir, extra.path), "utf8");
          transactions.push({
            "transaction-type": "contract-publish",
            "contract-name": extra.name,
            "expected-sender": target.deployer,
            cost: publishCost(extraCode, target.feeRate),
            path: extra.path,
            "anchor-block-only": true,
            "clarity-version": extra.clarityVersion,
          });
        }
      } else if (tx["transaction-type"] === "emulated-contract-call" || tx["transaction-type"] === "contract-call") {
        const parameters = tx.parameters.map((p) => remap(target.replaceParameters?.[p] ?? p));
        transactions.push({
          "transaction-type": "contract-call",
          "contract-id": remap(tx["contract-id"]),
          "expected-sender": remap(senderOf(tx)),
          method: tx.method,
          parameters,
          cost: 20_000 * target.feeRate,
          "anchor-block-only": true,
        });
      } else {
        transactions.push(tx);
      }
    }
    if (transactions.length)
      batches.push({ id: batches.length, transactions, ...(batch.epoch ? { epoch: batch.epoch } : {}) });
  }
  return {
    id: 0,
    name: `${target.network[0]!.toUpperCase()}${target.network.slice(1)} deployment`,
    network: target.network,
    "stacks-node": target.stacksNode,
    plan: { batches },
  };
}

function publishCost(code: string, feeRate: number): number {
  return (Buffer.byteLength(code, "utf8") + 300) * feeRate;
}

export function planToYaml(plan: DeploymentPlan): string {
  return `---\n${stringifyYaml(plan, { lineWidth: 0 })}`;
}

/** What applying a plan needs from a node: the signing side stays in this module. */
export interface PlanNode {
  network: "testnet" | "mainnet";
  nextNonce(address: string): Promise<bigint>;
  broadcast(tx: StacksTransactionWire): Promise<string>;
  /** Resolves when the transaction is mined, with its status and result repr. */
  confirmed(txid: string): Promise<{ status: string; result: string }>;
}

/**
 * Applies every batch in order: signs each transaction with the key of its sender (`keys` maps address -> key),
 * broadcasts the batch, and waits for all of it to be mined before the next batch. Stops at the first failure.
 */
export async function applyPlan(
  projectDir: string,
  plan: DeploymentPlan,
  keys: Map<string, string>,
  node: PlanNode,
  progress: (line: string) => void = () => undefined,
): Promise<string[]> {
  const txids: string[] = [];
  const nonces = new Map<string, bigint>();
  const nextNonce = async (address: string): Promise<bigint> => {
    const nonce = nonces.get(address) ?? (await node.nextNonce(address));
    nonces.set(address, nonce + 1n);
    return nonce;
  };
  for (const batch of plan.plan.batches) {
    const pending: { txid: string; label: string }[] = [];
    for (const spec of batch.transactions) {
      const sender = senderOf(spec);
      const senderKey = keys.get(sender);
      if (!senderKey) throw new PlanError(`no key for ${sender}; provide the deployer key (see docs/devnet.md)`);
      if (privateKeyToAddress(senderKey, node.network) !== sender)
        throw new PlanError(`the key given for ${sender} belongs to another address`);
      const base = { senderKey, network: node.network, nonce: await nextNonce(sender) } as const;
      let tx: StacksTransactionWire;
      let label: string;
      if (spec["transaction-type"] === "contract-publish" || spec["transaction-type"] === "emulated-contract-publish") {
        const codeBody = await readFile(join(projectDir, spec.path), "utf8");
        tx = await makeContractDeploy({
          ...base,
          contractName: spec["contract-name"],
          codeBody,
          clarityVersion: spec["clarity-version"] ?? 4,
          fee: spec.cost ?? publishCost(codeBody, 1),
          postConditionMode: PostConditionMode.Allow,
        });
        label = `publish ${spec["contract-name"]}`;
      } else if (
        spec["transaction-type"] === "contract-call" ||
        spec["transaction-type"] === "emulated-contract-call"
      ) {
        const [contractAddress, contractName] = spec["contract-id"].split(".");
        if (!contractAddress || !contractName) throw new PlanError(`bad contract-id ${spec["contract-id"]}`);
        tx = await makeContractCall({
          ...base,
          contractAddress,
          contractName,
          functionName: spec.method,
          functionArgs: spec.parameters.map((p) => Cl.parse(p)),
          fee: spec.cost ?? 20_000,
          postConditionMode: PostConditionMode.Allow,
        });
        label = `call ${spec["contract-id"]}.${spec.method}`;
      } else if (spec["transaction-type"] === "stx-transfer") {
        tx = await makeSTXTokenTransfer({
          ...base,
          recipient: spec.recipient,
          amount: BigInt(spec["mstx-amount"]),
          fee: spec.cost,
          ...(spec.memo ? { memo: spec.memo } : {}),
        });
        label = `transfer ${spec["mstx-amount"]} uSTX to ${spec.recipient}`;
      } else {
        throw new PlanError(`unsupported plan transaction ${JSON.stringify(spec).slice(0, 120)}`);
      }
      pending.push({ txid: await node.broadcast(tx), label });
    }
    for (const { txid, label } of pending) {
      const outcome = await node.confirmed(txid);
      if (outcome.status !== "success")
        throw new PlanError(`${label} failed: ${outcome.status} ${outcome.result} (tx ${txid})`);
      progress(`  ${label}: ${outcome.result}`);
      txids.push(txid);
    }
  }
  return txids;
}
