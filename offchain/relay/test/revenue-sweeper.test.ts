// The revenue sweeper against fakes (ledger, lnd, tapd nodes): once an epoch has ended it mints the new routing
// revenue as LV into one group (created on the first run), records the epoch with shares that pass lv-ledger's
// check, pays the operations and channels shares out of the reserve, and after a crash mints, records and pays once.
import { beforeEach, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { LV_ASSET_ID_KEY, LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import { lastEndedEpoch, revenueOf, splitByAllocation } from "../monitors/revenue-split.ts";
import { RevenueSweeper, type EpochJob } from "../monitors/revenue-sweeper.ts";
import { FakeLedger } from "./fake-chain.ts";
import { FakeLnd, FakeTapd, FakeUniverse } from "./fakes.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const EPOCH = 144;

let journal: Journal;
let ledger: FakeLedger;
let lnd: FakeLnd;
let universe: FakeUniverse;
let wallets: { reserve: FakeTapd; operations: FakeTapd; channels: FakeTapd };
let now: number;

function sweeper(graceMs = 0, tapd: Partial<typeof wallets> = wallets, metrics?: RelayMetrics): RevenueSweeper {
  return new RevenueSweeper({
    journal,
    chain: ledger,
    queue: ledger.queue,
    tx: new TxSender(ledger),
    deployer: DEPLOYER,
    lnd,
    tapd,
    config: { lv: { assetId: undefined }, epochBlocks: EPOCH, recoveryGraceMs: graceMs },
    log: memoryLogger(),
    ...(metrics ? { metrics } : {}),
    now: () => now,
  });
}

/** Forwards earning these fees (msat), a minute apart, ending a minute before now. */
function forwarded(...feesMsat: bigint[]): void {
  feesMsat.forEach((feeMsat, i) => {
    lnd.forwardList.push({
      at: new Date(now - (feesMsat.length - i) * 60_000),
      incomingChannel: "1x1x0",
      outgoingChannel: "2x1x0",
      feeMsat,
    });
  });
}

async function jobs(): Promise<EpochJob[]> {
  return (await journal.jobs.list("epoch:")).map((v) => JSON.parse(v.value) as EpochJob);
}

/** Runs rounds, confirming mints and change in between (blocks), until the newest epoch job is done. */
async function sweep(s: RevenueSweeper): Promise<void> {
  for (let i = 0; i < 6; i++) {
    await s.round();
    wallets.reserve.confirmMints();
  }
}

const lv = () => ({ groupKey: universe.tranches[0]?.groupKey ?? undefined, assetId: undefined });

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  ledger = new FakeLedger();
  ledger.burnHeight = 100;
  lnd = new FakeLnd();
  universe = new FakeUniverse();
  wallets = {
    reserve: new FakeTapd("reserve", universe),
    operations: new FakeTapd("operations", universe),
    channels: new FakeTapd("channels", universe),
  };
  now = Date.UTC(2025, 0, 1, 12);
});

describe("revenue-split", () => {
  it.each([
    { total: 1000n, bps: [1000n, 6000n, 3000n], shares: [100n, 600n, 300n] },
    { total: 1n, bps: [1000n, 6000n, 3000n], shares: [0n, 1n, 0n] },
    { total: 2n, bps: [3334n, 3333n, 3333n], shares: [1n, 1n, 0n] },
    { total: 7n, bps: [3334n, 3333n, 3333n], shares: [3n, 2n, 2n] },
    { total: 0n, bps: [1000n, 6000n, 3000n], shares: [0n, 0n, 0n] },
    { total: 999_999_999n, bps: [1n, 1n, 9998n], shares: [100_000n, 100_000n, 999_799_999n] },
  ])("splits $total by $bps into $shares, summing to the total", ({ total, bps, shares }) => {
    const split = splitByAllocation(total, { infrastructureBps: bps[0]!, channelBps: bps[1]!, reserveBps: bps[2]! });
    expect([split.toInfrastructure, split.toChannels, split.toReserve]).toEqual(shares);
  });

  it("carries the msat below a sat into the next epoch", () => {
    const first = revenueOf([{ at: new Date(0), incomingChannel: "a", outgoingChannel: "b", feeMsat: 2_500n }], 0n);
    expect(first).toMatchObject({ sats: 2n, carryMsat: 500n, forwards: 1 });
    expect(
      revenueOf([{ at: new Date(1), incomingChannel: "a", outgoingChannel: "b", feeMsat: 700n }], first.carryMsat),
    ).toMatchObject({ sats: 1n, carryMsat: 200n });
  });

  it.each([
    { height: 0, epoch: undefined },
    { height: 143, epoch: undefined },
    { height: 144, epoch: 0n },
    { height: 431, epoch: 1n },
    { height: 432, epoch: 2n },
  ])("at burn height $height the last ended epoch is $epoch", ({ height, epoch }) => {
    expect(lastEndedEpoch(height, EPOCH)).toBe(epoch);
  });
});

describe("revenue sweeper", () => {
  it("does nothing before the first epoch has ended", async () => {
    forwarded(5_000_000n);
    await sweeper().round();
    expect(await jobs()).toEqual([]);
  });

  it("mints the revenue in a new LV group, records the epoch, pays operations and channels their shares", async () => {
    forwarded(1_000_000n, 2_345_678n);
    ledger.burnHeight = EPOCH;
    await sweep(sweeper());
    const [job] = await jobs();
    expect(job).toMatchObject({ state: "done", epoch: "0n", revenueSats: "3345n", carryMsat: "678n", forwards: 2 });
    expect(wallets.reserve.log.count("mint")).toBe(1);
    expect(new Set(universe.tranches.filter((t) => t.name === "LV-e0").map((t) => t.assetId)).size).toBe(1);
    expect(ledger.epochs.get(0n)).toMatchObject({ revenue: 3345n, minted: 3345n, shares: [335n, 2007n, 1003n] });
    expect(await journal.jobs.get(LV_GROUP_KEY)).toBe(universe.tranches[0]!.groupKey);
    expect(await journal.jobs.get(LV_ASSET_ID_KEY)).toBe(universe.tranches[0]!.assetId);
    expect(await wallets.reserve.lvBalance(lv())).toBe(1003n);
    expect(await wallets.operations.lvBalance(lv())).toBe(335n);
    expect(await wallets.channels.lvBalance(lv())).toBe(2007n);
    expect(wallets.reserve.transfers.map((t) => t.label).sort()).toEqual([
      "lvdao:epoch:0:channels",
      "lvdao:epoch:0:operations",
    ]);
    const evidence = ledger.epochs.get(0n)!.evidence;
    expect(evidence.slice(0, 64)).toBe(universe.tranches[0]!.anchor.txid);
    expect(evidence).toHaveLength(128);
  });

  it("the next epoch reissues into the same group, counts only newer forwards, and adds the carried msat", async () => {
    forwarded(1_500n);
    ledger.burnHeight = EPOCH;
    await sweep(sweeper());
    now += 3_600_000;
    forwarded(2_600n);
    ledger.burnHeight = 2 * EPOCH;
    await sweep(sweeper());
    expect(ledger.epochs.get(1n)).toMatchObject({ revenue: 3n });
    const groups = new Set(universe.tranches.map((t) => t.groupKey));
    expect(groups.size).toBe(1);
    expect(wallets.reserve.log.count("mint")).toBe(2);
    expect([...new Set(universe.tranches.map((t) => t.name))].sort()).toEqual(["LV-e0", "LV-e1"]);
  });

  it("publishes the LV minted by the recorded epochs and the newest epoch as gauges", async () => {
    const metrics = new RelayMetrics();
    forwarded(1_500n);
    ledger.burnHeight = EPOCH;
    await sweep(sweeper(0, wallets, metrics));
    expect([metrics.lvMinted.get(), metrics.revenueEpoch.get()]).toEqual([1n, 0n]);
    now += 3_600_000;
    forwarded(2_600n);
    ledger.burnHeight = 2 * EPOCH;
    await sweep(sweeper(0, wallets, metrics));
    expect([metrics.lvMinted.get(), metrics.revenueEpoch.get()]).toEqual([4n, 1n]);
  });

  it("a forward in the second the epoch is planned, or on its boundary, counts once, in the next epoch", async () => {
    now += 431;
    const at = (ms: number) =>
      lnd.forwardList.push({
        at: new Date(ms),
        incomingChannel: "1x1x0",
        outgoingChannel: "2x1x0",
        feeMsat: 1_000_000n,
      });
    at(now - 1_431); // an earlier second: this epoch
    at(now - 431); // exactly the boundary second: lnd's end is inclusive, so the next epoch
    at(now - 100); // the current second: lnd cannot tell it from the boundary, so the next epoch
    ledger.burnHeight = EPOCH;
    await sweep(sweeper());
    now += 2_000;
    ledger.burnHeight = 2 * EPOCH;
    await sweep(sweeper());
    expect([ledger.epochs.get(0n)?.revenue, ledger.epochs.get(1n)?.revenue]).toEqual([1_000n, 2_000n]);
    const [first, second] = await jobs();
    expect([first!.before, second!.after]).toEqual([
      new Date(now - 2_431).toISOString(),
      new Date(now - 2_431).toISOString(),
    ]);
  });

  it("records an epoch without revenue with zero shares and mints nothing", async () => {
    ledger.burnHeight = EPOCH;
    await sweep(sweeper());
    expect(ledger.epochs.get(0n)).toMatchObject({ revenue: 0n, minted: 0n, shares: [0n, 0n, 0n] });
    expect(wallets.reserve.log.count("mint")).toBe(0);
  });

  it("after missed epochs, records only the last ended one, covering all since the previous record", async () => {
    forwarded(10_000n, 20_000n);
    ledger.burnHeight = 5 * EPOCH + 3;
    await sweep(sweeper());
    expect([...ledger.epochs.keys()]).toEqual([4n]);
    expect(ledger.epochs.get(4n)).toMatchObject({ revenue: 30n });
  });

  it("splits by the allocation in force when it changed after planning", async () => {
    forwarded(10_000_000n);
    ledger.burnHeight = EPOCH;
    const s = sweeper();
    await s.round();
    ledger.alloc = { infrastructureBps: 5000n, channelBps: 2500n, reserveBps: 2500n };
    await sweep(s);
    expect(ledger.epochs.get(0n)).toMatchObject({ shares: [5000n, 2500n, 2500n] });
    expect(await wallets.operations.lvBalance(lv())).toBe(5000n);
  });

  it("waits for the first send's change to confirm before paying the next share, without an error", async () => {
    forwarded(1_000_000n);
    ledger.burnHeight = EPOCH;
    const s = sweeper();
    await s.round();
    wallets.reserve.confirmMints();
    await s.round();
    const [job] = await jobs();
    expect(job).toMatchObject({ state: "paying", detail: expect.stringContaining("waiting for spendable LV") });
    expect(wallets.reserve.transfers).toHaveLength(1);
    wallets.reserve.confirmMints();
    await s.round();
    expect((await jobs())[0]).toMatchObject({ state: "done", detail: null });
    expect(wallets.reserve.transfers).toHaveLength(2);
  });

  it("keeps every share on the reserve when the other wallets live on the reserve's tapd", async () => {
    forwarded(1_000_000n);
    ledger.burnHeight = EPOCH;
    await sweep(sweeper(0, { reserve: wallets.reserve, operations: wallets.reserve, channels: wallets.reserve }));
    expect(wallets.reserve.log.count("send")).toBe(0);
    expect(await wallets.reserve.lvBalance(lv())).toBe(1000n);
  });
});

describe("revenue sweeper: exactly once across crashes", () => {
  beforeEach(() => {
    forwarded(4_000_000n);
    ledger.burnHeight = EPOCH;
  });

  it("tapd minted, answer lost: after the grace period the restart finds it by name, mints no more", async () => {
    wallets.reserve.loseNextMint = true;
    await expect(sweeper(60_000).round()).rejects.toThrow(/timed out/);
    await sweeper(60_000).round();
    expect(wallets.reserve.log.count("mint")).toBe(1);
    now += 61_000;
    await sweep(sweeper(60_000));
    expect(wallets.reserve.log.count("mint")).toBe(1);
    expect((await jobs())[0]!.state).toBe("done");
    expect(ledger.epochs.get(0n)).toMatchObject({ minted: 4000n });
  });

  it("died after journaling record-revenue-epoch, before broadcasting: the restart sends that tx, once", async () => {
    const s = sweeper();
    await s.round();
    wallets.reserve.confirmMints();
    ledger.dieBeforeBroadcast = true;
    await expect(s.round()).rejects.toThrow(/died/);
    await sweep(sweeper());
    expect(ledger.log.count("record-revenue-epoch")).toBe(1);
    expect(ledger.epochs.size).toBe(1);
  });

  it("a share sent, its anchor not journaled: the restart finds the send by label and pays nothing twice", async () => {
    const s = sweeper(60_000);
    await s.round();
    wallets.reserve.confirmMints();
    const send = wallets.reserve.send.bind(wallets.reserve);
    wallets.reserve.send = async (request) => {
      await send(request);
      throw new Error("killed after the send");
    };
    await expect(s.round()).rejects.toThrow(/killed/);
    wallets.reserve.send = send;
    await sweep(sweeper(60_000));
    expect((await jobs())[0]!.state).toBe("done");
    expect(wallets.reserve.transfers.filter((t) => t.label === "lvdao:epoch:0:operations")).toHaveLength(1);
    expect(wallets.reserve.transfers.filter((t) => t.label === "lvdao:epoch:0:channels")).toHaveLength(1);
    expect(await wallets.operations.lvBalance(lv())).toBe(400n);
    expect(await wallets.channels.lvBalance(lv())).toBe(2400n);
  });
});
