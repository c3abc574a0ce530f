// The members' app in chromium against the node emulation: connect a wallet, list proposals, create one from the
// form, vote on one, and watch its status change through conclude and the bond's release. Only the wallet is a
// test double (test/test-wallet.ts); the app, the codec, the contracts and the node are real.
import { Cl, Pc, cvToString, fetchCallReadOnlyFunction } from "@stacks/transactions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "../actions/examples.ts";
import type { Action } from "../actions/index.ts";
import { codeHash, encodeAction } from "../actions/index.ts";
import { passAction, readOnly } from "../devnet/governance.ts";
import { deployDirect, proposeDirect } from "./test/chain.ts";
import { startWebStack, type WebStack } from "./test/stack.ts";
import { connectAs, statusOf, waitForDone, waitForText } from "./test/ui.ts";

const channelOpen = EXAMPLES.find((a) => a.kind === "channel-open")!;
const GT = 1_000_000n;

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

describe("members' web app", () => {
  it("connects a wallet through @stacks/connect and shows its GT balance", async () => {
    const page = await stack.open("#/proposals");
    await connectAs(page, stack.wallet, stack.devnet.account("wallet_5"));
    await waitForText(page.getByLabel("GT balance"), "100,000 GT");
    expect(stack.wallet.requests.map((r) => r.method)).toContain("getAddresses");
    await page.close();
  });

  it("lists proposals with kind, window and tally, and follows the derived status as burn blocks pass", async () => {
    const id = await proposeDirect(stack.devnet, "wallet_3", channelOpen, "Open a channel to the example peer");
    const page = await stack.open("#/proposals");
    const row = page.locator(`tr[data-proposal-id="${id}"]`);
    await waitForText(row, "Open a channel to the example peer");
    await waitForText(row, "channel-open");
    await waitForText(statusOf(page, id), "pending");
    await waitForText(row, "for 0 · against 0");
    await waitForText(row, "starts in 6 burn blocks");
    await stack.devnet.mine({ burn: 6 });
    await waitForText(statusOf(page, id), "active");
    await waitForText(row, "ends in 144 burn blocks");
    await page.close();
  });

  it("proposes from the form: a bad payload stops before the wallet, a good one escrows the bond", async () => {
    const proposer = stack.devnet.account("wallet_1");
    const page = await stack.open("#/propose");
    await connectAs(page, stack.wallet, proposer);
    await page.getByLabel("kind").selectOption("channel-open");
    const payload = channelOpen.kind === "channel-open" ? channelOpen.payload : null;
    await page.getByLabel("peer").fill(payload!.peer);
    await page.getByLabel("host").fill("127.0.0.1:9735");
    await page.getByLabel("local-sats").fill("10");
    await page.getByLabel("push-sats").fill("0");
    await page.getByLabel("base-fee-msat").fill("1000");
    await page.getByLabel("fee-ppm").fill("100");
    await page.getByLabel("cltv-delta").fill("40");
    await page.getByLabel("Title").fill("A channel from the web app");
    await page.getByLabel(/^Body/).fill("Opening a 1M sat channel keeps outbound liquidity up.");
    await page.getByLabel(/^Discussion link/).fill("https://forum.example.org/t/channel/1");
    await waitForText(page.getByLabel("payload check"), "ERR_CHANNEL_SIZE (local-sats)");
    const before = stack.wallet.callCount();
    await page.getByRole("button", { name: "Propose" }).click();
    await waitForText(page.getByRole("alert"), "ERR_CHANNEL_SIZE");
    expect(stack.wallet.callCount()).toBe(before);

    await page.getByLabel("local-sats").fill("1000000");
    await waitForText(page.getByLabel("payload check"), "valid channel-open payload");
    await page.getByRole("button", { name: "Propose" }).click();
    await page.waitForURL(/#\/proposals\/\d+$/, { timeout: 20_000 });
    const id = BigInt(/#\/proposals\/(\d+)$/.exec(page.url())![1]!);

    const call = stack.wallet.lastCall();
    expect(call.params).toMatchObject({
      contract: `${stack.deployer}.proposals`,
      functionName: "propose",
      postConditionMode: "deny",
      network: "devnet",
    });
    const conditions = (call.params!.postConditions as string[]).map((hex) => Pc.fromHex(hex));
    expect(conditions).toEqual([
      {
        type: "ft-postcondition",
        address: proposer.address,
        condition: "eq",
        amount: String(100n * GT),
        asset: `${stack.deployer}.gt-token::gt`,
      },
    ]);
    await waitForText(page.locator("h1"), "A channel from the web app");
    await waitForText(statusOf(page), "pending");
    await waitForText(page.getByLabel("payload"), '"local-sats": 1000000');
    await waitForText(page.getByLabel("GT balance"), "999,900 GT");
    expect(id).toBeGreaterThan(0n);
    await page.close();
  });

  it("votes with the credit cost shown, then concludes and releases the bond as the status moves on", async () => {
    const action: Action = {
      kind: "channel-open",
      payload: {
        ...(channelOpen.payload as Extract<Action, { kind: "channel-open" }>["payload"]),
        localSats: 2_000_000n,
      },
    };
    const id = await proposeDirect(stack.devnet, "wallet_3", action, "A second channel");
    const voter = stack.devnet.account("wallet_2");
    const page = await stack.open(`#/proposals/${id}`);
    await connectAs(page, stack.wallet, voter);
    await waitForText(statusOf(page), "pending");
    await waitForText(page.getByLabel("credits"), "1,000,000 GT");
    // before the snapshot block the credits are only an upper bound
    await waitForText(page.getByLabel("credits pending"), "fixed at the snapshot");
    await stack.devnet.mine({ burn: 6 });
    await waitForText(statusOf(page), "active");
    await waitForText(page.locator(".vote-panel"), "Credits (the GT you held at both");
    expect(await page.getByLabel("credits pending").count()).toBe(0);

    const panel = page.locator(".vote-panel");
    await panel.getByLabel("votes").fill("1000");
    await waitForText(panel.getByLabel("vote cost"), "Cost: 1 GT of credits");
    await panel.getByLabel("votes").fill("1000001");
    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForText(panel.getByRole("alert"), "ERR_INSUFFICIENT_CREDITS");

    stack.wallet.rejectNext = true;
    await panel.getByLabel("votes").fill("1000");
    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForText(panel.locator(".tx"), "cancelled in the wallet");

    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForDone(panel);
    expect(stack.wallet.lastCall().params).toMatchObject({
      functionName: "vote",
      postConditionMode: "deny",
      postConditions: [],
    });
    await waitForText(panel.getByLabel("your vote"), "You hold 1,000 votes for (1 GT of credits spent)");
    expect(await panel.getByLabel("votes").inputValue()).toBe("");
    await panel.getByLabel("votes").fill("999000");
    await waitForText(panel.getByLabel("vote cost"), "Cost: 999,999 GT of credits");
    await panel.getByRole("button", { name: "Vote for" }).click();
    await waitForDone(panel);
    await waitForText(page.getByLabel("tally"), "for 1,000,000 · against 0");
    await expect(panel.getByRole("button", { name: "Vote against" }).isDisabled()).resolves.toBe(true);

    await stack.devnet.mine({ burn: 144 });
    await waitForText(statusOf(page), "succeeded");
    const actions = page.locator(".actions-panel");
    await actions.getByRole("button", { name: "Conclude" }).click();
    await waitForDone(actions);
    await waitForText(statusOf(page), "queued");

    await stack.devnet.mine({ burn: 6 });
    await actions.getByRole("button", { name: "Release bond" }).click();
    await waitForDone(actions);
    await waitForText(page.locator(".facts"), "returned at burn block");
    await page.close();
  });

  it("applies a passed setting after its timelock; runs a passed contract proposal", async () => {
    const member = stack.devnet.account("wallet_5");
    const setting: Action = { kind: "setting", payload: { key: "max-fee-ppm", value: 4321n } };
    const settingId = await passAction(stack.devnet, "setting", encodeAction(setting), "Raise the fee cap");
    const page = await stack.open(`#/proposals/${settingId}`);
    await connectAs(page, stack.wallet, member);
    await waitForText(statusOf(page), "queued");
    const actions = page.locator(".actions-panel");
    await stack.devnet.mine({ burn: 6 });
    await actions.getByRole("button", { name: "Apply (conclude after the timelock)" }).click();
    await waitForDone(actions);
    expect(stack.wallet.lastCall().params).toMatchObject({ functionName: "conclude", postConditionMode: "deny" });
    await waitForText(statusOf(page), "executed");
    expect(await readOnly(stack.devnet, "dao-settings", "get-setting", [Cl.stringAscii("max-fee-ppm")])).toBe(
      "(ok u4321)",
    );
    await page.close();

    const code = `(impl-trait '${stack.deployer}.proposal-trait.proposal-trait)
(define-data-var ran uint u0)
(define-public (execute (sender principal)) (begin (var-set ran (+ (var-get ran) u1)) (ok true)))
(define-read-only (get-ran) (var-get ran))`;
    const upgrade = await deployDirect(stack.devnet, "wallet_4", "web-noop-proposal", code);
    const contractId = await passAction(
      stack.devnet,
      "contract-proposal",
      encodeAction({ kind: "contract-proposal", payload: { proposal: upgrade, codeHash: codeHash(code) } }),
      "Run a no-op upgrade",
    );
    const second = await stack.open(`#/proposals/${contractId}`);
    await connectAs(second, stack.wallet, member);
    await waitForText(statusOf(second), "queued");
    await waitForText(second.getByLabel("payload"), upgrade);
    await waitForText(second.getByLabel("code check"), "matches the deployed source");
    await waitForText(second.getByLabel("contracts called"), "no contract by name");
    await stack.devnet.mine({ burn: 6 });
    const secondActions = second.locator(".actions-panel");
    await secondActions.getByRole("button", { name: "Execute proposal" }).click();
    await waitForDone(secondActions);
    expect(stack.wallet.lastCall().params).toMatchObject({
      functionName: "execute-proposal",
      postConditionMode: "deny",
      postConditions: [],
    });
    await waitForText(statusOf(second), "executed");
    const [address, name] = upgrade.split(".");
    expect(
      cvToString(
        await fetchCallReadOnlyFunction({
          contractAddress: address!,
          contractName: name!,
          functionName: "get-ran",
          functionArgs: [],
          senderAddress: member.address,
          network: "testnet",
          client: { baseUrl: stack.devnet.url },
        }),
      ),
    ).toBe("u1");
    await second.close();
  });

  it("fills a contract-proposal's code-hash from its source, shows its calls; a GT treasury transfer", async () => {
    const proposer = stack.devnet.account("wallet_4");
    const code = `(impl-trait '${stack.deployer}.proposal-trait.proposal-trait)
(define-public (execute (sender principal))
  (contract-call? '${stack.deployer}.dao-settings set-setting "max-fee-ppm" u4000))`;
    const upgrade = await deployDirect(stack.devnet, "wallet_4", "web-fee-upgrade", code);
    const page = await stack.open("#/propose");
    await connectAs(page, stack.wallet, proposer);
    await page.getByLabel("kind").selectOption("contract-proposal");
    await page.getByLabel("proposal", { exact: true }).fill(upgrade);
    await expect.poll(() => page.getByLabel(/^code-hash/).inputValue(), { timeout: 20_000 }).toBe(codeHash(code));
    await waitForText(page.getByLabel("code check"), "matches the deployed source");
    await waitForText(page.getByLabel("contracts called"), `${stack.deployer}.dao-settings: set-setting`);
    await page.getByLabel(/^code-hash/).fill("ab".repeat(32));
    await waitForText(page.getByLabel("code check"), "DIFFERS from the deployed source");
    await page.getByLabel(/^code-hash/).fill("");
    await expect.poll(() => page.getByLabel(/^code-hash/).inputValue(), { timeout: 20_000 }).toBe(codeHash(code));
    await page.getByLabel("Title").fill("Lower the fee cap by contract");
    await page.getByLabel(/^Body/).fill("The contract sets the fee cap the forum agreed on.");
    await page.getByRole("button", { name: "Propose" }).click();
    await page.waitForURL(/#\/proposals\/\d+$/, { timeout: 20_000 });
    await waitForText(page.locator("h1"), "Lower the fee cap by contract");
    await waitForText(
      page.getByLabel("code check"),
      "matches the deployed source: the code this proposal runs is that source",
    );
    await waitForText(page.getByLabel("proposal code"), codeHash(code));

    await page.goto(`${stack.server.url}#/propose?kind=treasury-transfer`);
    await waitForText(page.getByLabel("treasury"), "The treasury holds");
    await page.getByLabel("recipient").fill(stack.devnet.account("wallet_5").address);
    await page.getByLabel(/^amount/).fill("2500000");
    await waitForText(page.locator("label[for='field-amount']"), "2.5 GT");
    await waitForText(page.getByLabel("payload check"), "valid treasury-transfer payload");
    await page.getByLabel("Title").fill("Pay wallet 5 from the treasury");
    await page.getByLabel(/^Body/).fill("Wallet 5 ran the demo; the treasury pays 2.5 GT for it.");
    await page.getByRole("button", { name: "Propose" }).click();
    await page.waitForURL(/#\/proposals\/\d+$/, { timeout: 20_000 });
    await waitForText(page.getByLabel("payload"), '"amount": 2500000');
    await waitForText(page.locator(".facts"), "treasury-transfer");
    await page.close();
  });

  it("points at another node from Settings or the URL, and names a bad or unreachable configuration", async () => {
    // The same node under another loopback name stands in for "another node": what changes is only the app's config.
    const otherUrl = stack.devnet.url.replace("127.0.0.1", "localhost").replace(/\/$/, "");
    const page = await stack.open("#/settings");
    await page.getByLabel("Stacks node URL (RPC and API)").fill("ftp://nowhere");
    await page.getByRole("button", { name: "Save and reload" }).click();
    await waitForText(page.getByRole("alert"), "nodeUrl must be an http(s) URL");

    await page.getByLabel("Stacks node URL (RPC and API)").fill(otherUrl);
    await page.getByRole("button", { name: "Save and reload" }).click();
    await waitForText(
      page.locator("footer"),
      new RegExp(`devnet · ${otherUrl.replace(/[.:/]/g, "\\$&")} · Stacks block \\d+`),
    );
    await page.getByRole("button", { name: "Forget saved settings" }).click();
    await waitForText(page.locator("footer"), "· http://127.0.0.1:");

    await page.goto(`${stack.server.url}?network=regtest#/proposals`);
    await waitForText(
      page.getByRole("alert"),
      "configuration is invalid: network must be one of devnet, testnet, mainnet",
    );
    await page.goto(`${stack.server.url}?node=http://127.0.0.1:9#/proposals`);
    await waitForText(
      page.getByRole("alert").filter({ hasText: "does not answer" }),
      "The Stacks node at http://127.0.0.1:9 does not answer",
    );
    await page.close();
  });
});
