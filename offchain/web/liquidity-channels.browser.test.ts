// The Liquidity page and the propose form's channel picker in chromium, against real peers: the node emulation
// (two liquidity-oracle reports, signed with the relay's devnet key, for the history chart) and the relay's status
// server serving GET /channels from the lnd simulator's gRPC server through the relay's own lnd port, with a
// fee-policy the journal records as executed. The app finds the relay by `?relay=`, its configuration's relayUrl.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { encodeAction } from "../actions/index.ts";
import { startSimulators, type SimulatorHandle } from "../regtest/lnd-tapd-sim/index.ts";
import { LightningLnd } from "../relay/daemons/lnd.ts";
import { openSqliteJournal } from "../relay/journal/sqlite.ts";
import type { Journal } from "../relay/journal/types.ts";
import { memoryLogger } from "../relay/log.ts";
import { readChannelListing } from "../relay/status/channels.ts";
import { startStatusServer } from "../relay/status/http.ts";
import { reportLiquidity } from "./test/chain.ts";
import { startWebStack, type WebStack } from "./test/stack.ts";
import { waitForText } from "./test/ui.ts";

let stack: WebStack;
let sim: SimulatorHandle;
let stateDir: string;
let journal: Journal;
let relay: { url: string; stop(): Promise<void> };
let channelPoint: string;

beforeAll(async () => {
  stack = await startWebStack();
  stateDir = mkdtempSync(join(tmpdir(), "lvdao-web-channels-"));
  sim = await startSimulators({ stateDir, channelConfirmations: 1, blockIntervalMs: 0 });
  const lnd = new LightningLnd(sim.lnd.dao);
  const [bootstrap] = await lnd.listChannels();
  channelPoint = `${bootstrap!.outpoint.txid}:${bootstrap!.outpoint.vout}`;
  // what the relay leaves after executing fee-policy #7 on that channel: the policy on lnd, the receipt journaled
  await lnd.applyPolicy({
    target: bootstrap!.outpoint,
    policy: {
      baseFeeMsat: 500n,
      feeRatePpm: 250,
      cltvDelta: 80,
      inboundBaseDiscountMsat: 0,
      inboundFeeRateDiscountPpm: 25,
    },
  });
  journal = await openSqliteJournal(":memory:");
  const payload = encodeAction({
    kind: "fee-policy",
    payload: {
      target: { txid: bootstrap!.outpoint.txid, vout: bootstrap!.outpoint.vout },
      baseFeeMsat: 500n,
      feePpm: 250n,
      inboundBaseDiscountMsat: 0n,
      inboundPpmDiscount: 25n,
      cltvDelta: 80n,
    },
  });
  const now = Date.now();
  await journal.actions.insertSeen(
    { id: 7n, kind: "fee-policy", payloadHex: Buffer.from(payload).toString("hex"), eta: 0, expires: 10, attempt: 0 },
    now,
  );
  for (const [from, to] of [
    ["seen", "claimed"],
    ["claimed", "executing"],
    ["executing", "done"],
    ["done", "reported"],
  ] as const)
    await journal.actions.move(7n, from, to, to === "done" ? { outcome: "success" } : {}, now);
  relay = await startStatusServer(
    { host: "127.0.0.1", port: 0 },
    {
      status: async () => ({}),
      metrics: async () => "",
      health: async () => ({ ok: true, reasons: [] }),
      channels: () => readChannelListing(lnd, journal.actions, Date.now()),
    },
    memoryLogger(),
  );
  await reportLiquidity(stack.devnet, {
    onchain: 900_000n,
    outbound: 4_000_000n,
    inbound: 6_000_000n,
    channels: 1n,
    lvReserve: 0n,
    lvWithdrawal: 0n,
  });
  await stack.devnet.mine({ burn: 6 });
  await reportLiquidity(stack.devnet, {
    onchain: 800_000n,
    outbound: 5_000_000n,
    inbound: 4_990_000n,
    channels: 1n,
    lvReserve: 0n,
    lvWithdrawal: 0n,
  });
});
afterAll(async () => {
  await relay?.stop();
  await journal?.close();
  await sim?.stop();
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});
afterEach(() => {
  expect(stack.pageErrors).toEqual([]);
});

describe("the node beside the votes", () => {
  it("charts the oracle's reports and lists the node's channels with balances and the policy the DAO set", async () => {
    const page = await stack.open(`?relay=${encodeURIComponent(relay.url)}#/liquidity`);
    const chart = page.getByRole("img", { name: /liquidity history/ });
    await waitForText(page.locator("main"), "History");
    await chart.waitFor();
    expect(await chart.getAttribute("aria-label")).toMatch(
      /^liquidity history: 2 reports, the last at burn block \d+: outbound 5,000,000 sats, inbound 4,990,000 sats, on-chain 800,000 sats$/,
    );
    expect(await page.locator("svg[role=img] path").count()).toBe(2);
    expect(await page.locator("svg[role=img] circle").count()).toBe(4);

    const row = page.locator(`tr[data-channel="${channelPoint}"]`);
    await waitForText(row, "10,000,000 sats");
    await waitForText(row, "5,000,000 / ");
    await waitForText(row, "500 msat + 250 ppm, cltv 80, inbound −25 ppm");
    await waitForText(row, "#7 fee-policy");
    expect(await row.getByRole("link", { name: "#7 fee-policy" }).getAttribute("href")).toBe("#/proposals/7");
    await page.close();
  });

  it("fills a fee-policy's target from the picker and the example with the node's real channel", async () => {
    const page = await stack.open(`?relay=${encodeURIComponent(relay.url)}#/propose?kind=fee-policy`);
    const picker = page.getByLabel(/^Channel/);
    await picker.waitFor();
    await page.getByRole("button", { name: "Fill with the example" }).click();
    expect(await picker.inputValue()).toBe(channelPoint);
    expect(await page.locator("#field-target-txid").inputValue()).toBe(channelPoint.split(":")[0]);
    await waitForText(page.getByLabel("payload check"), "✓ valid fee-policy payload");

    // a channel the node does not have is flagged before anything is signed
    await page.locator("#field-target-txid").fill("ab".repeat(32));
    await waitForText(page.getByRole("alert"), `${"ab".repeat(32)}:0 is not one of the node's open channels`);
    await picker.selectOption(channelPoint);
    expect(await page.locator("#field-target-txid").inputValue()).toBe(channelPoint.split(":")[0]);
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.close();
  });
});
