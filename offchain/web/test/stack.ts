// Everything a browser test runs against, all real except the wallet: the node emulation with lvdao's contracts
// (startDevnet, port 0), the app built by Vite into a temporary folder and served by the app's own static server,
// chromium, and the test wallet registered in every page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import { buildWebApp } from "../server/build.ts";
import { startStaticServer, type StaticServer } from "../server/static-server.ts";
import { launchChromium, type Chromium } from "./browser.ts";
import { TestWallet } from "./test-wallet.ts";

const REPO = resolve(import.meta.dirname, "../../..");

export interface WebStack {
  devnet: Devnet;
  server: StaticServer;
  wallet: TestWallet;
  deployer: string;
  /** Opens the app at a hash route in a new page; uncaught page errors are collected in `pageErrors`. */
  open(hash: string): Promise<Page>;
  pageErrors: string[];
  stop(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
    stops.push(devnet.stop);
    const outDir = mkdtempSync(join(tmpdir(), "lvdao-web-build-"));
    stops.push(async () => rmSync(outDir, { recursive: true, force: true }));
    await buildWebApp(outDir);
    const deployer = devnet.account("deployer").address;
    const server = await startStaticServer({
      dir: outDir,
      port: 0,
      appConfig: {
        nodeUrl: devnet.url,
        deployer,
        network: "devnet",
        pollMs: 200,
        devnetAccounts: devnet.accounts.map(({ name, address, privateKey }) => ({ name, address, privateKey })),
      },
    });
    stops.push(server.stop);
    const browser: Chromium = await launchChromium();
    stops.push(browser.close);
    const wallet = new TestWallet(devnet.url, devnet.account("wallet_1"));
    await wallet.install(browser.context);
    const pageErrors: string[] = [];
    return {
      devnet,
      server,
      wallet,
      deployer,
      pageErrors,
      async open(hash) {
        const page = await browser.context.newPage();
        page.on("pageerror", (error) => pageErrors.push(error.message));
        await page.goto(`${server.url}${hash}`);
        return page;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
