import { describe, expect, it } from "vitest";
import { describeProposalCode, proposalCode, type ContractProposal } from "./index.ts";
import { EXAMPLES, EXAMPLE_PROPOSAL_SOURCE } from "./examples.ts";

const example = EXAMPLES.find((a) => a.kind === "contract-proposal")!.payload as ContractProposal;
const CALLING = `(impl-trait 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (contract-call? .helper go))
`;

describe("proposalCode", () => {
  it.each([
    [
      "the pinned source",
      EXAMPLE_PROPOSAL_SOURCE,
      "matches",
      "matches the deployed source: the code this proposal runs is that source",
    ],
    [
      "another source under the same name",
      CALLING,
      "differs",
      "DIFFERS from the deployed source (HASH): the chain refuses this proposal (ERR_CODE_HASH)",
    ],
    [
      "the pinned source with one more space",
      `${EXAMPLE_PROPOSAL_SOURCE} `,
      "differs",
      "DIFFERS from the deployed source (HASH): the chain refuses this proposal (ERR_CODE_HASH)",
    ],
    [
      "no deployed contract",
      undefined,
      "missing",
      `no contract ${example.proposal} is deployed: the chain refuses this proposal (ERR_CONTRACT_MISSING)`,
    ],
  ] as const)("%s: %s", (_, source, state, words) => {
    const result = proposalCode(example, source);
    expect(result.state).toBe(state);
    expect(result).toMatchObject({ contract: example.proposal, payloadHash: example.codeHash });
    expect(describeProposalCode(result)).toBe(
      words.replace("HASH", "deployedHash" in result ? result.deployedHash : ""),
    );
  });

  it("lists the deployed code's calls, resolving .name to the proposal's deployer", () => {
    const result = proposalCode(example, CALLING);
    if (result.state === "missing") throw new Error("expected a deployed source");
    expect(result.calls.contracts).toEqual([
      { contract: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.helper", functions: ["go"] },
    ]);
    expect(result.deployedHash).not.toBe(example.codeHash);
  });
});
