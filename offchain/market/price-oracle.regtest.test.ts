// Real tapd asks the DAO's price oracle: dao's tapd runs with experimental.rfq.priceoracleaddress pointing at the
// oracle (TLS, its own self-signed certificate), LV is minted there as a grouped asset, and contributor's tapd
// asks dao's tapd for a buy quote and a sell quote over lnd's custom messages (rfqrpc AddAssetBuyOrder and
// AddAssetSellOrder to dao's node). Each accepted quote carries exactly the oracle's rate, premium included, and
// an RFQ for another group is rejected. The least setup that gets a quote: one plain BTC channel from contributor
// to dao and skip_asset_channel_check on the order; contributor's tapd has no oracle of its own, so it runs with
// skipacceptquotepricecheck (docs/market.md "The price oracle").
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as L from "../lightning/index.ts";
import { loadCredentials } from "../lightning/connection/credentials.ts";
import { eventually } from "../lightning/test/stack.ts";
import { freePorts } from "../regtest/harness/processes.ts";
import { startRegtest, type RegtestHandle } from "../regtest/harness/index.ts";
import { assetRate } from "./oracle-rate.ts";
import {
  startPriceOracle,
  type OracleAnswer,
  type OracleAsset,
  type OracleInputs,
  type QueryAssetRatesRequest,
  type RunningPriceOracle,
} from "./price-oracle.ts";
import { loadOrCreateTlsIdentity } from "./tls-cert.ts";

const require = createRequire(import.meta.url);
const PROTOS = join(dirname(require.resolve("@lightningpolar/tapd-api/package.json")), "protos");

// 1 LV unit = 1 sat, a 1% spread and a 2.5% inbound premium: a sale at factor 10300, a purchase at 10200.
const INPUTS: OracleInputs = {
  pricing: { referenceMsat: 1000n, spreadBps: 100n, quoteTtl: 600n, maxTradeLv: 1_000_000n },
  premiumBps: 250n,
};

let stack: RegtestHandle;
let oracle: RunningPriceOracle;
let stateDir: string;
let lv: OracleAsset | null = null;
const answers: { request: QueryAssetRatesRequest; answer: OracleAnswer }[] = [];
let rfq: grpc.Client;

type Unary = (
  request: object,
  options: grpc.CallOptions,
  callback: (e: grpc.ServiceError | null, v: unknown) => void,
) => void;
const call = <T>(method: string, request: object): Promise<T> =>
  new Promise((resolve, reject) =>
    ((rfq as unknown as Record<string, Unary>)[method] as Unary).call(
      rfq,
      request,
      { deadline: Date.now() + 60_000 },
      (error, value) => (error ? reject(error) : resolve(value as T)),
    ),
  );

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "lvdao-oracle-regtest-"));
  const tls = loadOrCreateTlsIdentity(join(stateDir, "oracle.cert"), join(stateDir, "oracle.key"), [
    "localhost",
    "127.0.0.1",
  ]);
  const [port] = await freePorts(1);
  oracle = await startPriceOracle({
    listen: { host: "127.0.0.1", port: port as number },
    tls,
    asset: () => lv,
    inputs: async () => INPUTS,
    onAnswer: (answer, request) => answers.push({ request, answer }),
  });
  stack = await startRegtest({
    tapdConfig: {
      dao: ["[experimental]", `experimental.rfq.priceoracleaddress=${oracle.address}`],
      contributor: ["[experimental]", "experimental.rfq.skipacceptquotepricecheck=1"],
    },
  });
  const definition = grpc.loadPackageDefinition(
    protoLoader.loadSync(join(PROTOS, "rfqrpc/rfq.proto"), {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [PROTOS],
    }),
  ) as unknown as { rfqrpc: { Rfq: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client } };
  const node = stack.nodes.contributor;
  const { certPem, macaroonHex } = loadCredentials("tapd", {
    certPath: node.tapd_cert_path as string,
    macaroonPath: node.tapd_macaroon_path as string,
  });
  const macaroon = grpc.credentials.createFromMetadataGenerator((_, callback) => {
    const metadata = new grpc.Metadata();
    metadata.add("macaroon", macaroonHex);
    callback(null, metadata);
  });
  rfq = new definition.rfqrpc.Rfq(
    node.tapd_socket as string,
    grpc.credentials.combineChannelCredentials(grpc.credentials.createSsl(Buffer.from(certPem)), macaroon),
  );
});

afterAll(async () => {
  rfq?.close();
  await stack?.stop();
  await oracle?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

interface AcceptedQuote {
  peer: string;
  expiry: string;
  ask_asset_rate?: { coefficient: string; scale: number };
  bid_asset_rate?: { coefficient: string; scale: number };
}
interface OrderResponse {
  response: "accepted_quote" | "invalid_quote" | "rejected_quote";
  accepted_quote?: AcceptedQuote;
  invalid_quote?: unknown;
  rejected_quote?: { peer: string; id: Buffer; error_message: string; error_code: number };
}

describe("contributor's tapd asks dao's tapd for LV quotes", () => {
  let groupKey: string;
  const daoPubkey = () => Buffer.from(stack.nodes.dao.pubkey, "hex");
  const orderExpiry = () => String(Math.floor(Date.now() / 1000) + 600);

  it("LV is minted on dao's tapd as a grouped asset, and contributor opens a BTC channel to dao", async () => {
    const minted = await L.mintGroupedAsset({ tapd: stack.tapd.dao, name: "lv-oracle", amount: 1_000_000n });
    groupKey = minted.asset.groupKey as string;
    lv = { groupKey, assetIds: [minted.asset.assetId] };
    await stack.mine(1);
    const channel = await eventually(
      () =>
        L.openChannel({
          lnd: stack.lnd.contributor,
          peerPubkey: stack.nodes.dao.pubkey,
          localSats: 1_000_000,
          pushSats: 0,
          isPrivate: true,
          memo: "rfq: contributor -> dao",
        }),
      { what: "the channel to dao to be accepted", timeoutMs: 60_000 },
    );
    await stack.mine(3);
    await eventually(
      async () => ((await L.findChannel({ lnd: stack.lnd.contributor, channel }))?.isActive ? true : undefined),
      { what: "the contributor -> dao channel to be active", mine: () => stack.mine(1), timeoutMs: 90_000 },
    );
  });

  it("a buy quote (dao sells LV) carries the oracle's sale rate, premium included", async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await call<OrderResponse>("AddAssetBuyOrder", {
      asset_specifier: { group_key: Buffer.from(groupKey, "hex") },
      asset_max_amt: "100000",
      expiry: orderExpiry(),
      peer_pub_key: daoPubkey(),
      timeout_seconds: 30,
      skip_asset_channel_check: true,
    });
    const after = Math.floor(Date.now() / 1000);
    expect(response.response).toBe("accepted_quote");
    const expected = assetRate(INPUTS.pricing, INPUTS.premiumBps, "SALE");
    expect(expected).toEqual({ coefficient: "97087378640776699029", scale: 12 });
    expect(response.accepted_quote?.ask_asset_rate).toEqual(expected);
    expect(response.accepted_quote?.peer).toBe(stack.nodes.dao.pubkey);
    const expiry = Number(response.accepted_quote?.expiry);
    expect(expiry).toBeGreaterThanOrEqual(before + 600);
    expect(expiry).toBeLessThanOrEqual(after + 600);
    const asked = answers.filter((a) => a.answer.type === "SALE");
    expect(asked.map((a) => [a.request.intent, a.request.subject_asset_max_amount, a.answer.outcome])).toEqual([
      ["INTENT_RECV_PAYMENT", "100000", "ok"],
    ]);
  });

  it("a sell quote (dao buys LV) carries the oracle's purchase rate, premium included", async () => {
    const response = await call<OrderResponse>("AddAssetSellOrder", {
      asset_specifier: { group_key: Buffer.from(groupKey, "hex") },
      payment_max_amt: "10000000",
      expiry: orderExpiry(),
      peer_pub_key: daoPubkey(),
      timeout_seconds: 30,
      skip_asset_channel_check: true,
    });
    expect(response.response).toBe("accepted_quote");
    const expected = assetRate(INPUTS.pricing, INPUTS.premiumBps, "PURCHASE");
    expect(expected).toEqual({ coefficient: "98039215686274509804", scale: 12 });
    expect(response.accepted_quote?.bid_asset_rate).toEqual(expected);
    const asked = answers.filter((a) => a.answer.type === "PURCHASE");
    expect(asked.map((a) => [a.request.intent, a.answer.outcome])).toEqual([["INTENT_PAY_INVOICE", "ok"]]);
  });

  it("a quote for another group gets no accept: the oracle refuses it and dao's tapd rejects the request", async () => {
    // secp256k1's generator point: a valid key that is no LV group.
    const other = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    const asking = call<OrderResponse>("AddAssetBuyOrder", {
      asset_specifier: { group_key: Buffer.from(other, "hex") },
      asset_max_amt: "1000",
      expiry: orderExpiry(),
      peer_pub_key: daoPubkey(),
      timeout_seconds: 5,
      skip_asset_channel_check: true,
    });
    // tapd 0.7 sends the peer a reject, but AddAssetBuyOrder only returns on an accept or on its own checks'
    // refusal, so the asking side sees its timeout (docs/market.md "The price oracle").
    await expect(asking).rejects.toThrow(`timeout waiting for response (peer=${stack.nodes.dao.pubkey})`);
    const last = answers.at(-1);
    expect([last?.request.subject_asset?.group_key?.toString("hex"), last?.answer.outcome]).toEqual([
      other,
      "unsupported-asset",
    ]);
    const quotes = await call<{ buy_quotes: { asset_spec?: { group_pub_key: Buffer } }[] }>(
      "QueryPeerAcceptedQuotes",
      {},
    );
    expect(quotes.buy_quotes.map((q) => q.asset_spec?.group_pub_key.toString("hex"))).not.toContain(other);
  });
});
