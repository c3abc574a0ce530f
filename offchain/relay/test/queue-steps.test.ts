// The executor's steps against execution-queue, case by case on the fake contract: claiming (seen -> claimed),
// keeping the claim's lease, and the receipt (done -> reported), including every way an action can have ended
// on-chain without this relay. The end-to-end flows through these steps are in executor-kinds and recovery.
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../clarity/errors.ts";
import type { RelayAction } from "../actions.ts";
import { QueueSteps } from "../executor/queue-steps.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { ActionJournal, JournalRow } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { FakeQueue, testPayload } from "./fake-chain.ts";
import { PEER, testConfig } from "./harness.ts";

const QUEUE = ERRORS["execution-queue"];
const OTHER_RELAY = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const tower: RelayAction = { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "t:9911" } };
const NOW = 1_000_000;

interface Setup {
  queue: FakeQueue;
  actions: ActionJournal;
  steps: QueueSteps;
  log: ReturnType<typeof memoryLogger>;
  /** the journal row for action 1, in `state` */
  row(state?: "seen" | "claimed" | "executing" | "done", patch?: Partial<JournalRow>): Promise<JournalRow>;
}

async function setup(o: { dryRun?: boolean; window?: { eta?: number; expires?: number } } = {}): Promise<Setup> {
  const journal = await openSqliteJournal(":memory:");
  const queue = new FakeQueue();
  const payload = testPayload(tower);
  queue.queueAction(1n, tower, Buffer.from(payload, "hex"), o.window);
  const onChain = queue.actions.get(1n)!;
  const log = memoryLogger();
  const steps = new QueueSteps({
    actions: journal.actions,
    queue,
    log,
    now: () => NOW,
    config: testConfig().executor,
    dryRun: o.dryRun ?? false,
  });
  return {
    queue,
    actions: journal.actions,
    steps,
    log,
    async row(state = "seen", patch = {}) {
      await journal.actions.insertSeen(
        { id: 1n, kind: tower.kind, payloadHex: payload, eta: onChain.eta, expires: onChain.expires, attempt: 0 },
        NOW,
      );
      const path = {
        seen: [],
        claimed: ["claimed"],
        executing: ["claimed", "executing"],
        done: ["claimed", "executing", "done"],
      }[state] as ("claimed" | "executing" | "done")[];
      let from: JournalRow["state"] = "seen";
      for (const to of path) {
        await journal.actions.move(1n, from, to, {}, NOW);
        from = to;
      }
      return journal.actions.patch(1n, patch, NOW);
    },
  };
}

/** Puts action 1 in a state on the fake contract. */
const onChain = (queue: FakeQueue, change: Partial<ReturnType<FakeQueue["actions"]["get"]> & object>): void =>
  void Object.assign(queue.actions.get(1n)!, change);

describe("claim: seen -> claimed", () => {
  it.each<{
    name: string;
    before?: (s: Setup) => void;
    dryRun?: boolean;
    state: string;
    closedReason?: string | null;
    waits?: boolean;
    claims: number;
  }>([
    { name: "claims a due action and records the lease the claim returned", state: "claimed", claims: 1 },
    {
      name: "in a dry run, closes the row touching nothing",
      dryRun: true,
      state: "closed",
      closedReason: "dry-run",
      claims: 0,
    },
    {
      name: "closes an action past its expiry",
      before: (s) => {
        s.queue.burnHeight = 2_000;
      },
      state: "closed",
      closedReason: "expired",
      claims: 0,
    },
    {
      name: "waits for an action before its eta",
      before: (s) => onChain(s.queue, { eta: 150 }),
      state: "seen",
      waits: true,
      claims: 0,
    },
    {
      name: "waits for an action not yet visible on-chain",
      before: (s) => s.queue.actions.delete(1n),
      state: "seen",
      waits: true,
      claims: 0,
    },
    {
      name: "closes an action executed elsewhere",
      before: (s) => onChain(s.queue, { status: "executed" }),
      state: "closed",
      closedReason: "executed",
      claims: 0,
    },
    {
      name: "closes a vetoed action",
      before: (s) => onChain(s.queue, { status: "vetoed" }),
      state: "closed",
      closedReason: "vetoed",
      claims: 0,
    },
    {
      name: "takes a live claim of its own found on-chain without claiming again",
      before: (s) => onChain(s.queue, { status: "claimed", relay: s.queue.relayAddress, claimExpires: 104 }),
      state: "claimed",
      claims: 0,
    },
    {
      name: "waits out another relay's live lease",
      before: (s) => onChain(s.queue, { status: "claimed", relay: OTHER_RELAY, claimExpires: 104 }),
      state: "seen",
      waits: true,
      claims: 0,
    },
    {
      name: "claims once another relay's lease has lapsed",
      before: (s) => onChain(s.queue, { status: "claimed", relay: OTHER_RELAY, claimExpires: 100 }),
      state: "claimed",
      claims: 1,
    },
  ])("$name", async ({ before, dryRun, state, closedReason, waits, claims }) => {
    const s = await setup({ dryRun });
    before?.(s);
    const row = await s.steps.claim(await s.row(), () => "add tower");
    expect(row.state).toBe(state);
    if (closedReason !== undefined) expect(row.closedReason).toBe(closedReason);
    if (waits) expect(row.retryAt).toBeGreaterThan(NOW);
    expect(s.queue.log.count("claim")).toBe(claims);
    if (state === "claimed") expect(row.claimExpires).toBe(s.queue.actions.get(1n)!.claimExpires);
  });

  it("waits for a claim broadcast before a crash instead of sending another", async () => {
    const s = await setup();
    const txid = await s.queue.claim(1n);
    const row = await s.steps.claim(await s.row("seen", { claimTxid: txid }), () => "");
    expect(row).toMatchObject({ state: "claimed", claimTxid: null, claimExpires: 106 });
    expect(s.queue.log.count("claim")).toBe(1);
  });

  it.each([
    {
      name: "an action already finished",
      code: QUEUE.ERR_FINISHED,
      state: "closed",
      reason: "execution-queue.ERR_FINISHED",
    },
    {
      name: "an action past its expiry",
      code: QUEUE.ERR_EXPIRED,
      state: "closed",
      reason: "execution-queue.ERR_EXPIRED",
    },
    { name: "a lease another relay took first", code: QUEUE.ERR_LEASE_HELD, state: "seen", reason: null },
  ])("a claim refused on-chain for $name", async ({ code, state, reason }) => {
    const s = await setup();
    s.queue.claim = async () => {
      s.queue.log.record("claim");
      return "ff".repeat(32);
    };
    s.queue.waitForTx = async () => ({
      status: "failed",
      resultRepr: `(err u${code})`,
      errorCode: code,
      blockHeight: 1,
    });
    const row = await s.steps.claim(await s.row(), () => "");
    expect(row).toMatchObject({ state, claimTxid: null });
    if (reason) expect(row.closedReason).toBe(reason);
    else expect(row.retryAt).toBeGreaterThan(NOW);
  });

  it("a claim the node dropped is retryable and leaves no txid behind", async () => {
    const s = await setup();
    s.queue.waitForTx = async () => ({ status: "dropped", reason: "not seen within 60000 ms" });
    await expect(s.steps.claim(await s.row(), () => "")).rejects.toThrow(/claim transaction dropped/);
    expect((await s.actions.get(1n))!.claimTxid).toBeNull();
  });
});

describe("the claim's lease", () => {
  it.each([
    { name: "live well before its end", burnHeight: 100, claimExpires: 106, live: true, margin: true },
    { name: "live but within the margin", burnHeight: 105, claimExpires: 106, live: true, margin: false },
    { name: "run out", burnHeight: 106, claimExpires: 106, live: false, margin: false },
    { name: "never taken", burnHeight: 100, claimExpires: null, live: false, margin: false },
  ])("$name", async ({ burnHeight, claimExpires, live, margin }) => {
    const s = await setup();
    s.queue.burnHeight = burnHeight;
    const row = await s.row("claimed", { claimExpires });
    expect(await s.steps.leaseIsLive(row)).toBe(live);
    expect(await s.steps.leaseHasMargin(row)).toBe(margin);
  });

  it.each([
    {
      name: "a live lease needs nothing",
      expiresAt: 110,
      status: "claimed" as const,
      renewed: true,
      claims: 0,
      state: "executing",
    },
    {
      name: "a lapsed lease is claimed again",
      expiresAt: 100,
      status: "claimed" as const,
      renewed: true,
      claims: 1,
      state: "executing",
    },
    {
      name: "an action that ended meanwhile closes the row",
      expiresAt: 100,
      status: "expired" as const,
      renewed: false,
      claims: 0,
      state: "closed",
    },
  ])("renewing before acting: $name", async ({ expiresAt, status, renewed, claims, state }) => {
    const s = await setup();
    onChain(s.queue, { status, relay: s.queue.relayAddress, claimExpires: expiresAt });
    const row = await s.row("executing", { claimExpires: expiresAt });
    expect(await s.steps.renewLease(row)).toBe(renewed);
    expect(s.queue.log.count("claim")).toBe(claims);
    expect((await s.actions.get(1n))!.state).toBe(state);
  });
});

describe("report: done -> reported", () => {
  const success = { outcome: "success" as const, evidenceHex: "ab".repeat(32) };
  const retryable = {
    outcome: "failure" as const,
    failureCode: 503,
    failureRetryable: true,
    failureDetail: "lnd unreachable",
  };

  it.each<{
    name: string;
    patch: Partial<JournalRow>;
    before?: (s: Setup) => void;
    state: string;
    sent: string[];
    attempt?: number;
  }>([
    { name: "reports a success with its evidence", patch: success, state: "reported", sent: ["reportSuccess"] },
    {
      name: "reports a permanent failure with its code",
      patch: { outcome: "failure", failureCode: 409, failureRetryable: false, failureDetail: "unknown channel" },
      state: "reported",
      sent: ["reportFailure"],
    },
    {
      name: "a retryable failure the contract requeues starts the next attempt",
      patch: retryable,
      state: "seen",
      sent: ["reportFailure"],
      attempt: 1,
    },
    {
      name: "a retryable failure on the last attempt is final",
      patch: retryable,
      before: (s) => onChain(s.queue, { attempts: 2 }),
      state: "reported",
      sent: ["reportFailure"],
    },
    {
      name: "finds its own receipt on-chain (sent before a crash) and reports nothing more",
      patch: success,
      before: (s) => onChain(s.queue, { status: "executed", relay: s.queue.relayAddress }),
      state: "reported",
      sent: [],
    },
    {
      name: "an action that expired before the receipt closes the row",
      patch: success,
      before: (s) => onChain(s.queue, { status: "expired", relay: undefined }),
      state: "closed",
      sent: [],
    },
    {
      name: "claims again a lapsed lease the action is still queued under, then reports",
      patch: success,
      before: (s) => onChain(s.queue, { status: "queued", relay: undefined, claimExpires: 0 }),
      state: "reported",
      sent: ["claim", "reportSuccess"],
    },
    {
      name: "waits while another relay holds a live lease",
      patch: success,
      before: (s) => onChain(s.queue, { status: "claimed", relay: OTHER_RELAY, claimExpires: 104 }),
      state: "done",
      sent: [],
    },
  ])("$name", async ({ patch, before, state, sent, attempt }) => {
    const s = await setup();
    onChain(s.queue, { status: "claimed", relay: s.queue.relayAddress, claimExpires: 106 });
    before?.(s);
    const row = await s.steps.report(await s.row("done", patch), new RelayMetrics());
    expect(row.state).toBe(state);
    expect(s.queue.log.calls.filter((c) => ["claim", "reportSuccess", "reportFailure"].includes(c))).toEqual(sent);
    if (attempt !== undefined)
      expect(row).toMatchObject({ attempt, outcome: null, failureCode: null, reportTxid: null });
  });

  it("a receipt that failed on-chain clears its txid and is retried", async () => {
    const s = await setup();
    onChain(s.queue, { status: "claimed", relay: s.queue.relayAddress, claimExpires: 106 });
    s.queue.waitForTx = async () => ({
      status: "failed",
      resultRepr: `(err u${QUEUE.ERR_NOT_CLAIMED})`,
      errorCode: QUEUE.ERR_NOT_CLAIMED,
      blockHeight: 1,
    });
    await expect(s.steps.report(await s.row("done", success), new RelayMetrics())).rejects.toThrow(
      /receipt transaction failed/,
    );
    expect((await s.actions.get(1n))!.reportTxid).toBeNull();
  });
});
