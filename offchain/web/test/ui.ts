// Steps a member takes in the app, written against what the page shows (roles, labels, text).
import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";
import { TEST_WALLET_NAME, type TestWallet, type WalletAccount } from "./test-wallet.ts";

const WAIT_MS = 20_000;

/** The locator's text, or what the page shows instead when the locator matches nothing. */
async function textOrPage(locator: Locator): Promise<string> {
  if ((await locator.count()) > 0) return (await locator.first().textContent()) ?? "";
  const main =
    (await locator
      .page()
      .locator("main")
      .textContent()
      .catch(() => "")) ?? "";
  return `(not on the page, which shows: ${main.replace(/\s+/g, " ").slice(0, 600)})`;
}

/** Waits until the locator's text contains `expected`, failing with the last text seen. */
export async function waitForText(locator: Locator, expected: string | RegExp, timeout = WAIT_MS): Promise<void> {
  await expect
    .poll(() => textOrPage(locator), { timeout, interval: 100 })
    .toMatch(typeof expected === "string" ? new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : expected);
}

/** Connects through @stacks/connect's wallet picker, choosing the test wallet set to `account`. */
export async function connectAs(page: Page, wallet: TestWallet, account: WalletAccount): Promise<void> {
  wallet.use(account);
  // The page may still be loading, and @stacks/connect remembers the last connection: wait for the account bar to
  // settle on one of its two buttons before deciding whether to disconnect first.
  await page
    .getByRole("button", { name: /^(Connect wallet|Disconnect)$/ })
    .first()
    .waitFor({ timeout: WAIT_MS });
  const disconnect = page.getByRole("button", { name: "Disconnect" });
  if (await disconnect.isVisible()) await disconnect.click();
  await page.getByRole("button", { name: "Connect wallet" }).click();
  // The picker is @stacks/connect's <connect-modal> (shadow DOM); each installed wallet has its own Connect button.
  const entry = page.locator("connect-modal li").filter({ hasText: TEST_WALLET_NAME });
  await entry.getByRole("button", { name: "Connect" }).click();
  await waitForText(page.getByLabel("account"), account.address.slice(0, 6));
}

/** The status badge of the proposal page or of a proposal's row in the list. */
export function statusOf(page: Page, id?: bigint): Locator {
  const scope = id === undefined ? page.locator("h1") : page.locator(`tr[data-proposal-id="${id}"]`);
  return scope.locator("[data-status]");
}

/** Waits for the transaction sent from `scope` (a page or a panel) to be mined successfully. */
export async function waitForDone(scope: Page | Locator): Promise<void> {
  await waitForText(scope.locator(".tx, .error").last(), /^Done:/, WAIT_MS);
}
