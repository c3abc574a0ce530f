// The LV desk against real lnd and tapd on regtest: contributor buys LV from the dao node with a hold invoice and
// sells some back, a buy whose send tapd refuses returns the buyer's HTLC, and refused requests move nothing; those
// run the desk in this process on the dao node's lnd and tapd (the daemon ports the relay binds), its journal a
// SQLite file. Then the relay itself (`lvdao relay start`, the DAO's lv-pricing passed on the node emulation) sells
// LV over its /market API and is SIGKILLed once it journaled the LV send, before the settle: the relay started again
// on the same journal delivers once and settles once.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import Database from "better-sqlite3";
import { getInvoices } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeAction } from "../../actions/index.ts";
import * as L from "../../lightning/index.ts";
import { eventually } from "../../lightning/test/stack.ts";
import type { LvPricing } from "../../market/pricing.ts";
import type { RegtestHandle } from "../../regtest/harness/index.ts";
import { LightningLnd } from "../daemons/lnd.ts";
import { TapdNode } from "../daemons/tapd.ts";
import { LV_GROUP_KEY } from "../jobs/lv-asset.ts";
import type { TradeState } from "../journal/desk-types.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { SqlJournal } from "../journal/sql-journal.ts";
import { createLogger } from "../log.ts";
import { DEFAULT_DESK_OPTIONS, Desk, sendLabel } from "../market/desk.ts";
import { DeskError } from "../market/errors.ts";
import { DeskSteps } from "../market/steps.ts";
import { spawnLvdao, type RelayProcess } from "./cli-process.ts";
import { FakeMarket } from "./desk-fakes.ts";
import { passAction, send } from "../../devnet/governance.ts";
import { startRegtestRelayStack, type RegtestRelayStack } from "./regtest-stack.ts";
import { freePort, until as waitFor } from "./wait.ts";

const KILL_AT = resolve(import.meta.dirname, "kill-at.mjs");

// 100 sats per LV unit: 1,000 LV is about 105,000 sats, well within the one channel.
const PRICING: LvPricing = {
  referenceMsat: 100_000n,
  spreadBps: 100n,
  targetInboundBps: 5000n,
  premiumSlopeBps: 100n,
  maxPremiumBps: 500n,
  quoteTtl: 120n,
  maxTradeLv: 10_000_000n,
  maxPeriodLv: 100_000_000n,
  period: 100n,
};
const MINTED = 1_000_000n;

let relayStack: RegtestRelayStack;
let stack: RegtestHandle;
let journalPath: string;
let groupKey: string;
const market = new FakeMarket();
market.pricingNow = PRICING;
const log = createLogger({ level: "warn", sink: (line) => console.error(line) });
let clockOffsetMs = 0;

function openDesk(journal: SqlJournal): { desk: Desk; steps: DeskSteps } {
  const desk = new Desk({
    store: journal.desk,
    lnd: new LightningLnd(stack.lnd.dao),
    tapd: new TapdNode(stack.tapd.dao),
    lv: async () => ({ groupKey, assetId: undefined }),
    market,
    log,
    options: { ...DEFAULT_DESK_OPTIONS, invoiceNetwork: "regtest", sendWindowSeconds: 30 },
    now: () => Date.now() + clockOffsetMs,
  });
  return { desk, steps: new DeskSteps(desk) };
}

let journal: SqlJournal;
let desk: Desk;
let steps: DeskSteps;

const lvOf = async (tapd: L.TapdClient) =>
  (await L.listAssetBalances({ tapd, by: "group" })).find((b) => b.key === groupKey)?.balance ?? 0n;

/** Moves the trade on (mining a block each round) until it reaches one of `states`. */
async function until(s: DeskSteps, tradeId: string, states: TradeState[], timeoutMs = 120_000): Promise<TradeState> {
  return eventually(
    async () => {
      await s.advanceAll();
      const trade = await journal.desk.trade(tradeId);
      return trade && states.includes(trade.state) ? trade.state : undefined;
    },
    { what: `trade ${tradeId} to reach ${states.join("|")}`, mine: () => stack.mine(1), timeoutMs },
  );
}

const buyerAddress = (amount: bigint) =>
  eventually(() => L.newAssetAddress({ tapd: stack.tapd.contributor, groupKey, amount }), {
    what: "contributor to learn LV from dao's universe",
    timeoutMs: 60_000,
  });

beforeAll(async () => {
  relayStack = await startRegtestRelayStack("desk-regtest");
  stack = relayStack.lightning;
  // Blocks come when a test mines them: a held HTLC's expiry stays far off and an anchor stays unconfirmed.
  await relayStack.setMining(false);
  journalPath = join(mkdtempSync(join(tmpdir(), "lvdao-desk-")), "journal.sqlite");
  journal = await openSqliteJournal(journalPath);
  ({ desk, steps } = openDesk(journal));
  // contributor -> dao: contributor pays the desk's invoices; the dao node pays contributor's back over it.
  await stack.fund("contributor", 5_000_000);
  const channel = await L.openChannel({
    lnd: stack.lnd.contributor,
    peerPubkey: stack.nodes.dao.pubkey,
    peerSocket: stack.nodes.dao.p2p_host,
    localSats: 3_000_000,
    pushSats: 1_000_000,
    isPrivate: false,
    memo: "desk",
  });
  await stack.mine(6);
  // Active is not yet usable: until the channel's edge is in both graphs a payment fails with
  // InsufficientBalanceToAttemptPayment.
  await eventually(
    async () => {
      const policies = await Promise.all([
        L.getChannelPolicy({ lnd: stack.lnd.contributor, channel, ownPubkey: stack.nodes.contributor.pubkey }),
        L.getChannelPolicy({ lnd: stack.lnd.dao, channel, ownPubkey: stack.nodes.dao.pubkey }),
      ]);
      return policies.length === 2 ? true : undefined;
    },
    { what: "the contributor -> dao channel to be in both graphs", mine: () => stack.mine(1) },
  );
  const minted = await L.mintGroupedAsset({ tapd: stack.tapd.dao, name: "lv-desk", amount: MINTED });
  groupKey = minted.asset.groupKey as string;
  await stack.mine(1);
  await eventually(async () => ((await lvOf(stack.tapd.dao)) === MINTED ? true : undefined), {
    what: "the LV mint to confirm",
    mine: () => stack.mine(1),
  });
});

afterAll(async () => {
  await journal?.close();
  await relayStack?.stop();
}, 120_000);

let relayUrl = "";

/** A relay process with the desk on: the DAO's pricing passed, dao's lnd and tapd bound (tapd as operations). */
async function deskRelay() {
  const pricing = { kind: "lv-pricing", payload: PRICING } as const;
  const id = await passAction(relayStack.devnet, "lv-pricing", encodeAction(pricing), "Price LV for the desk");
  await relayStack.devnet.mine({ burn: 12 });
  await send(relayStack.devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
  const port = await freePort();
  relayUrl = `http://127.0.0.1:${port}`;
  const config = relayStack.writeConfig("desk-relay", { contributorWallets: [], http: true });
  writeFileSync(config, readFileSync(config, "utf8").replace('listen = "127.0.0.1:0"', `listen = "127.0.0.1:${port}"`));
  // The relay learns LV's group key from its mint; this LV was minted by the test, so its journal is told.
  const path = join(relayStack.dir, "desk-relay.db");
  const seeded = await openSqliteJournal(path);
  await seeded.jobs.set(LV_GROUP_KEY, groupKey, Date.now());
  await seeded.close();
  return {
    start(killAt?: Record<string, string>): RelayProcess {
      const args = ["relay", "start", "--config", config];
      if (!killAt) return spawnLvdao(args);
      const env = { ...process.env, RELAY_FAULT_KILL_AT: JSON.stringify(killAt) };
      return spawnLvdao(args, { env, nodeOptions: ["--import", KILL_AT] });
    },
    trade(tradeId: string): { state: TradeState } | undefined {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return db.prepare("SELECT state FROM desk_trades WHERE id = ?").get(tradeId) as { state: TradeState };
      } finally {
        db.close();
      }
    },
  };
}

/** POSTs to the relay's desk API: its status and answer, or status 0 while nothing listens. */
async function post<T>(path: string, body: Record<string, string>): Promise<{ status: number; answer: T }> {
  const response = await fetch(`${relayUrl}${path}`, { method: "POST", body: JSON.stringify(body) }).catch(
    () => undefined,
  );
  return { status: response?.status ?? 0, answer: (await response?.json().catch(() => null)) as T };
}

describe("the desk on real lnd and tapd", () => {
  it("a buy: hold invoice paid, LV delivered, the invoice settled once the anchor confirms", async () => {
    const quote = await desk.quote("buy", "1000");
    const address = await buyerAddress(1000n);
    const trade = await desk.buy(quote.id, address.address);
    const before = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 });
    expect(await until(steps, trade.id, ["delivered", "settled", "cancelled"])).not.toBe("cancelled");
    expect(await until(steps, trade.id, ["settled", "cancelled"])).toBe("settled");
    const paid = await payment;
    expect(paid.msat).toBe(quote.sats * 1000n);
    expect((await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state).toBe("settled");
    await eventually(async () => ((await lvOf(stack.tapd.contributor)) === 1000n ? true : undefined), {
      what: "contributor's LV",
      mine: () => stack.mine(1),
    });
    const after = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    expect(before.localMsat - after.localMsat).toBe(quote.sats * 1000n);
  });

  it("a buy whose send tapd refuses: the invoice is cancelled and the buyer's sats come back", async () => {
    // More LV than the desk holds: tapd refuses the send. At 0.1 sat per LV the HTLC still fits the channel.
    const lv = MINTED * 2n;
    market.pricingNow = { ...PRICING, referenceMsat: 100n };
    const quote = await desk.quote("buy", lv.toString()).finally(() => {
      market.pricingNow = PRICING;
    });
    const address = await buyerAddress(lv);
    const trade = await desk.buy(quote.id, address.address);
    const before = await L.getChannelBalance({ lnd: stack.lnd.contributor });
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 }).then(
      () => "paid",
      (error: unknown) => (error as Error).message,
    );
    await eventually(
      async () =>
        (await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state === "held"
          ? true
          : undefined,
      { what: "the HTLC to be held" },
    );
    expect(await until(steps, trade.id, ["cancelled", "delivered", "settled"], 180_000)).toBe("cancelled");
    expect(await payment).not.toBe("paid");
    expect((await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state).toBe("canceled");
    const after = await eventually(
      async () => {
        const b = await L.getChannelBalance({ lnd: stack.lnd.contributor });
        return b.localMsat === before.localMsat ? b : undefined;
      },
      { what: "the buyer's balance to be restored" },
    );
    expect(after.localMsat).toBe(before.localMsat);
    expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.id) })).toEqual([]);
  });

  it("a sell: contributor's LV arrives on the desk's address, the desk pays contributor's invoice", async () => {
    const quote = await desk.quote("sell", "400");
    const invoice = await L.createInvoice({
      lnd: stack.lnd.contributor,
      msat: quote.sats * 1000n,
      description: "sell LV",
      expirySeconds: 7200,
    });
    const trade = await desk.sell(quote.id, invoice.request);
    const sent = await L.sendAsset({ tapd: stack.tapd.contributor, addresses: [trade.tapAddress], label: "sell" });
    expect(await until(steps, trade.id, ["paid", "failed", "cancelled"], 180_000)).toBe("paid");
    expect((await journal.desk.trade(trade.id))?.anchorTxid?.startsWith(sent.anchorTxid)).toBe(true);
    expect((await L.lookupInvoice({ lnd: stack.lnd.contributor, paymentHash: invoice.paymentHash })).state).toBe(
      "settled",
    );
    expect(await lvOf(stack.tapd.contributor)).toBe(600n);
  });

  it("a relay SIGKILLed once the LV send is journaled, before the settle: one delivery, one settle", async () => {
    const relay = await deskRelay();
    const first = relay.start({ when: "after", op: "desk-trade", state: "delivered" });
    // 503 until the relay has read the pricing and its liquidity report is on-chain
    const quote = await waitFor(
      "the relay's desk to quote",
      async () => {
        const answer = await post<{ quoteId: string; lv: string; sats: string }>("/market/quote", {
          side: "buy",
          lv: "250",
        });
        return answer.status === 200 ? answer.answer : undefined;
      },
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${first.output().slice(-3000)}`);
    });
    expect(quote.lv).toBe("250");
    const lvBefore = await lvOf(stack.tapd.contributor);
    const address = await buyerAddress(250n);
    const bought = await post<{ tradeId: string; invoice: string; paymentHash: string }>("/market/buy", {
      quoteId: quote.quoteId,
      tapAddress: address.address,
    });
    expect(bought.status, JSON.stringify(bought.answer)).toBe(200);
    const trade = bought.answer;
    const payment = L.payInvoice({ lnd: stack.lnd.contributor, request: trade.invoice, maxFeeSats: 10 });
    // No block is mined until the relay is gone: its send's anchor stays unconfirmed, so it cannot have settled.
    const ended = await Promise.race([
      first.exited,
      new Promise<undefined>((done) => setTimeout(() => done(undefined), 120_000)),
    ]);
    expect(ended?.signal, first.output().slice(-3000)).toBe("SIGKILL");
    expect(relay.trade(trade.tradeId)?.state).toBe("delivered");
    expect((await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash })).state).toBe("held");
    expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.tradeId) })).toHaveLength(1);

    const second = relay.start();
    try {
      const settled = await eventually(
        async () => {
          const state = relay.trade(trade.tradeId)?.state;
          return state === "settled" || state === "cancelled" ? state : undefined;
        },
        { what: "the restarted relay to finish the trade", mine: () => stack.mine(1), timeoutMs: 180_000 },
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${second.output().slice(-3000)}`);
      });
      expect(settled).toBe("settled");
      const paid = await payment;
      expect(paid.msat).toBe(BigInt(quote.sats) * 1000n);
      const invoice = await L.lookupInvoice({ lnd: stack.lnd.dao, paymentHash: trade.paymentHash });
      expect([invoice.state, invoice.receivedMsat]).toEqual(["settled", BigInt(quote.sats) * 1000n]);
      expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.tradeId) })).toHaveLength(1);
      await eventually(async () => ((await lvOf(stack.tapd.contributor)) === lvBefore + 250n ? true : undefined), {
        what: "contributor's LV after the restart",
        mine: () => stack.mine(1),
      });
      // a few more rounds of the desk: nothing is sent or paid again
      await new Promise((done) => setTimeout(done, 5_000));
      expect(await L.listTransfers({ tapd: stack.tapd.dao, label: sendLabel(trade.tradeId) })).toHaveLength(1);
      expect(await lvOf(stack.tapd.contributor)).toBe(lvBefore + 250n);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });

  it.each([
    {
      name: "an address for another amount: wrong-amount",
      code: "wrong-amount",
      act: async () => desk.buy((await desk.quote("buy", "100")).id, (await buyerAddress(99n)).address),
    },
    {
      name: "an address that does not decode: bad-address",
      code: "bad-address",
      act: async () => desk.buy((await desk.quote("buy", "100")).id, `taprt1${"q".repeat(80)}`),
    },
    {
      name: "an invoice that is no invoice: bad-invoice",
      code: "bad-invoice",
      act: async () => desk.sell((await desk.quote("sell", "100")).id, "lnbcrt1garbage"),
    },
    {
      name: "an expired quote: quote-expired",
      code: "quote-expired",
      act: async () => {
        const quote = await desk.quote("buy", "100");
        clockOffsetMs = Number(PRICING.quoteTtl) * 1000;
        try {
          return await desk.buy(quote.id, (await buyerAddress(100n)).address);
        } finally {
          clockOffsetMs = 0;
        }
      },
    },
  ])("refuses $name; no invoice is made", async ({ code, act }) => {
    const invoicesBefore = (await getInvoices({ lnd: stack.lnd.dao })).invoices.length;
    const error = await act().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeskError);
    expect((error as DeskError).code).toBe(code);
    expect((await getInvoices({ lnd: stack.lnd.dao })).invoices.length).toBe(invoicesBefore);
  });
});
