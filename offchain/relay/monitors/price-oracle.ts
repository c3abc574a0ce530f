// The relay's tapd price oracle ([price_oracle] in the config): the oracle service of offchain/market, fed from the
// chain and the relay's tapd. The pricing in force (lv-ledger.get-lv-pricing) and the newest liquidity report
// (liquidity-oracle.get-liquidity) give the rate and its premium exactly as the desk's quote uses them; they are
// read at most once a second however many RFQs arrive together. The LV asset (group key and the asset ids of the
// group this relay's tapd holds) is looked up at start and every 30 s, since LV may be minted while the relay runs.
// Answers are counted in lvdao_relay_price_oracle_answers_total{type, outcome}. docs/market.md "The price oracle".
import type { ClarityValue } from "@stacks/transactions";
import { liquidityViewOf, lvPricingOf } from "../../market/pricing-chain.ts";
import { premiumBps } from "../../market/pricing.ts";
import {
  startPriceOracle,
  type OracleAsset,
  type OracleInputs,
  type RunningPriceOracle,
} from "../../market/price-oracle.ts";
import { loadOrCreateTlsIdentity } from "../../market/tls-cert.ts";
import type { RelayConfig } from "../config.ts";
import type { Worker } from "../jobs/runner.ts";
import type { Logger } from "../log.ts";
import type { Counter } from "../metrics.ts";

/** How long one chain read of the pricing serves: a burst of RFQs costs one read, and a vote takes blocks. */
export const INPUTS_CACHE_MS = 1_000;
const ASSET_REFRESH_MS = 30_000;
const DEFAULT_HOSTS = ["localhost", "127.0.0.1", "::1"];

export interface PriceOracleWorkerOptions {
  config: RelayConfig["priceOracle"];
  /** a read-only call on one of the DAO's contracts, by contract name */
  read(contract: string, fn: string): Promise<ClarityValue>;
  /** the LV asset as this relay knows it, or null before it is minted */
  lv(): Promise<OracleAsset | null>;
  log: Logger;
  answers: Counter;
  now?: () => number;
}

export class PriceOracleWorker implements Worker {
  readonly name = "price-oracle";
  private oracle: RunningPriceOracle | undefined;
  private asset: OracleAsset | null = null;
  private assetTimer: NodeJS.Timeout | undefined;
  private cached: { at: number; inputs: Promise<OracleInputs | null> } | undefined;
  private certCreated = false;

  constructor(private readonly o: PriceOracleWorkerOptions) {}

  /** The pricing and premium in force, from one chain read shared by every request within INPUTS_CACHE_MS. */
  inputs(): Promise<OracleInputs | null> {
    const now = (this.o.now ?? Date.now)();
    if (this.cached && now - this.cached.at < INPUTS_CACHE_MS) return this.cached.inputs;
    const inputs = (async () => {
      const [pricingValue, liquidityValue] = await Promise.all([
        this.o.read("lv-ledger", "get-lv-pricing"),
        this.o.read("liquidity-oracle", "get-liquidity"),
      ]);
      const pricing = lvPricingOf(pricingValue);
      if (!pricing) return null;
      return { pricing, premiumBps: premiumBps(pricing, liquidityViewOf(liquidityValue)) };
    })();
    this.cached = { at: now, inputs };
    // A failed read is not kept: the next request reads again.
    inputs.catch(() => {
      if (this.cached?.inputs === inputs) this.cached = undefined;
    });
    return inputs;
  }

  private async refreshAsset(): Promise<void> {
    try {
      this.asset = await this.o.lv();
    } catch (error) {
      this.o.log.warn("price oracle: LV asset lookup failed; keeping the last one", {
        error: (error as Error).message,
      });
    }
  }

  async start(): Promise<void> {
    const c = this.o.config;
    const tls = loadOrCreateTlsIdentity(c.tlsCertPath, c.tlsKeyPath, [...DEFAULT_HOSTS, ...c.tlsHosts]);
    this.certCreated = tls.created;
    if (tls.created) this.o.log.info("price oracle: made a TLS certificate", { cert: c.tlsCertPath });
    await this.refreshAsset();
    this.assetTimer = setInterval(() => void this.refreshAsset(), ASSET_REFRESH_MS);
    this.assetTimer.unref();
    this.oracle = await startPriceOracle({
      listen: c.listen,
      tls,
      asset: () => this.asset,
      inputs: () => this.inputs(),
      onAnswer: (answer, request) => {
        this.o.answers.inc({ type: answer.type ?? request.transaction_type, outcome: answer.outcome });
        if (answer.outcome !== "ok")
          this.o.log.info("price oracle: refused", { outcome: answer.outcome, intent: request.intent });
      },
      onError: (error) => {
        this.o.answers.inc({ type: "unknown", outcome: "chain-error" });
        this.o.log.warn("price oracle: pricing unavailable", { error: error.message });
      },
    });
    this.o.log.info("price oracle listening", { address: this.oracle.address, lv: this.asset?.groupKey ?? null });
  }

  async stop(): Promise<void> {
    clearInterval(this.assetTimer);
    await this.oracle?.stop();
    this.oracle = undefined;
  }

  async status(): Promise<unknown> {
    return {
      address: this.oracle?.address ?? null,
      certificate: this.o.config.tlsCertPath,
      certificateMadeThisStart: this.certCreated,
      lvGroupKey: this.asset?.groupKey ?? null,
      lvAssetIds: this.asset?.assetIds ?? [],
    };
  }
}
