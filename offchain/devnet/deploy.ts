// Testnet and mainnet deployment: the plan (every contract of the simnet plan in its dependency order, minus the
// devnet bootstrap, then the production bootstrap, the deployer's configure calls, seal, and lvdao-core.construct)
// and applying it to a Stacks node over HTTP with the deployer's key. `npm run deploy:plan` and `npm run
// deploy:apply` (scripts/deploy.ts) are the command line; docs/deploy.md is the guide.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  broadcastTransaction,
  privateKeyToAddress,
  validateStacksAddress,
  type StacksTransactionWire,
} from "@stacks/transactions";
import { loadDevnetAccounts } from "./accounts.ts";
import { derivePlan, PlanError, type DeploymentPlan, type PlanNode, type PlanTransaction } from "../deploy/plan.ts";

export const PRODUCTION_BOOTSTRAP = {
  name: "lvdao-bootstrap-production",
  path: "deployments/contracts/lvdao-bootstrap-production.clar",
};
/** A node's mempool takes at most 25 chained transactions per sender; each batch stays under it. */
const MAX_BATCH = 25;
const MAX_GRANTS = 50;
const MAX_RELAYS = 10;
const MAX_GUARDIANS = 16;
const U128_MAX = 2n ** 128n - 1n;

export class DeployParamsError extends Error {
  override name = "DeployParamsError";
}

export interface DeployParams {
  grants: { recipient: string; amount: bigint }[];
  relays: string[];
  guardians: string[];
  vetoQuorum: bigint;
  sunsetBlocks: bigint;
}

export type Network = "testnet" | "mainnet";

/**
 * Reads and checks a deployer's params JSON: `{"grants": [{"recipient": "SP..", "amount": "1000000000000"}],
 * "relays": [..], "guardians": [..], "veto-quorum": 2, "sunset-blocks": 52560}`. Amounts are GT base units (6
 * decimals) as integers or decimal strings. Every principal must belong to `network` and none may be one of the
 * public devnet test accounts of settings/Devnet.toml.
 */
export async function readDeployParams(path: string, network: Network, projectDir: string): Promise<DeployParams> {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  } catch (cause) {
    throw new DeployParamsError(`cannot read params ${path}: ${(cause as Error).message}`);
  }
  const known = new Set(["grants", "relays", "guardians", "veto-quorum", "sunset-blocks"]);
  const unknown = Object.keys(doc).find((key) => !known.has(key));
  if (unknown) throw new DeployParamsError(`params: unknown field "${unknown}" (fields: ${[...known].join(", ")})`);
  // The same published keys give an ST address on testnet and an SP address on mainnet: refuse both.
  const testAccounts = new Map(
    (await loadDevnetAccounts(projectDir)).flatMap(
      (a) =>
        [
          [a.address, a.name],
          [privateKeyToAddress(a.privateKey, "mainnet"), a.name],
        ] as [string, string][],
    ),
  );
  const principal = (value: unknown, field: string): string => {
    if (typeof value !== "string") throw new DeployParamsError(`params: ${field} must be a Stacks address string`);
    const [address, contract] = value.split(".");
    if (
      !address ||
      !validateStacksAddress(address) ||
      (contract !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]{0,127}$/.test(contract))
    ) {
      throw new DeployParamsError(`params: ${field} "${value}" is not a Stacks principal`);
    }
    const mainnet = address.startsWith("SP") || address.startsWith("SM");
    if (mainnet !== (network === "mainnet"))
      throw new DeployParamsError(`params: ${field} "${value}" is not a ${network} address`);
    const test = testAccounts.get(address);
    if (test)
      throw new DeployParamsError(
        `params: ${field} "${value}" is the public devnet test account ${test}; its key is published`,
      );
    return value;
  };
  const uint = (value: unknown, field: string, min: bigint, max: bigint): bigint => {
    const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
    if (typeof text !== "string" || !/^\d+$/.test(text) || BigInt(text) < min || BigInt(text) > max) {
      throw new DeployParamsError(
        `params: ${field} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return BigInt(text);
  };
  const list = (field: string, max: number): unknown[] => {
    const value = doc[field] ?? [];
    if (!Array.isArray(value)) throw new DeployParamsError(`params: ${field} must be a list`);
    if (value.length > max) throw new DeployParamsError(`params: ${field} has ${value.length} entries, at most ${max}`);
    return value;
  };
  const grants = list("grants", MAX_GRANTS).map((entry, i) => {
    const grant = entry as { recipient?: unknown; amount?: unknown };
    return {
      recipient: principal(grant.recipient, `grants[${i}].recipient`),
      amount: uint(grant.amount, `grants[${i}].amount`, 1n, U128_MAX),
    };
  });
  const relays = list("relays", MAX_RELAYS).map((r, i) => principal(r, `relays[${i}]`));
  const guardians = list("guardians", MAX_GUARDIANS).map((g, i) => principal(g, `guardians[${i}]`));
  const vetoQuorum = uint(doc["veto-quorum"] ?? 1, "veto-quorum", 1n, 16n);
  if (guardians.length > 0 && vetoQuorum > BigInt(guardians.length)) {
    throw new DeployParamsError(`params: veto-quorum ${vetoQuorum} is more than the ${guardians.length} guardians`);
  }
  const sunsetBlocks = uint(doc["sunset-blocks"] ?? 52_560, "sunset-blocks", 1n, 52_560n * 10n);
  return { grants, relays, guardians, vetoQuorum, sunsetBlocks };
}

export interface PlanOptions {
  network: Network;
  deployer: string;
  stacksNode: string;
  /** micro-STX per byte for publishes; calls pay 20,000 x this rate (Clarinet's default cost per call). */
  feeRate: number;
}

/** The production plan: publish (devnet bootstrap excluded) -> production bootstrap -> configure + seal -> construct. */
export async function productionPlan(
  projectDir: string,
  params: DeployParams,
  options: PlanOptions,
): Promise<DeploymentPlan> {
  if (!validateStacksAddress(options.deployer))
    throw new PlanError(`deployer ${options.deployer} is not a Stacks address`);
  const derived = await derivePlan(projectDir, {
    network: options.network,
    feeRate: options.feeRate,
    stacksNode: options.stacksNode,
    deployer: options.deployer,
    // The devnet bootstrap never leaves devnet; the production one is published below, after everything it calls.
    exclude: ["lvdao-bootstrap", PRODUCTION_BOOTSTRAP.name],
  });
  const construct = derived.plan.batches
    .flatMap((b) => b.transactions)
    .find((tx): tx is Extract<PlanTransaction, { method: string }> => "method" in tx && tx.method === "construct");
  if (!construct) throw new PlanError("the simnet plan has no lvdao-core.construct call to replace");
  const publishes = derived.plan.batches
    .map((b) => ({ ...b, transactions: b.transactions.filter((tx) => tx !== construct) }))
    .filter((b) => b.transactions.length > 0);
  const epoch = publishes
    .map((b) => b.epoch)
    .filter(Boolean)
    .pop();
  const bootstrapId = `${options.deployer}.${PRODUCTION_BOOTSTRAP.name}`;
  const code = await readFile(join(projectDir, PRODUCTION_BOOTSTRAP.path), "utf8");
  const call = (method: string, parameters: string[]): PlanTransaction => ({
    "transaction-type": "contract-call",
    "contract-id": bootstrapId,
    "expected-sender": options.deployer,
    method,
    parameters,
    cost: 20_000 * options.feeRate,
    "anchor-block-only": true,
  });
  const configure: PlanTransaction[] = [
    ...params.grants.map((g) => call("add-grant", [`'${g.recipient}`, `u${g.amount}`])),
    ...params.relays.map((r) => call("add-relay", [`'${r}`])),
    ...params.guardians.map((g) => call("add-guardian", [`'${g}`])),
    call("set-guardian-terms", [`u${params.vetoQuorum}`, `u${params.sunsetBlocks}`]),
    call("seal", []),
  ];
  const batches: DeploymentPlan["plan"]["batches"] = [];
  const push = (transactions: PlanTransaction[]): void => {
    for (let i = 0; i < transactions.length; i += MAX_BATCH) {
      batches.push({
        id: batches.length,
        transactions: transactions.slice(i, i + MAX_BATCH),
        ...(epoch ? { epoch } : {}),
      });
    }
  };
  for (const batch of publishes) push(batch.transactions);
  push([
    {
      "transaction-type": "contract-publish",
      "contract-name": PRODUCTION_BOOTSTRAP.name,
      "expected-sender": options.deployer,
      cost: (Buffer.byteLength(code) + 300) * options.feeRate,
      path: PRODUCTION_BOOTSTRAP.path,
      "anchor-block-only": true,
      "clarity-version": 4,
    },
  ]);
  push(configure);
  push([{ ...construct, parameters: [`'${bootstrapId}`] }]);
  return { ...derived, name: `lvdao ${options.network} deployment`, plan: { batches } };
}

/** A Stacks node reached over HTTP (node RPC + Hiro API routes), as applyPlan needs it. */
export function httpNode(
  url: string,
  network: Network,
  options: { timeoutMs?: number; pollMs?: number; progress?: (line: string) => void } = {},
): PlanNode {
  const base = url.replace(/\/$/, "");
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const pollMs = options.pollMs ?? 2_000;
  const getJson = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  return {
    network,
    async nextNonce(address) {
      const { status, body } = await getJson(`/extended/v1/address/${address}/nonces`);
      if (status !== 200 || typeof body.possible_next_nonce !== "number")
        throw new PlanError(`cannot read the nonce of ${address} from ${base}: HTTP ${status}`);
      return BigInt(body.possible_next_nonce);
    },
    async broadcast(tx: StacksTransactionWire) {
      const result = (await broadcastTransaction({ transaction: tx, network, client: { baseUrl: base } })) as {
        txid: string;
        error?: string;
        reason?: string;
        reason_data?: unknown;
      };
      if (result.error)
        throw new PlanError(
          `${base} refused transaction ${tx.txid()}: ` +
            `${result.reason ?? result.error} ${JSON.stringify(result.reason_data ?? "")}`,
        );
      return result.txid;
    },
    async confirmed(txid) {
      const started = Date.now();
      for (;;) {
        const { status, body } = await getJson(`/extended/v1/tx/0x${txid}`);
        const txStatus = status === 200 ? String(body.tx_status) : "pending";
        if (txStatus !== "pending") {
          const result = (body.tx_result as { repr?: string } | undefined)?.repr ?? "";
          return { status: txStatus, result };
        }
        if (Date.now() - started > timeoutMs)
          throw new PlanError(`transaction ${txid} still pending after ${timeoutMs / 1000} s`);
        options.progress?.(`  waiting for ${txid.slice(0, 12)}... to be mined`);
        await new Promise((done) => setTimeout(done, pollMs));
      }
    },
  };
}
