import { afterEach, describe, expect, it } from "vitest";
import { deskClient } from "./desk-client.ts";
import { AgentError } from "./errors.ts";
import type { RevenuePolicy } from "./policy.ts";
import { Robot, type RobotOptions } from "./robot.ts";
import { GROUP_KEY, startFakeDesk, type FakeDesk, type FakeDeskOptions } from "./test/fake-desk.ts";
import { FakeLedger, FakeNode, FakeTapd } from "./test/fake-node.ts";

const POLICY: RevenuePolicy = {
  revenueThresholdSats: 3_000n,
  minInboundSats: 10_000n,
  reserveOutboundSats: 5_000n,
  maxConversionSats: 100_000n,
  minConversionSats: 500n,
};

let desk: FakeDesk | undefined;
afterEach(async () => {
  await desk?.stop();
  desk = undefined;
});

const noSleep = async () => undefined;

async function setup(deskOptions: Partial<FakeDeskOptions> = {}, robotOptions: Partial<RobotOptions> = {}) {
  desk = await startFakeDesk({ satsPerKiloLv: 1_100n, invoiceFor: (sats) => `lnfake:${sats}:desk-1`, ...deskOptions });
  const ledger = new FakeLedger();
  const robot = (name: string, node: FakeNode, tapd = new FakeTapd()) =>
    new Robot({
      name,
      priceSats: 1_000n,
      policy: POLICY,
      lightning: node,
      tapd,
      desk: deskClient({ url: (desk as FakeDesk).url }),
      probeLv: 1_000n,
      maxFeeSats: 10n,
      tickMs: 1,
      tradePollMs: 1,
      sleep: noSleep,
      ...robotOptions,
    });
  const sellerNode = new FakeNode(ledger, "seller", 50_000n, 50_000n);
  const buyerNode = new FakeNode(ledger, "buyer", 50_000n, 50_000n);
  const sellerTapd = new FakeTapd();
  return {
    desk,
    ledger,
    sellerNode,
    buyerNode,
    sellerTapd,
    seller: robot("seller", sellerNode, sellerTapd),
    buyer: robot("buyer", buyerNode),
  };
}

describe("Robot", () => {
  it("sells, collects and converts revenue once it passes the threshold, spending no more than it earned", async () => {
    const { seller, buyer, desk, sellerNode, sellerTapd, ledger } = await setup();
    for (let i = 0; i < 2; i += 1) await buyer.buyFrom(seller);
    expect(await seller.tick()).toEqual({
      converted: false,
      decision: { convert: false, reason: "below-threshold" },
    });
    await buyer.buyFrom(seller);
    const outcome = await seller.tick();
    // 3000 sats at 1.1 sat per LV: floor(3000 * 1000 / 1100) = 2727 LV for ceil(2727 * 1.1) = 3000 sats.
    expect(outcome).toEqual({
      converted: true,
      trigger: "revenue",
      tradeId: "t3",
      lv: 2_727n,
      sats: 3_000n,
      premiumBps: 0n,
    });
    expect(sellerTapd.addresses).toEqual([{ groupKey: GROUP_KEY, lv: 2_727n }]);
    expect(ledger.external).toEqual([{ request: "lnfake:3000:desk-1", sats: 3_000n }]);
    expect(desk.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /market/quote",
      "POST /market/quote",
      "POST /market/buy",
      "GET /market/trades/t3",
    ]);
    expect(seller.stats).toMatchObject({
      sold: 3,
      revenueSats: 3_000n,
      conversions: 1,
      convertedSats: 3_000n,
      lvBought: 2_727n,
      feesSats: 1n,
    });
    expect(seller.unconvertedSats).toBe(0n);
    expect(buyer.stats).toMatchObject({ bought: 3, spentSats: 3_000n, feesSats: 3n });
    // 50000 + 3000 earned - 3000 to the desk - 1 fee
    expect(sellerNode.outboundSats).toBe(49_999n);
  });

  it("refits when the price rises between the probe and the quote", async () => {
    // probe 1000 LV at 1.1 -> 2727 LV; quoted at 1.2 = 3273 sats, over 3000; refit floor(3000 * 2727 / 3273) = 2499
    // LV, quoted at 1.2 = 2999 sats.
    const { seller, buyer } = await setup({ rates: [1_100n, 1_200n] });
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    expect(await seller.tick()).toMatchObject({ converted: true, lv: 2_499n, sats: 2_999n });
  });

  it("gives up with over-budget when the price keeps rising, having bought nothing", async () => {
    const { seller, buyer, ledger, desk } = await setup({ rates: [1_100n, 1_200n, 1_300n, 1_400n] });
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    const outcome = (await seller.tick()) as AgentError;
    expect([outcome.code, outcome.reason]).toEqual(["over-budget", "no LV amount fits 3000 sats at the desk's price"]);
    expect(desk.requests.map((r) => (r.body as { lv?: string } | undefined)?.lv)).toEqual([
      "1000",
      "2727",
      "2499",
      "2307",
    ]);
    expect(ledger.external).toEqual([]);
  });

  it("converts on low inbound before the revenue threshold", async () => {
    const { seller, buyer, sellerNode } = await setup();
    sellerNode.inboundSats = 9_000n;
    await buyer.buyFrom(seller);
    // inbound is now 8000 < 10000 with 1000 sats of revenue: converts 1000 sats -> 909 LV (1000 sats).
    expect(await seller.tick()).toMatchObject({ converted: true, trigger: "inbound", lv: 909n, sats: 1_000n });
  });

  it.each<{ state: string; code: string }>([
    { state: "cancelled", code: "trade-failed" },
    { state: "failed", code: "trade-failed" },
  ])("counts a trade that ends $state as $code and keeps the revenue unconverted", async ({ state, code }) => {
    const { seller, buyer } = await setup({ tradeStates: ["held", state] });
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    const outcome = await seller.tick();
    expect(outcome).toBeInstanceOf(AgentError);
    expect((outcome as AgentError).code).toBe(code);
    expect(seller.stats.failures).toEqual({ [code]: 1 });
    expect(seller.stats.conversions).toBe(0);
    expect(seller.unconvertedSats).toBe(3_000n);
  });

  it("times out a trade that never finishes", async () => {
    let clock = 0;
    const { seller, buyer } = await setup(
      { tradeStates: ["held"] },
      {
        now: () => {
          clock += 1000;
          return clock;
        },
        tradeTimeoutMs: 5_000,
      },
    );
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    const outcome = (await seller.tick()) as AgentError;
    expect([outcome.code, outcome.reason]).toEqual(["trade-timeout", "trade t3 still held"]);
  });

  it("pays nothing when the desk's invoice asks for another amount than its quote", async () => {
    const { seller, buyer, ledger } = await setup({ invoiceFor: (sats) => `lnfake:${sats + 1n}:desk-1` });
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    const outcome = (await seller.tick()) as AgentError;
    expect(outcome.code).toBe("invoice-mismatch");
    expect(ledger.external).toEqual([]);
  });

  it("reports the desk's refusal with its code", async () => {
    const { seller, buyer } = await setup({
      override: { "/market/quote": { status: 400, body: JSON.stringify({ error: "no-pricing", reason: "unset" }) } },
    });
    for (let i = 0; i < 3; i += 1) await buyer.buyFrom(seller);
    const outcome = (await seller.tick()) as AgentError;
    expect([outcome.code, outcome.deskCode, outcome.reason]).toEqual(["desk", "no-pricing", "unset"]);
  });

  it("counts a failed purchase and rethrows it", async () => {
    const { seller, buyer, buyerNode } = await setup();
    buyerNode.failPayments = new Error("no route");
    await expect(buyer.buyFrom(seller)).rejects.toThrow("no route");
    expect(buyer.stats.failures).toEqual({ payment: 1 });
    expect(buyer.stats.bought).toBe(0);
  });

  it("runs until stopped, then refuses new work with code stopped", async () => {
    const { seller } = await setup({}, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    let ticks = 0;
    const running = seller.run(() => {
      ticks += 1;
    });
    await new Promise((r) => setTimeout(r, 30));
    await seller.stop();
    await running;
    expect(ticks).toBeGreaterThan(0);
    const error = await seller.offer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).code).toBe("stopped");
  });

  it.each<{ name: string; change: Partial<RobotOptions>; message: RegExp }>([
    { name: "a bad name", change: { name: "Robot One" }, message: /robot name must be/ },
    { name: "a zero price", change: { priceSats: 0n }, message: /priceSats must be a positive integer/ },
    { name: "a number price", change: { priceSats: 5 as unknown as bigint }, message: /priceSats must be/ },
    { name: "a negative fee cap", change: { maxFeeSats: -1n }, message: /maxFeeSats must be/ },
    { name: "a bad policy", change: { policy: { ...POLICY, minConversionSats: 0n } }, message: /minConversionSats/ },
  ])("refuses $name", async ({ change, message }) => {
    const { sellerNode, sellerTapd } = await setup();
    const options: RobotOptions = {
      name: "ok",
      priceSats: 1n,
      policy: POLICY,
      lightning: sellerNode,
      tapd: sellerTapd,
      desk: deskClient({ url: "http://127.0.0.1:1" }),
      probeLv: 1n,
      maxFeeSats: 1n,
      ...change,
    };
    expect(() => new Robot(options)).toThrow(message);
  });
});
