// The liquidity reporter against fakes: due every N burn blocks after the chain's last report, the snapshot sums the
// node's channels and LV wallets, and a crash re-sends the same report instead of a second one.
import { beforeEach, describe, expect, it } from "vitest";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { LiquidityReporter } from "../monitors/liquidity-reporter.ts";
import { LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import { FakeLedger } from "./fake-chain.ts";
import { FakeLnd, FakeTapd, FakeUniverse } from "./fakes.ts";

const PEER = `02${"aa".repeat(32)}`;
let journal: Journal;
let ledger: FakeLedger;
let lnd: FakeLnd;
let universe: FakeUniverse;
let reserve: FakeTapd;
let withdrawal: FakeTapd;

let metrics: RelayMetrics;

const reporter = (
  tapd: { reserve: FakeTapd | undefined; withdrawal: FakeTapd | undefined } = { reserve, withdrawal },
) =>
  new LiquidityReporter({
    journal,
    chain: ledger,
    queue: ledger.queue,
    tx: new TxSender(ledger),
    deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
    lnd,
    tapd,
    config: { lv: { assetId: undefined }, everyBlocks: 6 },
    log: memoryLogger(),
    metrics,
  });

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  metrics = new RelayMetrics();
  ledger = new FakeLedger();
  lnd = new FakeLnd();
  lnd.chainSats = 7_000_000n;
  lnd.channel(1, PEER, 3_000_000n, 1_000_000n);
  lnd.channel(2, PEER, 500_000n, 4_500_000n);
  universe = new FakeUniverse();
  reserve = new FakeTapd("reserve", universe);
  withdrawal = new FakeTapd("withdrawal", universe);
  const minted = await reserve.mint({ name: "LV-e0", amount: 9_000n, groupKey: undefined });
  reserve.confirmMints();
  await journal.jobs.set(LV_GROUP_KEY, minted.groupKey!, 0);
  await reserve.send({
    address: await withdrawal.newLvAddress({ groupKey: minted.groupKey!, assetId: undefined }, 2_000n),
    label: "x",
  });
});

describe("liquidity reporter", () => {
  it("reports at once if none yet: on-chain sats, outbound, inbound, channels, LV reserve, withdrawal", async () => {
    await reporter().round();
    expect(ledger.reports).toEqual([
      {
        "onchain-sats": 7_000_000n,
        "outbound-sats": 3_500_000n,
        "inbound-sats": 5_500_000n,
        channels: 2n,
        "lv-reserve": 7_000n,
        "lv-withdrawal": 2_000n,
        "vault-sats": 0n,
      },
    ]);
  });

  it("publishes the snapshot it reports as gauges (liquidity by side, channels, LV by wallet)", async () => {
    await reporter().round();
    const gauges = [
      metrics.liquiditySats.get({ side: "onchain" }),
      metrics.liquiditySats.get({ side: "outbound" }),
      metrics.liquiditySats.get({ side: "inbound" }),
      metrics.channels.get(),
      metrics.lvHeld.get({ wallet: "reserve" }),
      metrics.lvHeld.get({ wallet: "withdrawal" }),
    ];
    expect(gauges).toEqual([7_000_000n, 3_500_000n, 5_500_000n, 2n, 7_000n, 2_000n]);
  });

  it("reports again only once liquidity_report_blocks burn blocks passed since the chain's last report", async () => {
    const r = reporter();
    await r.round();
    ledger.burnHeight += 5;
    await r.round();
    expect(ledger.reports).toHaveLength(1);
    ledger.burnHeight += 1;
    await r.round();
    await r.round();
    expect(ledger.reports).toHaveLength(2);
  });

  it("counts LV once, as reserve, when the withdrawal wallet shares the reserve's tapd", async () => {
    await reporter({ reserve, withdrawal: reserve }).round();
    expect(ledger.reports[0]).toMatchObject({ "lv-reserve": 7_000n, "lv-withdrawal": 0n });
  });

  it("after dying between journaling and broadcasting the report, sends that same report once", async () => {
    ledger.dieBeforeBroadcast = true;
    await expect(reporter().round()).rejects.toThrow(/died/);
    lnd.chainSats = 1n;
    await reporter().round();
    expect(ledger.reports).toHaveLength(1);
    expect(ledger.reports[0]!["onchain-sats"]).toBe(7_000_000n);
    expect(ledger.log.count("report-liquidity")).toBe(1);
  });
});
