// The pledge watcher against fakes (ledger, tapd): a pledge event gets a reserve address on-chain; once the LV has
// arrived the contribution is confirmed with the anchor and the amount received; a crash never sets two addresses
// or confirms twice; pledges confirmed elsewhere, pledges over-sent and refusals end cleanly.
import { Cl } from "@stacks/transactions";
import { beforeEach, describe, expect, it } from "vitest";
import { Fields } from "../../clarity/clarity-values.ts";
import { EventRouter } from "../stacks/events.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { TxSender } from "../jobs/tx-sender.ts";
import { LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import { anchorBytes, PledgeWatcher } from "../monitors/pledge-watcher.ts";
import { FakeLedger } from "./fake-chain.ts";
import { FakeTapd, FakeUniverse } from "./fakes.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const PLEDGER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";

let journal: Journal;
let ledger: FakeLedger;
let universe: FakeUniverse;
let reserve: FakeTapd;
let contributor: FakeTapd;
let router: EventRouter;
let group: string;

function watcher(confirmations = 1): PledgeWatcher {
  const w = new PledgeWatcher({
    journal,
    chain: ledger,
    tx: new TxSender(ledger),
    deployer: DEPLOYER,
    tapd: reserve,
    config: { lv: { assetId: undefined }, confirmations },
    log: memoryLogger(),
  });
  w.register(router, () => undefined);
  return w;
}

async function pledged(id: bigint, amount: bigint): Promise<void> {
  ledger.addPledge(id, PLEDGER, amount);
  const fields = new Fields(
    Cl.tuple({
      topic: Cl.stringAscii("lv-pledged"),
      "pledge-id": Cl.uint(id),
      pledger: Cl.principal(PLEDGER),
      amount: Cl.uint(amount),
    }),
    "event lv-pledged",
  );
  await router.dispatch({
    contractId: `${DEPLOYER}.lv-ledger`,
    topic: "lv-pledged",
    fields,
    txid: "00",
    eventIndex: 0,
    blockHeight: 1,
  });
}

/** The contributor pays the address the pledge got on-chain. */
async function contribute(id: bigint): Promise<string> {
  const address = ledger.pledges.get(id)!.tapAddr!;
  return (await contributor.send({ address, label: "pledge" })).anchorTxid;
}

beforeEach(async () => {
  journal = await openSqliteJournal(":memory:");
  ledger = new FakeLedger();
  universe = new FakeUniverse();
  reserve = new FakeTapd("reserve", universe);
  contributor = new FakeTapd("contributor", universe);
  router = new EventRouter();
  const minted = await contributor.mint({ name: "LV-e0", amount: 1_000_000n, groupKey: undefined });
  contributor.confirmMints();
  group = minted.groupKey!;
  await journal.jobs.set(LV_GROUP_KEY, group, 0);
});

describe("pledge watcher", () => {
  it("gives a pledge a reserve address for its amount, then confirms the receipt with anchor and amount", async () => {
    const w = watcher();
    await pledged(1n, 40_000n);
    await w.round();
    const address = ledger.pledges.get(1n)!.tapAddr!;
    expect(universe.addresses.get(address)).toMatchObject({ owner: reserve, groupKey: group, amount: 40_000n });
    await w.round();
    expect(ledger.calls("confirm-contribution")).toHaveLength(0);
    const anchor = await contribute(1n);
    await w.round();
    expect(ledger.pledges.get(1n)).toMatchObject({ confirmed: true, gtMinted: 40_000n });
    const [confirm] = ledger.calls("confirm-contribution");
    expect(confirm!.args.map((a) => (a as { value: unknown }).value)).toEqual([
      1n,
      anchorBytes({ txid: anchor, vout: 0 }).toString("hex"),
      40_000n,
    ]);
    expect(await reserve.lvBalance({ groupKey: group, assetId: undefined })).toBe(40_000n);
  });

  it("waits for the LV asset to be known before making an address", async () => {
    journal = await openSqliteJournal(":memory:");
    const w = watcher();
    await pledged(2n, 10_000n);
    await w.round();
    expect(ledger.calls("set-pledge-address")).toHaveLength(0);
    expect((await w.details()).waitingFor).toMatch(/LV asset/);
    await journal.jobs.set(LV_GROUP_KEY, group, 0);
    await w.round();
    expect(ledger.calls("set-pledge-address")).toHaveLength(1);
  });

  it("waits for monitors.pledge_confirmations on the receipt's anchor", async () => {
    const w = watcher(3);
    await pledged(3n, 5_000n);
    await w.round();
    await contribute(3n);
    await w.round();
    expect(ledger.pledges.get(3n)!.confirmed).toBe(false);
    universe.height += 2;
    await w.round();
    expect(ledger.pledges.get(3n)!.confirmed).toBe(true);
  });

  it("leaves a pledge confirmed on-chain before it acted untouched", async () => {
    const w = watcher();
    await pledged(4n, 5_000n);
    ledger.pledges.get(4n)!.confirmed = true;
    await w.round();
    expect(ledger.calls("set-pledge-address")).toHaveLength(0);
    expect(JSON.parse((await journal.jobs.get("pledge:4"))!).state).toBe("confirmed");
  });

  it("a replayed pledge event creates no second job", async () => {
    const w = watcher();
    await pledged(5n, 5_000n);
    await pledged(5n, 5_000n);
    await w.round();
    await w.round();
    expect(ledger.calls("set-pledge-address")).toHaveLength(1);
    expect(await journal.jobs.list("pledge:")).toHaveLength(1);
  });

  it("ends as rejected when the chain refuses the confirmation (anchor already counted)", async () => {
    const w = watcher();
    await pledged(6n, 5_000n);
    await w.round();
    const anchor = await contribute(6n);
    ledger.anchors.add(anchorBytes({ txid: anchor, vout: 0 }).toString("hex"));
    await w.round();
    expect(JSON.parse((await journal.jobs.get("pledge:6"))!)).toMatchObject({
      state: "rejected",
      detail: "confirm-contribution: lv-ledger.ERR_ANCHOR_USED",
    });
  });

  it("died between journaling confirm-contribution and broadcasting: confirms once with that same tx", async () => {
    const first = watcher();
    await pledged(7n, 5_000n);
    await first.round();
    await contribute(7n);
    ledger.dieBeforeBroadcast = true;
    await expect(watcher().round()).rejects.toThrow(/died/);
    expect(ledger.pledges.get(7n)!.confirmed).toBe(false);
    await watcher().round();
    expect(ledger.pledges.get(7n)!.confirmed).toBe(true);
    expect(ledger.log.count("confirm-contribution")).toBe(1);
    expect(ledger.log.count("set-pledge-address")).toBe(1);
  });
});
