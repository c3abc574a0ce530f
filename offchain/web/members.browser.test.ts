// A member's journey with the devnet account picker, and what every page must hold for everyone: no horizontal
// overflow at phone widths (360, 390 and 430 px), no serious or critical axe-core finding, and a bounded number of
// read-only calls per new block. A screenshot of each step is kept under .cache/web-browser/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../actions/examples.ts";
import { proposeDirect } from "./test/chain.ts";
import { overflowAt, seriousAxeViolations, settle } from "./test/page-checks.ts";
import { startWebStack, type WebStack } from "./test/stack.ts";
import { statusOf, waitForDone, waitForText } from "./test/ui.ts";

const SHOTS = resolve(import.meta.dirname, "../../.cache/web-browser");
const channelOpen = EXAMPLES.find((a) => a.kind === "channel-open")!;
const lvAllocation = EXAMPLES.find((a) => a.kind === "lv-allocation")!;

let stack: WebStack;
let quadraticId: bigint;
let convictionId: bigint;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startWebStack();
  quadraticId = await proposeDirect(stack.devnet, "wallet_3", channelOpen, "Open a channel to the example peer");
  convictionId = await proposeDirect(stack.devnet, "wallet_3", lvAllocation, "Split LV toward channels");
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  expect(stack.pageErrors).toEqual([]);
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe("the devnet account picker", () => {
  it("signs in with a settings/Devnet.toml account and votes with it, signing in the page", async () => {
    const page = await stack.open(`#/proposals/${quadraticId}`);
    const picker = page.locator(".devnet-picker");
    await waitForText(picker, "devnet only");
    await picker.getByRole("combobox").selectOption("wallet_2");
    await shot(page, "01-devnet-picker");
    await picker.getByRole("button", { name: "Use devnet account" }).click();
    const address = stack.devnet.account("wallet_2").address;
    await waitForText(page.getByLabel("account"), address.slice(0, 6));
    await waitForText(page.getByLabel("account"), "devnet wallet_2");
    await stack.devnet.mine({ burn: 6 });
    await waitForText(statusOf(page), "active");

    const before = stack.wallet.callCount();
    const panel = page.locator(".vote-panel");
    await panel.getByLabel("votes").fill("2000");
    await waitForText(panel.getByLabel("vote cost"), "Cost: 4 GT of credits");
    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForDone(panel);
    await shot(page, "02-voted-with-devnet-account");
    // the page signed: the test wallet was never asked
    expect(stack.wallet.callCount()).toBe(before);
    expect(await panel.getByLabel("votes").inputValue()).toBe("");
    await waitForText(page.getByLabel("voters"), "for");
    await waitForText(page.getByLabel("voters"), "2,000");
    await waitForText(page.getByLabel("voters"), "4 GT");
    await waitForText(
      page.getByLabel("action in words"),
      "Open a 1,000,000 sat channel to 02111111…1111@127.0.0.1:9735",
    );

    await page.goto(`${stack.server.url}#/history`);
    await waitForText(page.getByLabel("your votes"), `#${quadraticId}: 2,000 votes for`);
    await shot(page, "03-history");
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("button", { name: "Connect wallet" }).waitFor();
    await page.close();
  });
});

const PAGES = [
  ["proposals", "#/proposals"],
  ["proposal", () => `#/proposals/${quadraticId}`],
  ["conviction-proposal", () => `#/proposals/${convictionId}`],
  ["propose", "#/propose"],
  ["liquidity", "#/liquidity"],
  ["history", "#/history"],
  ["settings", "#/settings"],
] as const;
const hashOf = (route: (typeof PAGES)[number][1]): string => (typeof route === "string" ? route : route());

describe("every page", () => {
  it.each([360, 390, 430])("fits a %s px wide phone without scrolling sideways", async (width) => {
    const page = await stack.open("#/proposals");
    const overflowing: string[] = [];
    for (const [name, route] of PAGES) {
      await page.goto(`${stack.server.url}${hashOf(route)}`);
      await settle(page);
      const overflow = await overflowAt(page, width);
      if (overflow) overflowing.push(`${name}: ${overflow}`);
      await shot(page, `phone-${width}-${name}`);
    }
    expect(overflowing).toEqual([]);
    await page.close();
  });

  it("has no serious or critical axe-core violation", async () => {
    const page = await stack.open("#/proposals");
    const found: string[] = [];
    for (const [name, route] of PAGES) {
      await page.goto(`${stack.server.url}${hashOf(route)}`);
      await settle(page);
      for (const violation of await seriousAxeViolations(page)) found.push(`${name}: ${violation}`);
    }
    expect(found).toEqual([]);
    await page.close();
  });

  it("reads the proposals page in at most 6 requests on load and 2 per new block", async () => {
    const page = await stack.open("#/proposals");
    await waitForText(page.locator(`tr[data-proposal-id="${quadraticId}"]`), "channel-open");
    const reads: string[] = [];
    const pageReads: string[] = [];
    page.on("request", (request) => {
      if (!request.url().includes("/v2/contracts/call-read/")) return;
      reads.push(`${request.url()} ${request.postData()}`);
      if (request.url().endsWith("/get-proposals-page")) pageReads.push(request.url());
    });
    // a reload starts a new session, so every read of the first load is counted
    await page.reload();
    await waitForText(page.locator(`tr[data-proposal-id="${quadraticId}"]`), "channel-open");
    await waitForText(page.locator(`tr[data-proposal-id="${convictionId}"]`), "lv-allocation");
    await page.waitForTimeout(1_500);
    const firstLoad = reads.length;
    const firstLoadPage = pageReads.length;
    reads.length = 0;
    pageReads.length = 0;
    await stack.devnet.mine({ burn: 1 });
    await expect.poll(() => reads.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    const perBlock = reads.length;
    console.log(`proposals page, 2 proposals: ${firstLoad} call-read requests on load, ${perBlock} per new block`);
    // no value is read twice for one tip
    expect(new Set(reads).size).toBe(reads.length);
    // the list came from the page call (the devnet has no read-only cost limit), once per tip (a block the devnet
    // mines during the load makes a second tip)
    expect(firstLoadPage).toBeGreaterThanOrEqual(1);
    expect(pageReads.length).toBe(1);
    // get-last-id and get-proposals-page per tip, plus what the rest of the app reads once
    expect(firstLoad).toBeLessThanOrEqual(6);
    expect(perBlock).toBeLessThanOrEqual(2);
    await page.close();
  });
});
