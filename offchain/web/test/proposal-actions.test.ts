// Which buttons a proposal page offers, from the same facts proposals.clar checks.
import { describe, expect, it } from "vitest";
import type { Outcome, Proposal } from "../src/stacks/types.ts";
import { availableActions, windowText, type ProposalFacts } from "../src/model/proposal-actions.ts";

const PROPOSER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const OTHER = "ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC";
const proposal: Proposal = {
  id: 1n,
  kind: "setting",
  payloadHex: "00",
  proposer: PROPOSER,
  title: "t",
  detailsHash: "00".repeat(32),
  snapshotHeight: 10n,
  start: 106n,
  end: 250n,
  mechanism: "quadratic",
  offchain: false,
  createdAt: 100n,
  bond: 100_000_000n,
  quorumVotes: 1n,
  passBps: 5000n,
  timelock: 6n,
  expiry: 144n,
};
const passed: Outcome = {
  passed: true,
  votesFor: 10n,
  votesAgainst: 0n,
  concludedAt: 260n,
  eta: 266n,
  expires: 410n,
  vetoCloses: 266n,
};
const facts = (over: Partial<ProposalFacts>): ProposalFacts => ({
  proposal,
  status: "pending",
  outcome: null,
  bond: null,
  burnHeight: 100n,
  me: null,
  ...over,
});

describe("availableActions", () => {
  it.each<[string, Partial<ProposalFacts>, string[]]>([
    ["the proposer may cancel while pending", { status: "pending", me: PROPOSER }, ["cancel"]],
    ["the proposer may cancel while active", { status: "active", me: PROPOSER }, ["cancel"]],
    ["someone else may not cancel", { status: "active", me: OTHER }, []],
    ["anyone may conclude a succeeded proposal", { status: "succeeded", burnHeight: 250n }, ["conclude"]],
    ["anyone may conclude a defeated proposal", { status: "defeated", burnHeight: 250n }, ["conclude"]],
    ["a queued proposal waits for its timelock", { status: "queued", outcome: passed, burnHeight: 265n }, []],
    [
      "a queued proposal applies once the timelock is over, and its bond may be released",
      { status: "queued", outcome: passed, burnHeight: 266n },
      ["apply", "release-bond"],
    ],
    [
      "an expired queue entry applies no more",
      { status: "expired", outcome: passed, burnHeight: 410n },
      ["release-bond"],
    ],
    [
      "a released bond is not offered again",
      { status: "executed", outcome: passed, bond: { amount: 1n, returned: true, at: 270n }, burnHeight: 300n },
      [],
    ],
    [
      "a defeated, concluded proposal has nothing left",
      { status: "defeated", outcome: { ...passed, passed: false }, burnHeight: 300n },
      [],
    ],
    ["a cancelled proposal has nothing left", { status: "cancelled", me: PROPOSER }, []],
  ])("%s", (_name, over, expected) => {
    expect(availableActions(facts(over))).toEqual(expected);
  });

  it("a contract proposal is executed with execute-proposal, not apply", () => {
    const contractProposal = { ...proposal, kind: "contract-proposal" };
    expect(
      availableActions(facts({ proposal: contractProposal, status: "queued", outcome: passed, burnHeight: 266n })),
    ).toContain("execute-proposal");
  });

  it("an off-chain (relay) proposal never offers apply: the relay carries it out", () => {
    expect(
      availableActions(
        facts({
          proposal: { ...proposal, kind: "channel-open", offchain: true },
          status: "queued",
          outcome: passed,
          burnHeight: 266n,
        }),
      ),
    ).toEqual(["release-bond"]);
  });
});

describe("windowText", () => {
  it.each([
    [100n, "starts in 6 burn blocks"],
    [105n, "starts in 1 burn block"],
    [106n, "ends in 144 burn blocks"],
    [250n, "ended this burn block"],
    [253n, "ended 3 burn blocks ago"],
  ])("at burn height %s: %s", (height, text) => {
    expect(windowText(106n, 250n, height)).toBe(text);
  });
});
