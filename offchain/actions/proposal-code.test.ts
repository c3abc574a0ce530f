import { describe, expect, it } from "vitest";
import { proposalCode, type ContractProposal } from "./index.ts";
import { EXAMPLES, EXAMPLE_PROPOSAL_SOURCE } from "./examples.ts";

const example = EXAMPLES.find((a) => a.kind === "contract-proposal")!.payload as ContractProposal;
const CALLING = `(impl-trait 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.proposal-trait.proposal-trait)
(define-public (execute (sender principal)) (contract-call? .helper go))
`;

describe("proposalCode", () => {
  it.each([
    ["the pinned source", EXAMPLE_PROPOSAL_SOURCE, "matches"],
    ["another source under the same name", CALLING, "differs"],
    ["the pinned source with one more space", `${EXAMPLE_PROPOSAL_SOURCE} `, "differs"],
    ["no deployed contract", undefined, "missing"],
  ] as const)("%s: %s", (_, source, state) => {
    const result = proposalCode(example, source);
    expect(result.state).toBe(state);
    expect(result).toMatchObject({ contract: example.proposal, payloadHash: example.codeHash });
  });

  it("lists the deployed code's calls, resolving .name to the proposal's deployer", () => {
    const result = proposalCode(example, CALLING);
    if (result.state === "missing") throw new Error("expected a deployed source");
    expect(result.calls.contracts).toEqual([{ contract: "ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5.helper", functions: ["go"] }]);
    expect(result.deployedHash).not.toBe(example.codeHash);
  });
});
