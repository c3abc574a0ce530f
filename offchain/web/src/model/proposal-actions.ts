// Which of proposals.clar's calls fit a proposal now, worked out from the same stored facts the contract checks.
// The contract stays the judge; this only decides which buttons the page offers.
import type { BondSettlement, Outcome, Proposal, ProposalStatus } from "../stacks/types.ts";

export type ProposalAction = "cancel" | "conclude" | "apply" | "execute-proposal" | "release-bond";

export interface ProposalFacts {
  proposal: Proposal;
  status: ProposalStatus;
  outcome: Outcome | null;
  bond: BondSettlement | null;
  burnHeight: bigint;
  /** The connected account, if any. */
  me: string | null;
}

export function availableActions({ proposal, status, outcome, bond, burnHeight, me }: ProposalFacts): ProposalAction[] {
  const actions: ProposalAction[] = [];
  const open = outcome === null && status !== "cancelled";
  if (open && me === proposal.proposer && (status === "pending" || status === "active")) actions.push("cancel");
  if (open && (status === "succeeded" || status === "defeated")) actions.push("conclude");
  if (
    outcome?.passed &&
    !proposal.offchain &&
    status === "queued" &&
    burnHeight >= outcome.eta &&
    burnHeight < outcome.expires
  ) {
    actions.push(proposal.kind === "contract-proposal" ? "execute-proposal" : "apply");
  }
  if (outcome?.passed && bond === null && burnHeight >= outcome.vetoCloses) actions.push("release-bond");
  return actions;
}

/** How the window reads at a burn height: "starts in 6 burn blocks", "ends in 140 burn blocks", "ended 3 burn blocks ago". */
export function windowText(start: bigint, end: bigint, burnHeight: bigint): string {
  const blocks = (n: bigint): string => `${n} burn block${n === 1n ? "" : "s"}`;
  if (burnHeight < start) return `starts in ${blocks(start - burnHeight)}`;
  if (burnHeight < end) return `ends in ${blocks(end - burnHeight)}`;
  return burnHeight === end ? "ended this burn block" : `ended ${blocks(burnHeight - end)} ago`;
}
