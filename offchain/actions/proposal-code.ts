// What a voter checks in a contract-proposal, given the source the chain serves for the named contract: whether
// the payload's code-hash is that source's hash (action-validator and proposals.execute-proposal refuse it
// otherwise), and which contracts that code calls. Fetching the source is the caller's job (the CLI, the web app).
import { codeHash } from "./code-hash.ts";
import { contractCalls, type ContractCalls } from "./contract-calls.ts";
import type { ContractProposal } from "./types.ts";

export type ProposalCode =
  /** No contract of that name is deployed: the chain refuses it with ERR_CONTRACT_MISSING. */
  | { state: "missing"; contract: string; payloadHash: string }
  /** The deployed source, its hash and its calls; "differs" is refused with ERR_CODE_HASH. */
  | { state: "matches" | "differs"; contract: string; payloadHash: string; deployedHash: string; calls: ContractCalls };

/** The payload against the deployed source (undefined when the node has no such contract). */
export function proposalCode(payload: ContractProposal, source: string | undefined): ProposalCode {
  const base = { contract: payload.proposal, payloadHash: payload.codeHash };
  if (source === undefined) return { state: "missing", ...base };
  const deployedHash = codeHash(source);
  return {
    state: deployedHash === payload.codeHash ? "matches" : "differs",
    ...base,
    deployedHash,
    calls: contractCalls(source, payload.proposal),
  };
}

/** The verdict in one sentence, the same words in the CLI and the web app. */
export function describeProposalCode(check: ProposalCode): string {
  switch (check.state) {
    case "matches":
      return "matches the deployed source: the code this proposal runs is that source";
    case "differs":
      return (
        `DIFFERS from the deployed source (${check.deployedHash}): ` + "the chain refuses this proposal (ERR_CODE_HASH)"
      );
    case "missing":
      return `no contract ${check.contract} is deployed: the chain refuses this proposal (ERR_CONTRACT_MISSING)`;
  }
}
