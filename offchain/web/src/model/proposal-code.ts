// The propose form's contract-proposal: which contract the draft names, and its code-hash filled from that
// contract's deployed source until the proposer types a hash of their own. The verdict on a payload against the
// source is the codec's (proposalCode, describeProposalCode).
import { Cl } from "@stacks/transactions";
import { codeHash, type ContractProposal } from "../../../actions/index.ts";
import type { Draft } from "./payload-form.ts";

/** The contract a contract-proposal draft names; null until `proposal` is a contract principal. */
export function draftContract(draft: Draft): string | null {
  const proposal = typeof draft.proposal === "string" ? draft.proposal.trim() : "";
  if (!proposal.includes(".")) return null;
  try {
    Cl.principal(proposal);
    return proposal;
  } catch {
    return null;
  }
}

/**
 * The draft with code-hash set to the hash of `source`, when the proposer has not typed one: the field is empty,
 * or holds `lastFilled`, the hash filled for the contract named before.
 */
export function fillCodeHash(draft: Draft, source: string, lastFilled: string | null): Draft {
  const current = draft["code-hash"];
  const typedByHand = typeof current === "string" && current !== "" && current !== lastFilled;
  const hash = codeHash(source);
  return typedByHand || current === hash ? draft : { ...draft, "code-hash": hash };
}

/** The draft as a payload to compare with the deployed source, once it names a contract and a 32-byte hash. */
export function draftProposal(draft: Draft): ContractProposal | null {
  const proposal = draftContract(draft);
  const hash = typeof draft["code-hash"] === "string" ? draft["code-hash"].replace(/^0x/, "").toLowerCase() : "";
  return proposal && /^[0-9a-f]{64}$/.test(hash) ? { proposal, codeHash: hash } : null;
}
