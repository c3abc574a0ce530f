// The status snapshot `lvdao relay status` prints and GET /status serves, built from the journal alone: a table of
// journals and what the snapshot says about each.
import { describe, expect, it } from "vitest";
import { encodeAction } from "../../actions/index.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { buildStatus, summarize } from "../status/snapshot.ts";
import { PEER } from "./harness.ts";

const NOW = Date.UTC(2026, 0, 2, 12);
const policyPayload = (minInboundPct: bigint): string =>
  Buffer.from(
    encodeAction({
      kind: "rebalance-policy",
      payload: {
        minInboundPct,
        minOutboundPct: 10n,
        maxSwapFeePpm: 5_000n,
        budgetSats: 100_000n,
        budgetPeriod: 144n,
        maxInFlight: 1n,
        peers: [PEER],
      },
    }),
  ).toString("hex");

type End = "reported-success" | "reported-failure" | "executing" | "seen";

async function add(journal: Journal, id: bigint, kind: string, payloadHex: string, end: End): Promise<void> {
  await journal.actions.insertSeen({ id, kind, payloadHex, eta: 0, expires: 10, attempt: 0 }, NOW);
  if (end === "seen") return;
  await journal.actions.move(id, "seen", "claimed", {}, NOW);
  await journal.actions.move(id, "claimed", "executing", {}, NOW);
  if (end === "executing") return;
  await journal.actions.move(
    id,
    "executing",
    "done",
    { outcome: end === "reported-success" ? "success" : "failure" },
    NOW,
  );
  await journal.actions.move(id, "done", "reported", {}, NOW);
}

describe("the status snapshot's active rebalance policy: the newest one this relay reported executed", () => {
  const cases: { name: string; policies: [bigint, End][]; active: string | undefined }[] = [
    { name: "none executed: none", policies: [], active: undefined },
    {
      name: "the newest by id, compared as numbers (10 after 9)",
      policies: [
        [9n, "reported-success"],
        [10n, "reported-success"],
        [2n, "reported-success"],
      ],
      active: "10",
    },
    {
      name: "a newer one not yet reported leaves the older one",
      policies: [
        [3n, "reported-success"],
        [4n, "executing"],
      ],
      active: "3",
    },
    {
      name: "a newer one reported as failed leaves the older one",
      policies: [
        [3n, "reported-success"],
        [5n, "reported-failure"],
      ],
      active: "3",
    },
    { name: "one only seen is not executed", policies: [[6n, "seen"]], active: undefined },
  ];
  it.each(cases)("$name", async ({ policies, active }) => {
    const journal = await openSqliteJournal(":memory:");
    for (const [id, end] of policies) await add(journal, id, "rebalance-policy", policyPayload(id), end);
    // other executed actions around them change nothing
    await add(journal, 100n, "fee-policy", "00", "reported-success");
    const status = await buildStatus(journal, { limits: { dailyOnchainBudgetSats: 1n } } as never, { now: NOW });
    expect(status.activePolicy?.actionId).toBe(active);
    await journal.close();
  });

  it("shows the policy's fields as text and the payload's sha256", async () => {
    const journal = await openSqliteJournal(":memory:");
    await add(journal, 7n, "rebalance-policy", policyPayload(25n), "reported-success");
    const { activePolicy } = await buildStatus(journal, { limits: { dailyOnchainBudgetSats: 1n } } as never, {
      now: NOW,
    });
    expect(activePolicy).toEqual({
      actionId: "7",
      policy: {
        kind: "rebalance-policy",
        minInboundPct: "25",
        minOutboundPct: "10",
        maxSwapFeePpm: "5000",
        budgetSats: "100000",
        budgetPeriod: "144",
        maxInFlight: "1",
        peers: [PEER],
      },
      payloadSha256: (await import("node:crypto"))
        .createHash("sha256")
        .update(Buffer.from(policyPayload(25n), "hex"))
        .digest("hex"),
    });
    await journal.close();
  });
});

describe("the status snapshot's journal, budget, cursors, errors and proposals", () => {
  it("counts rows; lists the open ones, today's spend against the limit, each cursor, flagged proposals", async () => {
    const journal = await openSqliteJournal(":memory:");
    await add(journal, 1n, "channel-open", "00", "reported-success");
    await add(journal, 2n, "loop-out", "00", "executing");
    await add(journal, 3n, "watchtower", "00", "seen");
    await journal.spend.record(1n, "2026-01-02", 700n);
    await journal.spend.record(9n, "2026-01-01", 5n);
    await journal.cursors.set(
      "logs:ST1.execution-queue",
      JSON.stringify({ position: 4, txid: "ab", eventIndex: 1 }),
      NOW,
    );
    await journal.proposals.note(
      { id: 4n, kind: "loop-in", verdict: "over-limit", detail: "amount-sats 9 exceeds" },
      NOW,
    );
    const status = await buildStatus(journal, { limits: { dailyOnchainBudgetSats: 1_000n } } as never, {
      address: "ST3",
      dryRun: true,
      startedAt: NOW - 1000,
      now: NOW,
    });
    expect(status.relay).toEqual({
      address: "ST3",
      journal: "sqlite",
      dryRun: true,
      startedAt: new Date(NOW - 1000).toISOString(),
    });
    expect(status.journal.byState).toEqual({ reported: 1, executing: 1, seen: 1 });
    expect(status.journal.open.map((r) => [r.id, r.state])).toEqual([
      ["3", "seen"],
      ["2", "executing"],
    ]);
    expect(status.budget).toEqual({ day: "2026-01-02", usedSats: "700", limitSats: "1000" });
    expect(status.cursors).toEqual({
      "logs:ST1.execution-queue": { position: 4, txid: "ab", eventIndex: 1, updatedAt: new Date(NOW).toISOString() },
    });
    expect(status.proposals).toEqual([
      { id: "4", kind: "loop-in", verdict: "over-limit", detail: "amount-sats 9 exceeds" },
    ]);
    expect(status.workers).toEqual({});
    await journal.close();
  });

  it("lists the ten newest errors, newest first", async () => {
    const journal = await openSqliteJournal(":memory:");
    for (let i = 1n; i <= 12n; i++) {
      await add(journal, i, "watchtower", "00", "seen");
      await journal.actions.patch(i, { lastError: `error ${i}`, lastErrorKind: "retryable" }, NOW + Number(i));
    }
    const status = await buildStatus(journal, { limits: { dailyOnchainBudgetSats: 1n } } as never, { now: NOW });
    expect(status.lastErrors.map((r) => r.lastError)).toEqual([
      "error 12",
      "error 11",
      "error 10",
      "error 9",
      "error 8",
      "error 7",
      "error 6",
      "error 5",
      "error 4",
      "error 3",
    ]);
    await journal.close();
  });

  it.each([
    ["a retry time", { retryAt: NOW + 5 }, { retryAt: new Date(NOW + 5).toISOString() }],
    ["no retry time", { retryAt: 0 }, { retryAt: null }],
    [
      "a failure",
      { outcome: "failure" as const, failureCode: 409, daemonRef: "ab:1" },
      { outcome: "failure", failureCode: 409, daemonRef: "ab:1" },
    ],
  ])("summarizes a row with %s", async (_case, patch, shown) => {
    const journal = await openSqliteJournal(":memory:");
    await add(journal, 1n, "channel-open", "00", "seen");
    const row = await journal.actions.patch(1n, patch, NOW);
    expect(summarize(row)).toMatchObject({
      id: "1",
      kind: "channel-open",
      state: "seen",
      updatedAt: new Date(NOW).toISOString(),
      ...shown,
    });
    await journal.close();
  });
});
