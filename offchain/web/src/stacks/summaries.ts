// A proposal with its derived status and its count so far (the quadratic tally, or conviction against the
// threshold), as the list and the proposal page show it.
import type { LvdaoReads } from "./reads.ts";
import type { ConvictionState, Proposal, ProposalStatus, Tally } from "./types.ts";

export type Voting = { mechanism: "quadratic"; tally: Tally } | { mechanism: "conviction"; state: ConvictionState };

export interface ProposalSummary {
  proposal: Proposal;
  status: ProposalStatus;
  voting: Voting;
}

/** Statuses no later block can change (docs/contracts.md, the proposal lifecycle). */
export const FINAL_STATUSES: readonly ProposalStatus[] = [
  "executed",
  "failed",
  "expired",
  "cancelled",
  "vetoed",
  "defeated",
];

// Summaries that cannot change any more: a final status with a quadratic tally (votes end with the window). A
// conviction count keeps decaying after the window, so it is read again each block.
const settled = new WeakMap<LvdaoReads, Map<bigint, ProposalSummary>>();

export async function loadSummary(reads: LvdaoReads, id: bigint): Promise<ProposalSummary | null> {
  const kept = settled.get(reads)?.get(id);
  if (kept) return kept;
  const proposal = await reads.proposal(id);
  if (!proposal) return null;
  const [status, voting] = await Promise.all([
    reads.status(id),
    proposal.mechanism === "quadratic"
      ? reads.tally(id).then((tally): Voting => ({ mechanism: "quadratic", tally }))
      : reads.conviction(id).then((state): Voting => ({ mechanism: "conviction", state })),
  ]);
  const summary = { proposal, status, voting };
  if (FINAL_STATUSES.includes(status) && voting.mechanism === "quadratic") {
    const byId = settled.get(reads) ?? new Map<bigint, ProposalSummary>();
    byId.set(id, summary);
    settled.set(reads, byId);
  }
  return summary;
}

export interface ProposalPage {
  lastId: bigint;
  summaries: ProposalSummary[];
}

/** The newest proposals, skipping `offset` of them, `limit` at most. */
export async function loadNewest(reads: LvdaoReads, offset: number, limit: number): Promise<ProposalPage> {
  const lastId = await reads.lastProposalId();
  const ids: bigint[] = [];
  for (let id = lastId - BigInt(offset); id >= 1n && ids.length < limit; id--) ids.push(id);
  const summaries = await Promise.all(ids.map((id) => loadSummary(reads, id)));
  return { lastId, summaries: summaries.filter((s): s is ProposalSummary => s !== null) };
}
