// The executor's failure paths: operator limits (403, nothing runs), invalid payloads (400), conflicts with the
// node (409), retryable daemon trouble (retried, then reported retryable when the lease runs short), and actions
// that end on-chain without this relay.
import { describe, expect, it } from "vitest";
import type { RelayAction } from "../actions.ts";
import { conflict } from "../failure.ts";
import { TEST_LV_ASSET, unreachable } from "./fakes.ts";
import { harness, PEER, OTHER_PEER, type Harness } from "./harness.ts";

const open = (localSats = 1_000_000n, peer = PEER): RelayAction => ({
  kind: "channel-open",
  payload: {
    peer,
    host: "127.0.0.1:9735",
    localSats,
    pushSats: 0n,
    private: false,
    baseFeeMsat: 1000n,
    feePpm: 1n,
    cltvDelta: 80n,
  },
});

interface FailureCase {
  name: string;
  limits?: Parameters<typeof harness>[0];
  setup?: (h: Harness) => void | Promise<void>;
  action: (h: Harness) => RelayAction;
  code: number;
  retryable: boolean;
  /** daemon methods that must never have been called */
  untouched: string[];
}

const failures: FailureCase[] = [
  {
    name: "a channel over the operator's max channel size",
    limits: { limits: { maxChannelSats: 500_000n } },
    action: () => open(),
    code: 403,
    retryable: false,
    untouched: ["connectPeer", "openChannel"],
  },
  {
    name: "a peer on the deny list",
    limits: { limits: { peerDeny: [PEER] } },
    action: () => open(),
    code: 403,
    retryable: false,
    untouched: ["connectPeer", "openChannel"],
  },
  {
    name: "a peer missing from a non-empty allow list",
    limits: { limits: { peerAllow: [OTHER_PEER] } },
    action: () => open(),
    code: 403,
    retryable: false,
    untouched: ["connectPeer", "openChannel"],
  },
  {
    name: "a channel that would pass the daily on-chain budget",
    limits: { limits: { dailyOnchainBudgetSats: 1_500_000n } },
    setup: async (h) => h.journal.spend.record(99n, new Date(h.clock.now).toISOString().slice(0, 10), 600_000n),
    action: () => open(1_000_000n),
    code: 403,
    retryable: false,
    untouched: ["connectPeer", "openChannel"],
  },
  {
    name: "a loop over the operator's max loop amount",
    limits: { limits: { maxLoopSats: 10_000n } },
    action: () => ({ kind: "loop-in", payload: { amountSats: 20_000n, lastHop: null, maxFeeSats: 10n } }),
    code: 403,
    retryable: false,
    untouched: ["loopIn"],
  },
  {
    name: "a loop-in whose last hop is denied",
    limits: { limits: { peerDeny: [PEER] } },
    action: () => ({ kind: "loop-in", payload: { amountSats: 20_000n, lastHop: PEER, maxFeeSats: 10n } }),
    code: 403,
    retryable: false,
    untouched: ["loopIn"],
  },
  {
    name: "closing an unknown channel",
    action: () => ({
      kind: "channel-close",
      payload: { txid: "ee".repeat(32), vout: 3, force: false, maxFeeRate: 5n },
    }),
    code: 409,
    retryable: false,
    untouched: ["closeChannel"],
  },
  {
    name: "a fee policy for an unknown channel",
    action: () => ({
      kind: "fee-policy",
      payload: {
        target: { txid: "ee".repeat(32), vout: 0 },
        baseFeeMsat: 1n,
        feePpm: 1n,
        inboundBaseDiscountMsat: 0n,
        inboundPpmDiscount: 0n,
        cltvDelta: 40n,
      },
    }),
    code: 409,
    retryable: false,
    untouched: [],
  },
  {
    name: "a loop-out through an unknown channel",
    action: () => ({
      kind: "loop-out",
      payload: {
        amountSats: 20_000n,
        channel: { txid: "ee".repeat(32), vout: 0 },
        dest: "bcrt1qexampleexampleexample",
        maxFeeSats: 10n,
      },
    }),
    code: 409,
    retryable: false,
    untouched: ["loopOut"],
  },
  {
    name: "an LV transfer larger than the wallet holds",
    action: () => ({ kind: "lv-transfer", payload: { from: "reserve", to: "operations", amount: 5n } }),
    code: 409,
    retryable: false,
    untouched: [],
  },
];

describe("executor: permanent failures are reported with their code", () => {
  it.each(failures)("$name -> failure $code", async ({ limits, setup, action, code, retryable, untouched }) => {
    const h = await harness(limits);
    await setup?.(h);
    await h.queueAction(1n, action(h));
    await h.drainUntilSettled(3);
    expect(await h.journal.actions.get(1n)).toMatchObject({
      state: "reported",
      outcome: "failure",
      failureCode: code,
      failureRetryable: retryable,
    });
    expect(h.queue.actions.get(1n)).toMatchObject({ status: "failed", failureCode: code });
    for (const method of untouched) {
      expect(h.lnd.log.count(method) + h.loop.log.count(method)).toBe(0);
    }
    if (code === 403) expect((await h.journal.actions.history(1n)).map((t) => t.to)).not.toContain("executing");
  });

  it("a payload the codec rejects is reported as failure 400 without touching a daemon", async () => {
    const h = await harness();
    h.queue.queueAction(1n, open(), new Uint8Array([1, 2, 3]));
    await h.journal.actions.insertSeen(
      { id: 1n, kind: "channel-open", payloadHex: "010203", eta: 100, expires: 1100, attempt: 0 },
      h.clock.now,
    );
    await h.drainUntilSettled(2);
    expect(await h.journal.actions.get(1n)).toMatchObject({
      state: "reported",
      failureCode: 400,
      failureRetryable: false,
    });
    expect(h.lnd.log.calls).toEqual([]);
  });
});

describe("executor: retryable trouble", () => {
  it("retries an unreachable lnd with backoff and completes once, without a failure receipt", async () => {
    const h = await harness();
    h.lnd.addChannel(PEER, 1_000_000n);
    h.lnd.log.failNext("applyPolicy", unreachable, 3);
    await h.queueAction(1n, {
      kind: "fee-policy",
      payload: {
        target: null,
        baseFeeMsat: 1n,
        feePpm: 9n,
        inboundBaseDiscountMsat: 0n,
        inboundPpmDiscount: 0n,
        cltvDelta: 40n,
      },
    });
    await h.drainUntilSettled(10);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success", errorCount: 3 });
    expect(h.queue.log.count("reportFailure")).toBe(0);
    expect(h.lnd.log.count("applyPolicy")).toBe(4);
    expect(h.lnd.policies[0]!.feeRatePpm).toBe(9);
  });

  it("reports retryable true when the lease runs short, then claims again and completes the next attempt", async () => {
    const h = await harness();
    h.lnd.log.failNext("addTower", unreachable, 1_000);
    await h.queueAction(1n, { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "10.0.0.2:9911" } });
    await h.drainUntilSettled(3);
    h.queue.burnHeight += 5; // the lease (6 blocks) is within the margin now
    await h.drainUntilSettled(3);
    // The failure went out retryable, the contract requeued the action, and this relay claimed it again.
    expect(h.queue.log.count("reportFailure")).toBe(1);
    expect(h.queue.actions.get(1n)).toMatchObject({ attempts: 1, failureCode: 503 });
    expect(await h.journal.actions.get(1n)).toMatchObject({ attempt: 1 });
    expect((await h.journal.actions.history(1n)).map((t) => t.to)).toContain("done");
    h.lnd.log.clearFailures();
    await h.drainUntilSettled(3);
    expect(h.queue.actions.get(1n)).toMatchObject({ status: "executed", attempts: 1 });
    expect(h.lnd.towers).toEqual([{ pubkey: PEER, addresses: ["10.0.0.2:9911"], active: true }]);
  });

  it("an LV transfer refused while the last one is unconfirmed is retried, and sent once that confirms", async () => {
    const h = await harness();
    // real tapd spends only confirmed coins: the reserve's LV is the change of a transfer still in the mempool
    h.tapd.reserve.balance = 1_000n;
    const address = await h.tapd.operations.newLvAddress({ groupKey: undefined, assetId: TEST_LV_ASSET }, 500n);
    const earlier = await h.tapd.reserve.send({ address, label: "earlier" });
    await h.queueAction(1n, { kind: "lv-transfer", payload: { from: "reserve", to: "operations", amount: 500n } });
    await h.executor.drain();
    const waiting = await h.journal.actions.get(1n);
    expect(waiting).toMatchObject({ state: "executing", lastErrorKind: "retryable" });
    expect(waiting!.lastError).toContain(`1 unconfirmed transfer(s) (anchor ${earlier.anchorTxid})`);
    h.tapd.reserve.confirmMints();
    await h.drainUntilSettled(10);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "reported", outcome: "success" });
    expect(h.queue.log.count("reportFailure")).toBe(0);
    expect(h.tapd.reserve.transfers.filter((t) => t.label !== "earlier")).toHaveLength(1);
    // the send by hand, the refused one, and the one that went through
    expect(h.tapd.reserve.log.count("send")).toBe(3);
  });

  it("a daemon call that hangs times out as retryable", async () => {
    const h = await harness({ executor: { daemonTimeoutMs: 50 } });
    const hang = new Promise<never>(() => undefined);
    h.lnd.addTower = () => hang;
    await h.queueAction(1n, { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "10.0.0.2:9911" } });
    await h.executor.drain();
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "executing", lastErrorKind: "retryable" });
    expect((await h.journal.actions.get(1n))!.lastError).toMatch(/timed out after 50 ms/);
  });
});

describe("executor: actions that end without this relay", () => {
  it.each([
    [
      "expired before it was claimed",
      (h: Harness) => {
        h.queue.burnHeight = 2_000;
      },
      "expired",
    ],
    [
      "vetoed before it was claimed",
      (h: Harness) => {
        h.queue.actions.get(1n)!.status = "vetoed";
      },
      "vetoed",
    ],
    [
      "claimed and executed by another relay",
      (h: Harness) => void Object.assign(h.queue.actions.get(1n)!, { status: "executed", relay: "ST2OTHER" }),
      "executed",
    ],
  ])("%s: closes the row and calls no daemon", async (_name, arrange, reason) => {
    const h = await harness();
    await h.queueAction(1n, open());
    arrange(h);
    await h.drainUntilSettled(2);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "closed", closedReason: reason });
    expect(h.lnd.log.calls).toEqual([]);
    expect(h.queue.log.count("claim")).toBe(0);
  });

  it("waits while another relay holds a live lease", async () => {
    const h = await harness();
    await h.queueAction(1n, open());
    Object.assign(h.queue.actions.get(1n)!, {
      status: "claimed",
      relay: "ST2OTHER",
      claimExpires: h.queue.burnHeight + 3,
    });
    await h.drainUntilSettled(2);
    expect(await h.journal.actions.get(1n)).toMatchObject({ state: "seen" });
    expect(h.queue.log.count("claim")).toBe(0);
  });

  it("waits for the eta before claiming", async () => {
    const h = await harness();
    await h.queueAction(1n, open(), { eta: 105, expires: 900 });
    await h.drainUntilSettled(2);
    expect(h.queue.log.count("claim")).toBe(0);
    h.queue.burnHeight = 105;
    h.lnd.mine();
    await h.drainUntilSettled(2);
    expect(h.queue.log.count("claim")).toBe(1);
  });
});

it("a permanent error from the daemon is reported at once and never retried", async () => {
  const h = await harness();
  h.lnd.log.failNext("addTower", () => conflict("tower refused"), 1);
  await h.queueAction(1n, { kind: "watchtower", payload: { add: true, pubkey: PEER, host: "10.0.0.2:9911" } });
  await h.drainUntilSettled(4);
  expect(await h.journal.actions.get(1n)).toMatchObject({
    state: "reported",
    outcome: "failure",
    failureCode: 409,
    errorCount: 0,
  });
  expect(h.lnd.log.count("addTower")).toBe(1);
});
