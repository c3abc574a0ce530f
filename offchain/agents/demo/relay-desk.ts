// The relay's LV desk for the demo: the node emulation with the real contracts (offchain/devnet), the demo's pricing
// passed as an lv-pricing by a vote, and the relay (offchain/relay/start.ts) with its lnd, tapd and operations wallet
// on the DAO's simulated node, so its desk serves /market on the relay's status server. The desk prices from the
// chain: the pricing from lv-ledger and the liquidity from the liquidity oracle's snapshot, which the relay's
// liquidity reporter posts every Stacks block here.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Cl } from "@stacks/transactions";
import { encodeAction } from "../../actions/index.ts";
import { startDevnet, type Devnet } from "../../devnet/index.ts";
import type { StackNode } from "../../lightning/index.ts";
import type { LiquidityView, LvPricing } from "../../market/pricing.ts";
import { loadConfig } from "../../relay/config.ts";
import { LV_GROUP_KEY } from "../../relay/jobs/lv-asset.ts";
import { COMPLETED_STATES, VOID_STATES } from "../../relay/journal/desk-types.ts";
import { ChainMarketSource } from "../../relay/market/source.ts";
import { ContractReads } from "../../relay/stacks/reads.ts";
import { startRelay, type RelayRuntime } from "../../relay/start.ts";
import { DEPLOYER, passAction, send } from "../../devnet/governance.ts";
import { daemonSection, writeRelayToml } from "../../devnet/relay-toml.ts";

const REPO = resolve(import.meta.dirname, "../../..");
/** A burn block a second: the reporter reports once per burn block, so the snapshot follows the node within seconds. */
const BURN_BLOCK_MS = 1_000;
const FIRST_REPORT_MS = 60_000;

export interface RelayDeskOptions {
  /** the DAO's simulated node: the relay's lnd, tapd and operations wallet */
  dao: StackNode;
  pricing: LvPricing;
  /** the LV group the DAO's tapd holds */
  groupKey: string;
  progress?: (line: string) => void;
  /** the relay's log lines, at debug level; none are kept when omitted */
  relayLog?: (line: string) => void;
}

export interface DeskStats {
  trades: number;
  settled: number;
  lvSold: bigint;
  satsReceived: bigint;
}

/** A settled trade as the desk journaled its quote: the snapshot's inbound share the premium came from. */
export interface SettledQuote {
  tradeId: string;
  /** the buyer's Taproot Assets address the LV went to */
  tapAddress: string;
  /** the desk's hold invoice's payment hash, on the DAO's lnd */
  paymentHash: string;
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  inboundBps: bigint;
}

export interface RelayDesk {
  /** the relay's status server: the desk's API is under /market */
  url: string;
  /** the pricing and the liquidity snapshot the desk quotes from, as read from the chain now */
  market(): Promise<{ pricing: LvPricing | undefined; liquidity: LiquidityView }>;
  stats(): Promise<DeskStats>;
  settledQuotes(): Promise<SettledQuote[]>;
  stop(): Promise<void>;
}

export async function startRelayDesk(options: RelayDeskOptions): Promise<RelayDesk> {
  const progress = options.progress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), "lvdao-demo-relay-"));
  let devnet: Devnet | undefined;
  let relay: RelayRuntime | undefined;
  const stop = async () => {
    await relay?.stop().catch(() => undefined);
    await devnet?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    progress("starting the node emulation with the DAO's contracts");
    devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: BURN_BLOCK_MS });
    progress("passing the demo's lv-pricing by a vote");
    const id = await passAction(
      devnet,
      "lv-pricing",
      encodeAction({ kind: "lv-pricing", payload: options.pricing }),
      "the machine demo's pricing",
    );
    await devnet.mine({ burn: 12 });
    await send(devnet, "wallet_3", "proposals", "conclude", [Cl.uint(id)]);
    // wallet_6 is the relay the devnet's deployment enables, and the liquidity oracle's reporter.
    writeFileSync(join(dir, "relay.key"), devnet.account("wallet_6").privateKey);
    const path = writeRelayToml(
      dir,
      "relay",
      devnet.url,
      {
        lnd: daemonSection(options.dao, "lnd"),
        tapd: daemonSection(options.dao, "tapd"),
        "tapd_wallets.operations": daemonSection(options.dao, "tapd"),
      },
      { http: true, monitors: { liquidity_poll_ms: 500, liquidity_report_blocks: 1 } },
    );
    const { config, secrets } = loadConfig(path, {});
    progress("starting the relay on the DAO's node");
    const relayLog = options.relayLog;
    relay = await startRelay(
      { ...config, log: { level: relayLog ? "debug" : "warn" } },
      { secrets, logSink: (line) => relayLog?.(line) },
    );
    if (!relay.statusUrl || !relay.market) throw new Error("the relay started without its desk");
    // The desk trades the group the robots' addresses are for; a relay that minted LV itself records it the same way.
    await relay.journal.jobs.set(LV_GROUP_KEY, options.groupKey, Date.now());
    const source = new ChainMarketSource(new ContractReads(relay.stacks, DEPLOYER), relay.stacks);
    const journal = relay.journal;
    const allTrades = async () => {
      const trades = [];
      for (const period of await journal.desk.periodsWithTrades())
        trades.push(...(await journal.desk.tradesInPeriod(period)));
      return trades;
    };
    // The desk quotes from the oracle's snapshot: until the reporter's first report lands it reads an empty node.
    progress("waiting for the relay's first liquidity report");
    const deadline = Date.now() + FIRST_REPORT_MS;
    for (;;) {
      const { inboundSats, outboundSats } = await source.liquidity();
      if (inboundSats + outboundSats > 0n) break;
      if (Date.now() > deadline)
        throw new Error(`the relay posted no liquidity report within ${FIRST_REPORT_MS / 1000} s`);
      await new Promise((done) => setTimeout(done, 250));
    }
    return {
      url: relay.statusUrl,
      market: async () => ({ pricing: await source.pricing(), liquidity: await source.liquidity() }),
      async stats() {
        const trades = await allTrades();
        const settled = trades.filter((t) => COMPLETED_STATES.includes(t.state));
        return {
          trades: trades.length,
          settled: settled.length,
          lvSold: settled.reduce((sum, t) => sum + t.lv, 0n),
          satsReceived: trades
            .filter((t) => t.state !== "quoted" && !VOID_STATES.includes(t.state))
            .reduce((sum, t) => sum + t.sats, 0n),
        };
      },
      async settledQuotes() {
        const settled = (await allTrades()).filter((t) => COMPLETED_STATES.includes(t.state));
        const quotes = [];
        for (const trade of settled) {
          const quote = await journal.desk.quote(trade.quoteId);
          if (!quote) throw new Error(`the desk's journal has no quote ${trade.quoteId} for trade ${trade.id}`);
          quotes.push({
            tradeId: trade.id,
            tapAddress: trade.tapAddress,
            paymentHash: trade.paymentHash,
            lv: quote.lv,
            sats: quote.sats,
            premiumBps: quote.premiumBps,
            inboundBps: quote.inboundBps,
          });
        }
        return quotes;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
