// The relay's price oracle worker: the rate from the chain's pricing and liquidity report (premium included) over
// TLS with the certificate it made, one chain read per second however many requests arrive, the LV asset from
// the relay, and the refusals: no pricing yet, the chain unreadable, another group.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cl, type ClarityValue } from "@stacks/transactions";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { priceOracleClient, type OracleAsset } from "../../market/price-oracle.ts";
import { createLogger } from "../log.ts";
import { Counter } from "../metrics.ts";
import { PriceOracleWorker } from "../monitors/price-oracle.ts";

const GROUP_KEY = `03${"5a".repeat(32)}`;
const ASSET_ID = "77".repeat(32);

// target 50% inbound, 10 bps per 1% short, at most 500; the report has 30% inbound: premium 10 * 2000 / 100 = 200.
const PRICING = Cl.some(
  Cl.tuple({
    "reference-msat": Cl.uint(1000),
    "spread-bps": Cl.uint(100),
    "target-inbound-bps": Cl.uint(5000),
    "premium-slope-bps": Cl.uint(10),
    "max-premium-bps": Cl.uint(500),
    "quote-ttl": Cl.uint(120),
    "max-trade-lv": Cl.uint(1_000_000),
    "max-period-lv": Cl.uint(10_000_000),
    period: Cl.uint(144),
    "set-at": Cl.uint(12),
  }),
);
const LIQUIDITY = Cl.tuple({
  "onchain-sats": Cl.uint(0),
  "outbound-sats": Cl.uint(7_000_000),
  "inbound-sats": Cl.uint(3_000_000),
  channels: Cl.uint(2),
  "lv-reserve": Cl.uint(0),
  "lv-withdrawal": Cl.uint(0),
  "vault-sats": Cl.uint(0),
});

let dir: string;
let worker: PriceOracleWorker;
let client: grpc.Client;
const reads: string[] = [];
let pricing: ClarityValue = PRICING;
let chainDown = false;
const lv: OracleAsset | null = { groupKey: GROUP_KEY, assetIds: [ASSET_ID] };
const answers = new Counter("answers", "test");
const certPath = () => join(dir, "oracle", "tls.cert");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-oracle-worker-"));
  worker = new PriceOracleWorker({
    config: {
      enabled: true,
      listen: { host: "127.0.0.1", port: 0 },
      tlsCertPath: certPath(),
      tlsKeyPath: join(dir, "oracle", "tls.key"),
      tlsHosts: [],
    },
    read: async (contract, fn) => {
      reads.push(`${contract}.${fn}`);
      if (chainDown) throw new Error("the Stacks node is unreachable");
      return fn === "get-lv-pricing" ? pricing : LIQUIDITY;
    },
    lv: async () => lv,
    log: createLogger({ level: "error", sink: () => undefined }),
    answers,
  });
  await worker.start();
  const { address } = (await worker.status()) as { address: string };
  client = priceOracleClient(address, readFileSync(certPath(), "utf8"));
});

afterAll(async () => {
  client?.close();
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Unary = (request: object, callback: (error: Error | null, value: Record<string, unknown>) => void) => void;
const ask = (transaction_type: "SALE" | "PURCHASE", groupKey = GROUP_KEY) =>
  new Promise<Record<string, unknown>>((resolve, reject) =>
    ((client as unknown as Record<string, Unary>).QueryAssetRates as Unary).call(
      client,
      { transaction_type, subject_asset: { group_key: Buffer.from(groupKey, "hex") } },
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
const rateOf = (response: Record<string, unknown>) =>
  (response.ok as { asset_rates: { subjectAssetRate: unknown } } | undefined)?.asset_rates.subjectAssetRate;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the relay's price oracle worker", () => {
  it("makes its certificate, and prices LV from the chain's pricing with the liquidity report's premium", async () => {
    expect(await worker.status()).toMatchObject({
      certificate: certPath(),
      certificateMadeThisStart: true,
      lvGroupKey: GROUP_KEY,
      lvAssetIds: [ASSET_ID],
    });
    // sale factor 10000 + 200 + 50, purchase 10000 + 200 - 50
    expect(rateOf(await ask("SALE"))).toEqual({ coefficient: "97560975609756097560", scale: 12 });
    expect(rateOf(await ask("PURCHASE"))).toEqual({ coefficient: "98522167487684729065", scale: 12 });
    expect(answers.get({ type: "SALE", outcome: "ok" })).toBe(1);
    expect(answers.get({ type: "PURCHASE", outcome: "ok" })).toBe(1);
  });

  it("reads the chain once for a burst of 50 requests", async () => {
    await wait(1_100);
    reads.length = 0;
    const burst = await Promise.all(Array.from({ length: 50 }, () => ask("SALE")));
    expect(new Set(burst.map((r) => JSON.stringify(rateOf(r)))).size).toBe(1);
    expect(reads.sort()).toEqual(["liquidity-oracle.get-liquidity", "lv-ledger.get-lv-pricing"]);
  });

  it("refuses while no lv-pricing has passed, and while the chain cannot be read", async () => {
    await wait(1_100);
    pricing = Cl.none();
    expect((await ask("SALE")).error).toEqual({ message: "the DAO has set no LV pricing (lv-pricing) yet", code: 0 });
    await wait(1_100);
    chainDown = true;
    expect((await ask("SALE")).error).toEqual({
      message: "price unavailable: the Stacks node is unreachable",
      code: 0,
    });
    // a failed read is not cached: the next request reads again and prices
    chainDown = false;
    pricing = PRICING;
    expect(rateOf(await ask("SALE"))).toEqual({ coefficient: "97560975609756097560", scale: 12 });
    expect(answers.get({ type: "unknown", outcome: "chain-error" })).toBe(1);
  });

  it("refuses another group", async () => {
    expect((await ask("SALE", `02${"5a".repeat(32)}`)).error).toMatchObject({ code: 1 });
  });
});
