// Shared by the contract cost scenarios: a simnet with cost tracking, and the cost rows they produce.
import { Cl, type ClarityValue } from "@stacks/transactions";
import type { Simnet } from "@stacks/clarinet-sdk";

export interface Cost {
  runtime: number;
  readCount: number;
  readLength: number;
  writeCount: number;
  writeLength: number;
}

/** The Stacks block limits (epoch 3.x) that costs are compared against. */
export const BLOCK_LIMIT: Cost = {
  runtime: 5_000_000_000,
  readCount: 15_000,
  readLength: 100_000_000,
  writeCount: 15_000,
  writeLength: 15_000_000,
};

/** A proposal body of a realistic size (about 1 KB of Markdown): propose prints it and hashes it. */
const BENCH_SENTENCE = "The DAO node needs inbound liquidity towards this peer; fees stay as they are. ";
export const BENCH_BODY = `## Why\n\n${BENCH_SENTENCE.repeat(12)}`;

export interface Row {
  name: string;
  cost: Cost;
}

export interface Ratio {
  name: string;
  value: number;
  baseline: number;
  ratio: number;
  note: string;
}

export interface Context {
  simnet: Simnet;
  deployer: string;
  wallet: (n: number) => string;
  /** A public call that must succeed; returns its cost. */
  call: (contract: string, fn: string, args: ClarityValue[], sender: string) => Cost;
  /** A read-only call; returns its cost. */
  read: (contract: string, fn: string, args: ClarityValue[], sender?: string) => Cost;
  deployBaseline: (name: string, file: string) => string;
}

export interface Scenario {
  name: string;
  run: (ctx: Context) => { rows: Row[]; ratios: Ratio[] };
}

export function costOf(receipt: { costs?: unknown }): Cost {
  const costs = receipt.costs as { total?: Cost } | undefined;
  if (!costs?.total) throw new Error("costs were not tracked; start simnet with { trackCosts: true }");
  return { ...costs.total };
}

export function ok(result: ClarityValue, what: string): void {
  if (result.type !== "ok") throw new Error(`${what} failed: ${Cl.prettyPrint(result)}`);
}

/** The binding share of the block limit for one cost: the largest of its five dimensions. */
export function blockShare(cost: Cost): { share: number; binding: keyof Cost } {
  let best: keyof Cost = "runtime";
  for (const key of Object.keys(BLOCK_LIMIT) as (keyof Cost)[]) {
    if (cost[key] / BLOCK_LIMIT[key] > cost[best] / BLOCK_LIMIT[best]) best = key;
  }
  return { share: cost[best] / BLOCK_LIMIT[best], binding: best };
}
