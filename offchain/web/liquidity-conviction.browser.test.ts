// The members' app in chromium against the node emulation, beyond quadratic votes: staking and unstaking GT on a
// conviction proposal (conviction against its threshold, deny-mode post-conditions), and the liquidity page
// (the relay's latest snapshot, the LV allocation, and the execution queue with its receipts), and npm start's web
// step. Only the wallet is a test double; the relay's on-chain steps are signed with its devnet key.
import { Cl, Pc } from "@stacks/transactions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../actions/examples.ts";
import { encodeAction, type Action } from "../actions/index.ts";
import { passAction, readOnly } from "../devnet/governance.ts";
import { proposeDirect, reportLiquidity, send } from "./test/chain.ts";
import { startWebStack, type WebStack } from "./test/stack.ts";
import { connectAs, statusOf, waitForDone, waitForText } from "./test/ui.ts";
import { startDevnetStep } from "./devnet-step.ts";

const GT = 1_000_000n;
const lvTransfer = EXAMPLES.find((a) => a.kind === "lv-transfer")!;
const channelOpen = EXAMPLES.find((a) => a.kind === "channel-open")!;

let stack: WebStack;
beforeAll(async () => {
  stack = await startWebStack();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => {
  expect(stack.pageErrors).toEqual([]);
});

describe("members' web app: conviction, liquidity, and npm start's web step", () => {
  it("stakes and unstakes GT on a conviction proposal, each with an exact GT post-condition in deny mode", async () => {
    await reportLiquidity(stack.devnet, {
      onchain: 0n,
      outbound: 0n,
      inbound: 0n,
      channels: 0n,
      lvReserve: 1_000_000n,
      lvWithdrawal: 0n,
    });
    const id = await proposeDirect(stack.devnet, "wallet_3", lvTransfer as Action, "Move LV to operations");
    const staker = stack.devnet.account("wallet_4");

    const list = await stack.open("#/proposals");
    const row = list.locator(`tr[data-proposal-id="${id}"]`);
    await waitForText(row, "lv-transfer");
    await waitForText(row, "conviction at 0.0% of its threshold");
    await list.close();

    const page = await stack.open(`#/proposals/${id}`);
    await connectAs(page, stack.wallet, staker);
    await waitForText(statusOf(page), "active");
    const panel = page.locator(".stake-panel");
    await waitForText(panel.getByLabel("your stake"), "0 GT");

    await panel.getByLabel("stake amount").fill("0.0000001");
    await panel.getByRole("button", { name: "Stake", exact: true }).click();
    await waitForText(panel.getByRole("alert"), "more than 6 decimals");

    await panel.getByLabel("stake amount").fill("1,000");
    await panel.getByRole("button", { name: "Stake", exact: true }).click();
    await waitForDone(panel);
    const stake = stack.wallet.lastCall();
    expect(stake.params).toMatchObject({
      contract: `${stack.deployer}.conviction-voting`,
      functionName: "stake",
      postConditionMode: "deny",
    });
    expect((stake.params!.postConditions as string[]).map((hex) => Pc.fromHex(hex))).toEqual([
      {
        type: "ft-postcondition",
        address: staker.address,
        condition: "eq",
        amount: String(1000n * GT),
        asset: `${stack.deployer}.gt-token::gt`,
      },
    ]);
    await waitForText(panel.getByLabel("your stake"), "1,000 GT");
    expect(
      await readOnly(stack.devnet, "conviction-voting", "get-stake", [Cl.uint(id), Cl.principal(staker.address)]),
    ).toBe(`u${1000n * GT}`);

    await stack.devnet.mine({ burn: 10 });
    await waitForText(page.getByLabel("conviction share"), /^[\d.]+%$/);
    // the raw figures behind the share are in its tooltip: conviction has grown above 0
    await expect
      .poll(() => page.locator(".conviction-view small").getAttribute("title"), { timeout: 20_000 })
      .toMatch(/^conviction [1-9][\d,]* \/ threshold [\d,]+/);
    await waitForText(page.getByLabel("conviction estimate"), /passes at burn block [\d,]+|never reaches/);

    await panel.getByLabel("stake amount").fill("1,000.000001");
    await panel.getByRole("button", { name: "Unstake" }).click();
    await waitForText(panel.getByRole("alert"), "ERR_INSUFFICIENT_STAKE");

    await panel.getByLabel("stake amount").fill("400");
    await panel.getByRole("button", { name: "Unstake" }).click();
    await waitForDone(panel);
    const unstake = stack.wallet.lastCall();
    expect((unstake.params!.postConditions as string[]).map((hex) => Pc.fromHex(hex))).toEqual([
      {
        type: "ft-postcondition",
        address: `${stack.deployer}.conviction-voting`,
        condition: "eq",
        amount: String(400n * GT),
        asset: `${stack.deployer}.gt-token::gt`,
      },
    ]);
    await waitForText(panel.getByLabel("your stake"), "600 GT");
    await page.close();
  });

  it("shows the relay's snapshot, the LV allocation, and a queued action's status and receipts", async () => {
    await reportLiquidity(stack.devnet, {
      onchain: 50_000_000n,
      outbound: 12_345_678n,
      inbound: 7_000_000n,
      channels: 3n,
      lvReserve: 1_000_000n,
      lvWithdrawal: 250n,
      vaultSats: 3_210_000n,
    });
    const id = await passAction(stack.devnet, "channel-open", encodeAction(channelOpen), "A channel the relay opens");
    const allocation = await readOnly(stack.devnet, "lv-ledger", "get-allocation", []);

    const page = await stack.open("#/liquidity");
    const snapshot = page.getByLabel("liquidity snapshot");
    await waitForText(snapshot, "50,000,000 sats (0.5 BTC)");
    await waitForText(snapshot, "12,345,678 sats (0.12345678 BTC)");
    await waitForText(snapshot, "250 LV");
    await waitForText(snapshot, "3,210,000 sats (0.0321 BTC)");
    await waitForText(page.locator(".liquidity"), "No lv-pricing proposal has passed yet");
    await waitForText(page.locator(".liquidity"), /Report \d+, by relay/);
    const bps = (name: string): string => {
      const value = BigInt(new RegExp(`${name} u(\\d+)`).exec(allocation)![1]!);
      return `${value / 100n}${
        value % 100n
          ? `.${String(value % 100n)
              .padStart(2, "0")
              .replace(/0$/, "")}`
          : ""
      }%`;
    };
    for (const name of ["infrastructure-bps", "channel-bps", "reserve-bps"])
      await waitForText(page.getByLabel("LV allocation"), bps(name));

    const row = page.locator(`tr[data-action-id="${id}"]`);
    await waitForText(row, "channel-open");
    await waitForText(row.locator("[data-status]"), "queued");

    await send(stack.devnet, "wallet_6", "execution-queue", "claim", [Cl.uint(id)]);
    await waitForText(row.locator("[data-status]"), "claimed");
    await waitForText(row, /claimed by ST\w+…\w+ \(attempt/);

    const txid = "ab".repeat(32);
    await send(stack.devnet, "wallet_6", "execution-queue", "report-success", [
      Cl.uint(id),
      Cl.bufferFromHex(`${txid}00000001`),
    ]);
    await waitForText(row.locator("[data-status]"), "executed");
    await waitForText(row, `executed: funding outpoint ${txid}:1`);
    await page.close();
  });

  it("npm start's web step builds the app, serves it on loopback with the node's config.json, says where", async () => {
    const lines: string[] = [];
    const callerPort = process.env.LVDAO_WEB_PORT;
    process.env.LVDAO_WEB_PORT = "0";
    let started: Awaited<ReturnType<typeof startDevnetStep>>;
    try {
      started = await startDevnetStep({ devnet: stack.devnet, services: {}, progress: (line) => lines.push(line) });
    } finally {
      if (callerPort === undefined) delete process.env.LVDAO_WEB_PORT;
      else process.env.LVDAO_WEB_PORT = callerPort;
    }
    try {
      expect(lines).toEqual([
        expect.stringMatching(/^web app: building with vite$/),
        expect.stringMatching(/^web app: built in \d+ ms$/),
      ]);
      const url = (started.services as { webApp: string }).webApp;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(started.summary[0]).toContain(url);
      expect(await (await fetch(`${url}config.json`)).json()).toEqual({
        nodeUrl: stack.devnet.url,
        deployer: stack.deployer,
        network: "devnet",
        // settings/Devnet.toml's public test accounts, for the devnet picker
        devnetAccounts: stack.devnet.accounts.map(({ name, address, privateKey }) => ({ name, address, privateKey })),
      });
      const page = await stack.open("#/proposals");
      await page.goto(`${url}#/proposals`);
      await waitForText(page.locator("footer"), stack.devnet.url.replace(/\/$/, ""));
      await waitForText(page.locator("h1"), "Proposals");
      await page.close();
    } finally {
      await started.stop();
    }
  });
});
