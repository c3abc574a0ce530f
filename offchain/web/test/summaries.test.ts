// A summary with a final status and a quadratic tally cannot change, so it is read once; anything else every time.
import { describe, expect, it } from "vitest";
import { loadSummary } from "../src/stacks/summaries.ts";
import type { LvdaoReads } from "../src/stacks/reads.ts";
import type { Mechanism, ProposalStatus } from "../src/stacks/types.ts";

function fakeReads(mechanism: Mechanism, status: ProposalStatus) {
  const calls: string[] = [];
  const answer =
    <T>(name: string, value: T) =>
    async (): Promise<T> => {
      calls.push(name);
      return value;
    };
  const reads = {
    proposal: answer("proposal", { id: 1n, mechanism }),
    status: answer("status", status),
    tally: answer("tally", { votesFor: 1n, votesAgainst: 0n, voters: 1n }),
    conviction: answer("conviction", { conviction: 1n }),
  } as unknown as LvdaoReads;
  return { reads, calls };
}

describe("loadSummary", () => {
  it.each<[Mechanism, ProposalStatus, number]>([
    ["quadratic", "executed", 3],
    ["quadratic", "defeated", 3],
    ["quadratic", "cancelled", 3],
    ["quadratic", "active", 6],
    ["quadratic", "queued", 6],
    ["conviction", "executed", 6],
  ])("%s, %s: %s reads for two loads", async (mechanism, status, count) => {
    const { reads, calls } = fakeReads(mechanism, status);
    const first = await loadSummary(reads, 1n);
    const second = await loadSummary(reads, 1n);
    expect(second).toEqual(first);
    expect(calls.length).toBe(count);
  });
});
