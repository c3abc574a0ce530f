// GET /channels: the DAO node's channels with balances, the policy lnd has on each, and the DAO action that set it.
// A table of lnd views and journals for the join (channelListing), the cache, and the real status server over HTTP
// against the lnd simulator's gRPC server (through the relay's own lnd port), with its cross-origin rule.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeAction, type Action } from "../../actions/index.ts";
import { startSimulators, type SimulatorHandle } from "../../regtest/lnd-tapd-sim/index.ts";
import { LightningLnd } from "../daemons/lnd.ts";
import type { ChannelInfo, ChannelPolicy, ScannedChannel } from "../daemons/ports.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal, JournalRow } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { cachedListing, channelListing, readChannelListing, type ChannelListing } from "../status/channels.ts";
import { ChannelsUnavailable, startStatusServer } from "../status/http.ts";
import { PEER } from "./harness.ts";

const NOW = Date.UTC(2026, 0, 2, 12);
const TX_A = "aa".repeat(32);
const TX_B = "bb".repeat(32);

const channel = (txid: string, state: ChannelInfo["state"], extra: Partial<ChannelInfo> = {}): ChannelInfo => ({
  state,
  outpoint: { txid, vout: 0 },
  chanId: state === "opening" ? null : "101x1x0",
  pubkey: PEER,
  capacitySats: 2_000_000n,
  active: state === "open",
  isOpener: true,
  memo: undefined,
  closingTxid: undefined,
  ...extra,
});
const scanned = (txid: string, localSats: bigint, remoteSats: bigint): ScannedChannel => ({
  chanId: "101x1x0",
  outpoint: { txid, vout: 0 },
  pubkey: PEER,
  localSats,
  remoteSats,
  active: true,
});
const policy = (txid: string, p: Partial<ChannelPolicy> = {}): ChannelPolicy => ({
  channel: { txid, vout: 0 },
  baseFeeMsat: 1000n,
  feeRatePpm: 1,
  cltvDelta: 80,
  inboundBaseFeeMsat: 0,
  inboundFeeRatePpm: 0,
  ...p,
});
const feePolicy = (target: string | null, feePpm: bigint, inboundPpmDiscount = 0n): Action => ({
  kind: "fee-policy",
  payload: {
    target: target ? { txid: target, vout: 0 } : null,
    baseFeeMsat: 500n,
    feePpm,
    inboundBaseDiscountMsat: 0n,
    inboundPpmDiscount,
    cltvDelta: 80n,
  },
});
const channelOpen: Action = {
  kind: "channel-open",
  payload: {
    peer: PEER,
    host: "peer.example:9735",
    localSats: 2_000_000n,
    pushSats: 0n,
    private: false,
    baseFeeMsat: 1000n,
    feePpm: 100n,
    cltvDelta: 40n,
  },
};
const row = (id: bigint, action: Action, updatedAt: number, extra: Partial<JournalRow> = {}): JournalRow =>
  ({
    id,
    kind: action.kind,
    payloadHex: Buffer.from(encodeAction(action)).toString("hex"),
    state: "reported",
    outcome: "success",
    daemonRef: null,
    updatedAt,
    ...extra,
  }) as JournalRow;

const DAO_POLICY = { baseFeeMsat: 500n, feeRatePpm: 250, cltvDelta: 80, inboundFeeRatePpm: -25 };

describe("channelListing: lnd's views joined by channel point, with the DAO action that set each policy", () => {
  const cases: {
    name: string;
    channels: ChannelInfo[];
    scanned?: ScannedChannel[];
    policies?: ChannelPolicy[];
    executed?: JournalRow[];
    expected: Partial<ChannelListing["channels"][number]>[];
  }[] = [
    { name: "no channels: an empty list", channels: [], expected: [] },
    {
      name: "an open channel with balances and a hand-set policy: setBy null",
      channels: [channel(TX_A, "open")],
      scanned: [scanned(TX_A, 1_200_000n, 790_000n)],
      policies: [policy(TX_A)],
      expected: [
        {
          channelPoint: `${TX_A}:0`,
          chanId: "101x1x0",
          state: "open",
          peer: PEER,
          capacitySats: "2000000",
          localSats: "1200000",
          remoteSats: "790000",
          active: true,
          policy: { baseFeeMsat: "1000", feePpm: 1, cltvDelta: 80, inboundBaseFeeMsat: 0, inboundFeePpm: 0 },
          setBy: null,
        },
      ],
    },
    {
      name: "an opening channel: no balances, no policy; closing and closed ones are left out",
      channels: [channel(TX_B, "opening"), channel(TX_A, "closing"), channel("cc".repeat(32), "closed")],
      expected: [{ channelPoint: `${TX_B}:0`, state: "opening", localSats: null, policy: null, setBy: null }],
    },
    {
      name: "a fee-policy on this channel whose values it still has: set by that action",
      channels: [channel(TX_A, "open")],
      scanned: [scanned(TX_A, 1n, 2n)],
      policies: [policy(TX_A, DAO_POLICY)],
      executed: [row(4n, feePolicy(TX_A, 250n, 25n), NOW)],
      expected: [{ setBy: { actionId: "4", kind: "fee-policy", reportedAt: new Date(NOW).toISOString() } }],
    },
    {
      name: "a fee-policy whose values were changed by hand since: setBy null",
      channels: [channel(TX_A, "open")],
      policies: [policy(TX_A, { ...DAO_POLICY, feeRatePpm: 300 })],
      executed: [row(4n, feePolicy(TX_A, 250n, 25n), NOW)],
      expected: [{ setBy: null }],
    },
    {
      name: "a fee-policy on another channel does not count",
      channels: [channel(TX_A, "open")],
      policies: [policy(TX_A, DAO_POLICY)],
      executed: [row(4n, feePolicy(TX_B, 250n, 25n), NOW)],
      expected: [{ setBy: null }],
    },
    {
      name: "a fee-policy on every channel counts for each; the newest receipt wins over an older match",
      channels: [channel(TX_A, "open"), channel(TX_B, "open")],
      policies: [policy(TX_A, DAO_POLICY), policy(TX_B, DAO_POLICY)],
      executed: [row(4n, feePolicy(TX_A, 250n, 25n), NOW), row(9n, feePolicy(null, 250n, 25n), NOW + 1)],
      expected: [
        {
          channelPoint: `${TX_A}:0`,
          setBy: { actionId: "9", kind: "fee-policy", reportedAt: new Date(NOW + 1).toISOString() },
        },
        {
          channelPoint: `${TX_B}:0`,
          setBy: { actionId: "9", kind: "fee-policy", reportedAt: new Date(NOW + 1).toISOString() },
        },
      ],
    },
    {
      name: "the channel-open that opened it, matched by its funding outpoint (the daemon's answer)",
      channels: [channel(TX_A, "open")],
      policies: [policy(TX_A, { baseFeeMsat: 1000n, feeRatePpm: 100, cltvDelta: 40 })],
      executed: [row(3n, channelOpen, NOW, { daemonRef: `${TX_A}:0` })],
      expected: [{ setBy: { actionId: "3", kind: "channel-open", reportedAt: new Date(NOW).toISOString() } }],
    },
    {
      name: "a failed or unreported action never set anything",
      channels: [channel(TX_A, "open")],
      policies: [policy(TX_A, DAO_POLICY)],
      executed: [
        row(4n, feePolicy(TX_A, 250n, 25n), NOW, { outcome: "failure" }),
        row(5n, feePolicy(TX_A, 250n, 25n), NOW, { state: "done" }),
      ],
      expected: [{ setBy: null }],
    },
    {
      name: "a policy without a graph edge yet (cltv null) still matches on fees",
      channels: [channel(TX_A, "open")],
      policies: [policy(TX_A, { ...DAO_POLICY, cltvDelta: null })],
      executed: [row(4n, feePolicy(TX_A, 250n, 25n), NOW)],
      expected: [
        {
          policy: { baseFeeMsat: "500", feePpm: 250, cltvDelta: null, inboundBaseFeeMsat: 0, inboundFeePpm: -25 },
          setBy: { actionId: "4", kind: "fee-policy", reportedAt: new Date(NOW).toISOString() },
        },
      ],
    },
    {
      name: "sorted by channel point",
      channels: [channel(TX_B, "open"), channel(TX_A, "open")],
      expected: [{ channelPoint: `${TX_A}:0` }, { channelPoint: `${TX_B}:0` }],
    },
  ];
  it.each(cases)("$name", (c) => {
    const listing = channelListing({
      channels: c.channels,
      scanned: c.scanned ?? [],
      policies: c.policies ?? [],
      executed: c.executed ?? [],
      now: NOW,
    });
    expect(listing.updatedAt).toBe(new Date(NOW).toISOString());
    expect(listing.channels).toHaveLength(c.expected.length);
    for (const [i, expected] of c.expected.entries()) expect(listing.channels[i]).toMatchObject(expected);
  });
});

describe("cachedListing", () => {
  it("reads once for concurrent callers, reuses the answer for the ttl, then reads again", async () => {
    let now = 0;
    let reads = 0;
    const get = cachedListing(
      async () => ({ updatedAt: String(++reads), channels: [] }),
      2_000,
      () => now,
    );
    const [a, b] = await Promise.all([get(), get()]);
    expect([a.updatedAt, b.updatedAt, reads]).toEqual(["1", "1", 1]);
    now = 1_999;
    expect((await get()).updatedAt).toBe("1");
    now = 2_000;
    expect((await get()).updatedAt).toBe("2");
  });
});

describe("GET /channels on the status server, against the lnd simulator", () => {
  let sim: SimulatorHandle;
  let stateDir: string;
  let journal: Journal;
  let url: string;
  let stop: () => Promise<void>;
  let bootstrap: string;
  const log = memoryLogger();
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "lvdao-channels-"));
    sim = await startSimulators({ stateDir, channelConfirmations: 1, blockIntervalMs: 0 });
    const lnd = new LightningLnd(sim.lnd.dao);
    const [first] = await lnd.listChannels();
    bootstrap = `${first!.outpoint.txid}:${first!.outpoint.vout}`;
    // what the relay does for an executed fee-policy (id 7): apply it, and journal the reported receipt
    await lnd.applyPolicy({
      target: first!.outpoint,
      policy: {
        baseFeeMsat: 500n,
        feeRatePpm: 250,
        cltvDelta: 80,
        inboundBaseDiscountMsat: 0,
        inboundFeeRateDiscountPpm: 25,
      },
    });
    journal = await openSqliteJournal(":memory:");
    const action = feePolicy(first!.outpoint.txid, 250n, 25n);
    await journal.actions.insertSeen(
      {
        id: 7n,
        kind: "fee-policy",
        payloadHex: Buffer.from(encodeAction(action)).toString("hex"),
        eta: 0,
        expires: 10,
        attempt: 0,
      },
      NOW,
    );
    await journal.actions.move(7n, "seen", "claimed", {}, NOW);
    await journal.actions.move(7n, "claimed", "executing", {}, NOW);
    await journal.actions.move(7n, "executing", "done", { outcome: "success" }, NOW);
    await journal.actions.move(7n, "done", "reported", {}, NOW);
    const server = await startStatusServer(
      { host: "127.0.0.1", port: 0 },
      {
        status: async () => ({}),
        metrics: async () => "",
        health: async () => ({ ok: true, reasons: [] }),
        channels: () => readChannelListing(lnd, journal.actions, NOW),
      },
      log,
      { allowOrigins: ["https://members.example"] },
    );
    url = server.url;
    stop = server.stop;
  }, 60_000);
  afterAll(async () => {
    await stop?.();
    await journal?.close();
    await sim?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("lists dao's channel with capacity, balances, the policy lnd has and the action that set it", async () => {
    const response = await fetch(`${url}/channels`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const listing = (await response.json()) as ChannelListing;
    expect(listing.channels).toEqual([
      {
        channelPoint: bootstrap,
        chanId: expect.stringMatching(/^\d+x\d+x\d+$/),
        state: "open",
        peer: sim.nodes.peer.pubkey,
        capacitySats: "10000000",
        localSats: expect.stringMatching(/^\d+$/),
        remoteSats: expect.stringMatching(/^\d+$/),
        active: true,
        policy: { baseFeeMsat: "500", feePpm: 250, cltvDelta: 80, inboundBaseFeeMsat: 0, inboundFeePpm: -25 },
        setBy: { actionId: "7", kind: "fee-policy", reportedAt: new Date(NOW).toISOString() },
      },
    ]);
    const [only] = listing.channels;
    // half of the peer's 10,000,000 sat channel was pushed to dao; the commitment fee is the opener's
    expect(BigInt(only!.localSats!)).toBe(5_000_000n);
  });

  const origins: { origin: string | undefined; allowed: boolean }[] = [
    { origin: "http://127.0.0.1:5173", allowed: true },
    { origin: "http://localhost:4173", allowed: true },
    { origin: "https://members.example", allowed: true },
    { origin: "https://evil.example", allowed: false },
    { origin: "http://127.0.0.1.evil.example", allowed: false },
    { origin: undefined, allowed: false },
  ];
  it.each(origins)("from origin $origin: readable cross-origin = $allowed", async ({ origin, allowed }) => {
    const response = await fetch(`${url}/channels`, { headers: origin ? { Origin: origin } : {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed ? origin : null);
    expect(response.headers.get("vary")).toBe("Origin");
  });

  it("answers a preflight with 204, and /status stays same-origin", async () => {
    const preflight = await fetch(`${url}/channels`, {
      method: "OPTIONS",
      headers: { Origin: "http://127.0.0.1:5173" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, OPTIONS");
    const status = await fetch(`${url}/status`, { headers: { Origin: "http://127.0.0.1:5173" } });
    expect(status.headers.get("access-control-allow-origin")).toBeNull();
    expect((await fetch(`${url}/channels`, { method: "POST" })).status).toBe(405);
  });

  it("is 503 with the reason when the relay has no lnd", async () => {
    const server = await startStatusServer(
      { host: "127.0.0.1", port: 0 },
      {
        status: async () => ({}),
        metrics: async () => "",
        health: async () => ({ ok: true, reasons: [] }),
        channels: async () => {
          throw new ChannelsUnavailable("this relay has no [lnd] configured");
        },
      },
      log,
    );
    try {
      const response = await fetch(`${server.url}/channels`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ error: "unavailable", message: "this relay has no [lnd] configured" });
    } finally {
      await server.stop();
    }
  });
});
