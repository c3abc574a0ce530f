// (o) The price oracle under load: 100 QueryAssetRates at once, as tapd would send them for 100 peers' RFQs, from
// one gRPC client over TLS pinned to the oracle's certificate; the p95 of each call's latency over `rounds` rounds.
// The oracle answers from a fixed pricing (the relay reads the chain at most once a second and reuses the answer,
// so a burst costs the rate arithmetic, not a chain read). Baseline, same run and same client: a bare gRPC echo
// of PriceOracle over the same TLS that returns a prepared answer of the same size, the floor any oracle pays.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import {
  answerQuery,
  priceOracleClient,
  priceOracleService,
  startPriceOracle,
  type OracleInputs,
  type QueryAssetRatesResponse,
} from "../../offchain/market/price-oracle.ts";
import { loadOrCreateTlsIdentity } from "../../offchain/market/tls-cert.ts";
import { progress, quantile, report } from "./figures.ts";

const CONCURRENCY = 100;
const GROUP_KEY = `02${"ab".repeat(32)}`;
const ASSET = { groupKey: GROUP_KEY, assetIds: ["cd".repeat(32)] };
const INPUTS: OracleInputs = {
  pricing: { referenceMsat: 1000n, spreadBps: 100n, quoteTtl: 300n, maxTradeLv: 1_000_000n },
  premiumBps: 250n,
};
const REQUEST = {
  transaction_type: "SALE",
  subject_asset: { group_key: Buffer.from(GROUP_KEY, "hex") },
  subject_asset_max_amount: "100000",
  payment_asset: { asset_id: Buffer.alloc(32) },
  intent: "INTENT_RECV_PAYMENT",
};

type Unary = (request: object, callback: (error: grpc.ServiceError | null, value: unknown) => void) => void;

/** Latencies (ms) of `rounds` bursts of CONCURRENCY calls, after one unmeasured burst. */
async function bursts(client: grpc.Client, rounds: number): Promise<number[]> {
  const method = (client as unknown as Record<string, Unary>).QueryAssetRates as Unary;
  const one = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      method.call(client, REQUEST, (error, value) => {
        if (error) reject(error);
        else if (!(value as { ok?: unknown }).ok) reject(new Error(`the oracle refused: ${JSON.stringify(value)}`));
        else resolve(performance.now() - started);
      });
    });
  const out: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const latencies = await Promise.all(Array.from({ length: CONCURRENCY }, one));
    if (round > 0) out.push(...latencies);
  }
  return out;
}

async function echoServer(tls: { certPem: string; keyPem: string }, answer: QueryAssetRatesResponse) {
  const server = new grpc.Server();
  server.addService(priceOracleService(), {
    QueryAssetRates: (_: unknown, callback: grpc.sendUnaryData<QueryAssetRatesResponse>) => callback(null, answer),
  });
  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }],
    false,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { address: `rfqrpc://127.0.0.1:${port}`, stop: () => new Promise<void>((r) => server.tryShutdown(() => r())) };
}

export async function priceOracleLatency(rounds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lvdao-bench-oracle-"));
  const tls = loadOrCreateTlsIdentity(join(dir, "tls.cert"), join(dir, "tls.key"), ["localhost", "127.0.0.1"]);
  progress(`price oracle: ${rounds} rounds of ${CONCURRENCY} concurrent QueryAssetRates over TLS...`);
  const oracle = await startPriceOracle({
    listen: { host: "127.0.0.1", port: 0 },
    tls,
    asset: () => ASSET,
    inputs: async () => INPUTS,
  });
  const echo = await echoServer(
    tls,
    answerQuery(
      { ...REQUEST, subject_asset: { id: "group_key", group_key: REQUEST.subject_asset.group_key } },
      ASSET,
      INPUTS,
      Math.floor(Date.now() / 1000),
    ).response,
  );
  const clients = [priceOracleClient(oracle.address, tls.certPem), priceOracleClient(echo.address, tls.certPem)];
  try {
    // Alternate which one goes first so neither gets the warmer process.
    const own: number[] = [];
    const bare: number[] = [];
    for (let half = 0; half < 2; half++) {
      const order = half === 0 ? [0, 1] : [1, 0];
      for (const which of order) (which === 0 ? own : bare).push(...(await bursts(clients[which]!, rounds / 2)));
    }
    report({
      name: `price oracle p95, ${CONCURRENCY} concurrent RFQs`,
      value: quantile(own, 0.95),
      unit: "ms",
      baselineName: "bare gRPC echo p95",
      baseline: quantile(bare, 0.95),
    });
    report({
      name: `price oracle p50, ${CONCURRENCY} concurrent RFQs`,
      value: quantile(own, 0.5),
      unit: "ms",
      baselineName: "bare gRPC echo p50",
      baseline: quantile(bare, 0.5),
    });
  } finally {
    for (const client of clients) client.close();
    await oracle.stop();
    await echo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
