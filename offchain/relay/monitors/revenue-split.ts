// Pure parts of the revenue sweeper: which epoch is due, the revenue in a window of forwards (msat carried between
// epochs so no fraction of a sat is lost or counted twice), the split of the minted LV by the allocation, and the
// evidence recorded with the epoch.
import { createHash } from "node:crypto";
import type { ForwardRecord } from "../daemons/ports.ts";
import type { Allocation } from "../stacks/reads.ts";

/** The newest epoch that has ended at this burn height (epoch e covers [e*N, (e+1)*N)), or undefined. */
export function lastEndedEpoch(burnHeight: number, epochBlocks: number): bigint | undefined {
  const epoch = Math.floor(burnHeight / epochBlocks) - 1;
  return epoch >= 0 ? BigInt(epoch) : undefined;
}

export interface Revenue {
  /** sats to mint as LV: whole sats of the fees plus the carried msat */
  sats: bigint;
  /** msat left over, carried into the next epoch */
  carryMsat: bigint;
  forwards: number;
  /** sha256 of the forwards counted (canonical text), for the evidence */
  digest: string;
}

export function revenueOf(forwards: ForwardRecord[], carriedMsat: bigint): Revenue {
  const totalMsat = forwards.reduce((sum, f) => sum + f.feeMsat, carriedMsat);
  const text = forwards
    .map((f) => `${f.at.toISOString()} ${f.incomingChannel} ${f.outgoingChannel} ${f.feeMsat}`)
    .join("\n");
  return {
    sats: totalMsat / 1000n,
    carryMsat: totalMsat % 1000n,
    forwards: forwards.length,
    digest: createHash("sha256").update(text).digest("hex"),
  };
}

export interface Shares {
  toInfrastructure: bigint;
  toChannels: bigint;
  toReserve: bigint;
}

/**
 * Splits `total` by the allocation's bps with the largest-remainder method: each share is the floor or the ceiling
 * of its exact part, and the three add up to `total`, so lv-ledger's check (within 1 unit of the allocation) holds.
 */
export function splitByAllocation(total: bigint, allocation: Allocation): Shares {
  const parts = [
    { name: "toInfrastructure" as const, bps: allocation.infrastructureBps },
    { name: "toChannels" as const, bps: allocation.channelBps },
    { name: "toReserve" as const, bps: allocation.reserveBps },
  ].map((p) => ({ ...p, floor: (total * p.bps) / 10_000n, remainder: (total * p.bps) % 10_000n }));
  let left = total - parts.reduce((sum, p) => sum + p.floor, 0n);
  for (const part of [...parts].sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : 0))) {
    if (left === 0n) break;
    part.floor += 1n;
    left -= 1n;
  }
  const shares = Object.fromEntries(parts.map((p) => [p.name, p.floor])) as unknown as Shares;
  return shares;
}

/** The epoch's evidence (64 bytes): the mint's anchor txid (zeros when nothing was minted) and the forwards digest. */
export function epochEvidence(mintTxid: string | null, digest: string): Buffer {
  return Buffer.concat([Buffer.from(mintTxid ?? "00".repeat(32), "hex"), Buffer.from(digest, "hex")]);
}
