// A proposal with its derived status and its count so far (the quadratic tally, or conviction against the
// threshold): in full for the proposal page, and as the list reads it, a page of 20 in one call.
import { NodeError } from "./api.ts";
import type { LvdaoReads, PageEntry } from "./reads.ts";
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

/**
 * The count the list shows, as the page read returns it: quadratic votes for and against, or a conviction
 * proposal's conviction and threshold (0 while it has none it could pass at).
 */
export type Count =
  | { mechanism: "quadratic"; votesFor: bigint; votesAgainst: bigint }
  | { mechanism: "conviction"; conviction: bigint; threshold: bigint };

export interface ListSummary {
  proposal: Proposal;
  status: ProposalStatus;
  count: Count;
}

export interface ProposalPage {
  lastId: bigint;
  summaries: ListSummary[];
}

/** The contract's page size (docs/contracts.md, get-proposals-page). */
export const PAGE_READ_SIZE = 20;

export function countOfEntry({ proposal, status, votesFor, votesAgainst }: PageEntry): ListSummary {
  const count: Count =
    proposal.mechanism === "quadratic"
      ? { mechanism: "quadratic", votesFor, votesAgainst }
      : { mechanism: "conviction", conviction: votesFor, threshold: votesAgainst };
  return { proposal, status, count };
}

export function countOfSummary({ proposal, status, voting }: ProposalSummary): ListSummary {
  const count: Count =
    voting.mechanism === "quadratic"
      ? { mechanism: "quadratic", votesFor: voting.tally.votesFor, votesAgainst: voting.tally.votesAgainst }
      : {
          mechanism: "conviction",
          conviction: voting.state.conviction,
          threshold: voting.state.threshold.ok ? voting.state.threshold.value : 0n,
        };
  return { proposal, status, count };
}

/**
 * Whether a failed page read is the node refusing its cost: a stacks-node with the default read-only limits
 * answers `{"okay": false, "cause": "...CostBalanceExceeded..."}` for it. Anything else is a real failure.
 */
export function refusedForCost(error: unknown): boolean {
  return (
    error instanceof NodeError &&
    (error.code === "read_failed" || error.code === "http") &&
    /CostBalanceExceeded|\bcost\b/i.test(error.message)
  );
}

// Sessions whose node refused the page read: they read each proposal from then on, without asking again.
const pageRefused = new WeakSet<LvdaoReads>();

/** The newest proposals, skipping `offset` of them, `limit` at most. */
export async function loadNewest(reads: LvdaoReads, offset: number, limit: number): Promise<ProposalPage> {
  const lastId = await reads.lastProposalId();
  const newest = lastId - BigInt(offset);
  const oldest = newest - BigInt(limit) + 1n > 1n ? newest - BigInt(limit) + 1n : 1n;
  if (newest < oldest) return { lastId, summaries: [] };
  if (!pageRefused.has(reads)) {
    try {
      const firsts: bigint[] = [];
      for (let first = oldest; first <= newest; first += BigInt(PAGE_READ_SIZE)) firsts.push(first);
      const pages = await Promise.all(firsts.map((first) => reads.proposalsPage(first)));
      const summaries = pages
        .flat()
        .filter(({ proposal }) => proposal.id >= oldest && proposal.id <= newest)
        .map(countOfEntry)
        .reverse();
      return { lastId, summaries };
    } catch (error) {
      if (!refusedForCost(error)) throw error;
      pageRefused.add(reads);
    }
  }
  const ids: bigint[] = [];
  for (let id = newest; id >= oldest; id--) ids.push(id);
  const summaries = await Promise.all(ids.map((id) => loadSummary(reads, id)));
  return { lastId, summaries: summaries.filter((s): s is ProposalSummary => s !== null).map(countOfSummary) };
}
