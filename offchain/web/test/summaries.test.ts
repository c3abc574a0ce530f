// A summary with a final status and a quadratic tally cannot change, so it is read once; anything else every time.
// The list reads a page of 20 in one call, and each proposal only once the node refused that call for its cost.
import { describe, expect, it } from "vitest";
import { NodeError } from "../src/stacks/api.ts";
import type { LvdaoReads } from "../src/stacks/reads.ts";
import { type Count, countOfEntry, loadNewest, loadSummary, refusedForCost } from "../src/stacks/summaries.ts";
import type { Mechanism, Proposal, ProposalStatus } from "../src/stacks/types.ts";

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

describe("refusedForCost", () => {
  it.each<[string, unknown, boolean]>([
    [
      "a stacks-node over its read-only limits",
      new NodeError(
        "read_failed",
        "ST1.proposals.get-proposals-page failed: Unchecked(CostBalanceExceeded(ExecutionCost { read_count: 31 }))",
      ),
      true,
    ],
    [
      "an HTTP error naming the cost",
      new NodeError("http", "/v2/contracts/call-read answered 400: cost too high"),
      true,
    ],
    [
      "a read that failed otherwise",
      new NodeError("read_failed", "ST1.proposals.get-proposals-page failed: Runtime"),
      false,
    ],
    [
      "an unreachable node",
      new NodeError("unreachable", "the Stacks node is unreachable (CostBalanceExceeded)"),
      false,
    ],
    ["a bad answer", new NodeError("bad_response", "/v2/info answered 502"), false],
    ["any other error", new Error("CostBalanceExceeded"), false],
  ])("%s: %s", (_name, error, refused) => {
    expect(refusedForCost(error)).toBe(refused);
  });
});

const proposalOf = (id: bigint, mechanism: Mechanism) => ({ id, mechanism, title: `#${id}`, kind: "channel-open" });

describe("countOfEntry", () => {
  it.each<[Mechanism, Count]>([
    ["quadratic", { mechanism: "quadratic", votesFor: 7n, votesAgainst: 3n }],
    ["conviction", { mechanism: "conviction", conviction: 7n, threshold: 3n }],
  ])("%s", (mechanism, count) => {
    const proposal = proposalOf(1n, mechanism) as unknown as Proposal;
    const entry = { proposal, status: "active", outcome: null, votesFor: 7n, votesAgainst: 3n } as const;
    expect(countOfEntry(entry)).toEqual({ proposal, status: "active", count });
  });
});

// A chain of `last` proposals, odd ids quadratic and even ids conviction, whose page read answers `pageAnswer`.
function pagedReads(last: bigint, pageAnswer: () => Promise<void>) {
  const calls: string[] = [];
  const record = (call: string) => calls.push(call);
  const recorded = <T>(call: string, value: T): T => {
    record(call);
    return value;
  };
  const reads = {
    lastProposalId: async () => recorded("last-id", last),
    proposalsPage: async (first: bigint) => {
      record(`page ${first}`);
      await pageAnswer();
      const entries = [];
      for (let id = first; id < first + 20n && id <= last; id++)
        entries.push({
          proposal: proposalOf(id, id % 2n ? "quadratic" : "conviction"),
          status: "active",
          outcome: null,
          votesFor: id * 10n,
          votesAgainst: id,
        });
      return entries;
    },
    proposal: async (id: bigint) => recorded(`proposal ${id}`, proposalOf(id, id % 2n ? "quadratic" : "conviction")),
    status: async (id: bigint) => recorded(`status ${id}`, "active"),
    tally: async (id: bigint) => recorded(`tally ${id}`, { votesFor: id * 10n, votesAgainst: id, voters: 1n }),
    conviction: async (id: bigint) =>
      recorded(`conviction ${id}`, { conviction: id * 10n, threshold: { ok: true, value: id } }),
  } as unknown as LvdaoReads;
  return { reads, calls };
}

const refusal = async () => {
  throw new NodeError("read_failed", "get-proposals-page failed: Unchecked(CostBalanceExceeded(...))");
};

describe("loadNewest", () => {
  it.each<[string, bigint, number, number, string[], bigint[]]>([
    ["the newest 20 of 45", 45n, 0, 20, ["last-id", "page 26"], [45n, 44n, 43n]],
    ["20 after the newest 20 of 45", 45n, 20, 20, ["last-id", "page 6"], [25n, 24n, 23n]],
    ["the oldest 5 of 45", 45n, 40, 20, ["last-id", "page 1"], [5n, 4n, 3n, 2n, 1n]],
    ["the newest 3 of 3", 3n, 0, 20, ["last-id", "page 1"], [3n, 2n, 1n]],
    ["30 of 45 in two page reads", 45n, 0, 30, ["last-id", "page 16", "page 36"], [45n, 44n]],
    ["past the oldest", 3n, 20, 20, ["last-id"], []],
  ])("%s", async (_name, last, offset, limit, calls, firstIds) => {
    const fake = pagedReads(last, async () => undefined);
    const page = await loadNewest(fake.reads, offset, limit);
    expect(fake.calls).toEqual(calls);
    expect(page.lastId).toBe(last);
    expect(page.summaries.map((s) => s.proposal.id).slice(0, firstIds.length)).toEqual(firstIds);
    expect(page.summaries.length).toBe(Math.max(0, Math.min(limit, Number(last) - offset)));
  });

  it("maps each entry's counts by its mechanism", async () => {
    const page = await loadNewest(pagedReads(2n, async () => undefined).reads, 0, 20);
    expect(page.summaries.map((s) => s.count)).toEqual([
      { mechanism: "conviction", conviction: 20n, threshold: 2n },
      { mechanism: "quadratic", votesFor: 10n, votesAgainst: 1n },
    ]);
  });

  it("falls back to per-proposal reads once the node refuses the page read for cost, not asking again", async () => {
    const fake = pagedReads(2n, refusal);
    const first = await loadNewest(fake.reads, 0, 20);
    const perProposal = ["proposal 2", "proposal 1", "status 2", "conviction 2", "status 1", "tally 1"];
    expect(fake.calls).toEqual(["last-id", "page 1", ...perProposal]);
    expect(first.summaries.map((s) => s.count)).toEqual([
      { mechanism: "conviction", conviction: 20n, threshold: 2n },
      { mechanism: "quadratic", votesFor: 10n, votesAgainst: 1n },
    ]);
    fake.calls.length = 0;
    await loadNewest(fake.reads, 0, 20);
    expect(fake.calls).toEqual(["last-id", ...perProposal]);
  });

  it("fails on any other page read error, and tries the page read again next time", async () => {
    let answer = async (): Promise<void> => {
      throw new NodeError("read_failed", "get-proposals-page failed: Runtime(UnwrapFailure)");
    };
    const fake = pagedReads(2n, () => answer());
    await expect(loadNewest(fake.reads, 0, 20)).rejects.toThrow("UnwrapFailure");
    answer = async () => undefined;
    fake.calls.length = 0;
    await loadNewest(fake.reads, 0, 20);
    expect(fake.calls).toEqual(["last-id", "page 1"]);
  });
});
