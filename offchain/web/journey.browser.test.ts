// A member's whole journey in chromium against the node emulation, signed with the devnet account picker: delegate
// votes on the Delegation page, propose with a Markdown body and a link and read them back verified, vote with the
// delegated votes, stake on a conviction proposal, pass and conclude the proposal, and see the relay's receipt.
// The relay's on-chain steps are signed with its devnet key. A screenshot of each step is kept under
// .cache/web-browser/.
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../actions/examples.ts";
import type { Action } from "../actions/index.ts";
import { readOnly } from "../devnet/governance.ts";
import { formatGt } from "./src/model/amounts.ts";
import { shortPrincipal } from "./src/components/common.tsx";
import { proposeDirect, reportLiquidity, send } from "./test/chain.ts";
import { overflowAt, seriousAxeViolations, settle } from "./test/page-checks.ts";
import { startWebStack, type WebStack } from "./test/stack.ts";
import { statusOf, waitForDone, waitForText } from "./test/ui.ts";

const SHOTS = resolve(import.meta.dirname, "../../.cache/web-browser");
const channelOpen = EXAMPLES.find((a) => a.kind === "channel-open")!;
const lvTransfer = EXAMPLES.find((a) => a.kind === "lv-transfer")!;
const BODY = "## Why\n\nA channel to the example peer keeps **outbound** liquidity up.";
const LINK = "https://forum.example.org/t/channel/7";

let stack: WebStack;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startWebStack();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  expect(stack.pageErrors).toEqual([]);
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SHOTS, `journey-${name}.png`), fullPage: true });

/** Signs in with a settings/Devnet.toml account through the devnet picker, signing out first if needed. */
async function useDevnetAccount(page: Page, name: string): Promise<string> {
  const disconnect = page.getByRole("button", { name: "Disconnect" });
  await page
    .getByRole("button", { name: /^(Connect wallet|Disconnect)$/ })
    .first()
    .waitFor({ timeout: 20_000 });
  if (await disconnect.isVisible()) await disconnect.click();
  const picker = page.locator(".devnet-picker");
  await picker.getByRole("combobox").selectOption(name);
  await picker.getByRole("button", { name: "Use devnet account" }).click();
  await waitForText(page.getByLabel("account"), `devnet ${name}`);
  return stack.devnet.account(name).address;
}

const balanceOf = async (address: string): Promise<bigint> =>
  BigInt(/^\(ok u(\d+)\)$/.exec(await readOnly(stack.devnet, "gt-token", "get-balance", [Cl.principal(address)]))![1]!);

describe("a member's journey", () => {
  it("delegates, proposes (body, link), votes with delegated votes, stakes, passes, sees the receipt", async () => {
    // 1. delegate wallet_4's votes to wallet_5 on the Delegation page
    const page = await stack.open("#/delegation");
    const delegator = await useDevnetAccount(page, "wallet_4");
    const delegate = stack.devnet.account("wallet_5").address;
    const delegated = await balanceOf(delegator);
    await waitForText(page.getByLabel("your delegate"), "counts for you");
    await shot(page, "01-delegation-before");
    await page.getByLabel("delegate address").fill("not-an-address");
    await page.getByRole("button", { name: "Delegate", exact: true }).click();
    await waitForText(page.getByRole("alert"), "is not a Stacks address");
    await page.getByLabel("delegate address").fill(delegate);
    await page.getByRole("button", { name: "Delegate", exact: true }).click();
    await waitForDone(page.locator("main"));
    expect(await readOnly(stack.devnet, "gt-token", "get-delegate", [Cl.principal(delegator)])).toBe(delegate);
    await waitForText(page.getByLabel("your delegate"), shortPrincipal(delegate));
    await waitForText(page.getByLabel("your votes"), "0 GT");
    const table = page.getByRole("table", { name: "delegations" });
    await waitForText(table, shortPrincipal(delegator));
    await waitForText(table, `${formatGt(delegated)} GT`);
    await shot(page, "02-delegated");

    // the new page holds what every page must: no serious axe finding, no sideways scroll on phones
    expect(await seriousAxeViolations(page)).toEqual([]);
    const overflowing: string[] = [];
    for (const width of [360, 390, 430]) {
      await settle(page);
      const overflow = await overflowAt(page, width);
      if (overflow) overflowing.push(`${width}: ${overflow}`);
      await shot(page, `03-delegation-phone-${width}`);
    }
    expect(overflowing).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });

    // 2. wallet_1 proposes a channel with a Markdown body and a link
    await page.goto(`${stack.server.url}#/propose`);
    await useDevnetAccount(page, "wallet_1");
    await page.getByLabel("kind").selectOption("channel-open");
    const payload = channelOpen.kind === "channel-open" ? channelOpen.payload : null;
    await page.getByLabel("peer").fill(payload!.peer);
    await page.getByLabel("host").fill("127.0.0.1:9735");
    await page.getByLabel("local-sats").fill("1000000");
    await page.getByLabel("push-sats").fill("0");
    await page.getByLabel("base-fee-msat").fill("1000");
    await page.getByLabel("fee-ppm").fill("100");
    await page.getByLabel("cltv-delta").fill("40");
    await page.getByLabel("Title").fill("A channel for the journey");
    await page.getByLabel(/^Body/).fill(BODY);
    await page.getByLabel(/^Discussion link/).fill(LINK);
    await waitForText(page.getByLabel("payload check"), "valid channel-open payload");
    await shot(page, "04-propose");
    await page.getByRole("button", { name: "Propose" }).click();
    await page.waitForURL(/#\/proposals\/\d+$/, { timeout: 20_000 });
    const id = BigInt(/#\/proposals\/(\d+)$/.exec(page.url())![1]!);

    // 3. the proposal page renders the body, checks it against the stored hash, and shows the link
    const text = page.getByLabel("proposal text");
    await waitForText(text.getByRole("heading", { name: "Why" }), "Why");
    await waitForText(text.locator("strong"), "outbound");
    await waitForText(page.getByLabel("text check"), "matches the details hash");
    expect(await text.getByRole("link", { name: LINK }).getAttribute("href")).toBe(LINK);
    await shot(page, "05-proposal-text");

    // 4. wallet_5 votes with its own GT and wallet_4's: more votes than its own GT alone would allow
    await useDevnetAccount(page, "wallet_5");
    const own = await balanceOf(delegate);
    await stack.devnet.mine({ burn: 6 });
    await waitForText(statusOf(page), "active");
    const panel = page.locator(".vote-panel");
    await waitForText(panel.getByLabel("credits"), `${formatGt(own + delegated)} GT`);
    const votes = 1_020_000n;
    expect(votes * votes).toBeGreaterThan(own);
    expect(votes * votes).toBeLessThanOrEqual(own + delegated);
    await panel.getByLabel("votes").fill("1020000");
    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForDone(panel);
    await waitForText(panel.getByLabel("your vote"), `You hold 1,020,000 votes for (${formatGt(votes * votes)} GT`);
    await shot(page, "06-voted-with-delegated-votes");

    // 5. stake on a conviction proposal
    await reportLiquidity(stack.devnet, {
      onchain: 0n,
      outbound: 0n,
      inbound: 0n,
      channels: 0n,
      lvReserve: 1_000_000n,
      lvWithdrawal: 0n,
    });
    const convictionId = await proposeDirect(stack.devnet, "wallet_3", lvTransfer as Action, "Move LV to operations");
    await page.goto(`${stack.server.url}#/proposals/${convictionId}`);
    await waitForText(statusOf(page), "active");
    const stake = page.locator(".stake-panel");
    await stake.getByLabel("stake amount").fill("1,000");
    await stake.getByRole("button", { name: "Stake", exact: true }).click();
    await waitForDone(stake);
    await waitForText(stake.getByLabel("your stake"), "1,000 GT");
    await shot(page, "07-staked");

    // 6. the vote closes with the devnet's burn blocks; conclude queues the channel for the relay
    await page.goto(`${stack.server.url}#/proposals/${id}`);
    await stack.devnet.mine({ burn: 144 });
    await waitForText(statusOf(page), "succeeded");
    const actions = page.locator(".actions-panel");
    await actions.getByRole("button", { name: "Conclude" }).click();
    await waitForDone(actions);
    await waitForText(statusOf(page), "queued");
    await shot(page, "08-concluded");

    // 7. the relay (wallet_6) claims it after the timelock and reports the funding outpoint
    await stack.devnet.mine({ burn: 6 });
    await send(stack.devnet, "wallet_6", "execution-queue", "claim", [Cl.uint(id)]);
    const txid = "cd".repeat(32);
    await send(stack.devnet, "wallet_6", "execution-queue", "report-success", [
      Cl.uint(id),
      Cl.bufferFromHex(`${txid}00000001`),
    ]);
    await waitForText(statusOf(page), "executed");
    await waitForText(page.getByLabel("relay receipts"), `executed; receipt: funding outpoint ${txid}:1`);
    await shot(page, "09-receipt");
    await page.close();
  });
});
