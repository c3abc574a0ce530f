// The price oracle's answers (which asset, which side, the rate and the expiry, each refusal with its code) and
// the service itself over TLS, asked by a gRPC client pinned to the certificate the oracle made and keeps.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetRate } from "./oracle-rate.ts";
import {
  answerQuery,
  ORACLE_ERROR,
  priceOracleClient,
  startPriceOracle,
  type OracleInputs,
  type QueryAssetRatesRequest,
  type QueryAssetRatesResponse,
  type RunningPriceOracle,
} from "./price-oracle.ts";
import { loadOrCreateTlsIdentity } from "./tls-cert.ts";

const GROUP_KEY = `02${"ab".repeat(32)}`;
const ASSET_ID = "cd".repeat(32);
const BTC = { id: "asset_id" as const, asset_id: Buffer.alloc(32) };
const asset = { groupKey: GROUP_KEY, assetIds: [ASSET_ID] };
const inputs: OracleInputs = {
  pricing: { referenceMsat: 1000n, spreadBps: 100n, quoteTtl: 300n, maxTradeLv: 1_000_000n },
  premiumBps: 250n,
};
const NOW = 1_800_000_000;

const request = (overrides: Partial<QueryAssetRatesRequest> = {}): QueryAssetRatesRequest => ({
  transaction_type: "SALE",
  subject_asset: { id: "group_key", group_key: Buffer.from(GROUP_KEY, "hex") },
  subject_asset_max_amount: "1000",
  payment_asset: BTC,
  intent: "INTENT_RECV_PAYMENT",
  ...overrides,
});

const ok = (coefficient: string) => ({
  ok: {
    asset_rates: {
      subjectAssetRate: { coefficient, scale: 12 },
      paymentAssetRate: { coefficient: "100000000000", scale: 0 },
      expiry_timestamp: String(NOW + 300),
    },
  },
});

describe("answerQuery", () => {
  const answers: [string, QueryAssetRatesRequest, OracleInputs | null, string, QueryAssetRatesResponse][] = [
    ["a sale of LV by group key: factor 10300, rounded down", request(), inputs, "ok", ok("97087378640776699029")],
    [
      "a purchase of LV by group key: factor 10200, rounded up",
      request({ transaction_type: "PURCHASE", intent: "INTENT_PAY_INVOICE" }),
      inputs,
      "ok",
      ok("98039215686274509804"),
    ],
    [
      "the group key as hex text",
      request({ subject_asset: { id: "group_key_str", group_key_str: GROUP_KEY.toUpperCase() } }),
      inputs,
      "ok",
      ok("97087378640776699029"),
    ],
    [
      "the group's x-only key",
      request({ subject_asset: { id: "group_key", group_key: Buffer.from(GROUP_KEY.slice(2), "hex") } }),
      inputs,
      "ok",
      ok("97087378640776699029"),
    ],
    [
      "an asset id of the group",
      request({ subject_asset: { id: "asset_id", asset_id: Buffer.from(ASSET_ID, "hex") } }),
      inputs,
      "ok",
      ok("97087378640776699029"),
    ],
    [
      "an older tapd's request without a payment asset",
      request({ payment_asset: null }),
      inputs,
      "ok",
      ok("97087378640776699029"),
    ],
    [
      "another group",
      request({ subject_asset: { id: "group_key", group_key: Buffer.from(`03${"ab".repeat(32)}`, "hex") } }),
      inputs,
      "unsupported-asset",
      {
        error: {
          message: `this oracle prices only LV (group key ${GROUP_KEY}), not group 03${"ab".repeat(32)}`,
          code: ORACLE_ERROR.unsupportedAsset,
        },
      },
    ],
    [
      "another asset id",
      request({ subject_asset: { id: "asset_id_str", asset_id_str: "ef".repeat(32) } }),
      inputs,
      "unsupported-asset",
      {
        error: {
          message: `this oracle prices only LV (group key ${GROUP_KEY}), not asset ${"ef".repeat(32)}`,
          code: ORACLE_ERROR.unsupportedAsset,
        },
      },
    ],
    [
      "a payment asset that is not BTC",
      request({ payment_asset: { id: "asset_id", asset_id: Buffer.from(ASSET_ID, "hex") } }),
      inputs,
      "unsupported-payment-asset",
      {
        error: { message: `LV is priced in BTC only, not asset ${ASSET_ID}`, code: ORACLE_ERROR.unsupportedAsset },
      },
    ],
    [
      "no subject asset",
      request({ subject_asset: {} }),
      inputs,
      "bad-request",
      { error: { message: "subject_asset is missing", code: ORACLE_ERROR.unspecified } },
    ],
    [
      "no pricing on-chain yet",
      request(),
      null,
      "no-pricing",
      { error: { message: "the DAO has set no LV pricing (lv-pricing) yet", code: ORACLE_ERROR.unspecified } },
    ],
    [
      "a maximum amount over the per-trade limit",
      request({ subject_asset_max_amount: "1000001" }),
      inputs,
      "over-limit",
      {
        error: {
          message: "subject_asset_max_amount 1000001 is over the DAO's per-trade limit of 1000000 LV units",
          code: ORACLE_ERROR.unspecified,
        },
      },
    ],
    [
      "a spread that leaves no purchase price",
      request({ transaction_type: "PURCHASE" }),
      { ...inputs, pricing: { ...inputs.pricing, spreadBps: 21_000n }, premiumBps: 0n },
      "no-price",
      {
        error: {
          message: "the spread and premium leave no purchase price: the DAO buys no LV",
          code: ORACLE_ERROR.unspecified,
        },
      },
    ],
  ];
  it.each(answers)("%s", (_, req, given, outcome, response) => {
    const answer = answerQuery(req, asset, given, NOW);
    expect(answer.outcome).toBe(outcome);
    expect(answer.response).toEqual(response);
  });

  it("refuses every asset while LV has no group key yet", () => {
    expect(answerQuery(request(), null, inputs, NOW)).toEqual({
      outcome: "unsupported-asset",
      response: {
        error: {
          message: `this oracle prices only LV, and LV has no group key yet (not minted): not group ${GROUP_KEY}`,
          code: ORACLE_ERROR.unsupportedAsset,
        },
      },
    });
  });

  it("gives the rate oracle-rate.ts computes, at the limit amount", () => {
    const answer = answerQuery(request({ subject_asset_max_amount: "1000000" }), asset, inputs, NOW);
    expect(answer.response).toEqual(ok(assetRate(inputs.pricing, inputs.premiumBps, "SALE").coefficient));
  });
});

describe("the oracle service over TLS", () => {
  let dir: string;
  let oracle: RunningPriceOracle;
  let client: grpc.Client;
  let current: OracleInputs | null = inputs;
  let certPem: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lvdao-oracle-"));
    const tls = loadOrCreateTlsIdentity(join(dir, "tls.cert"), join(dir, "tls.key"), ["localhost", "127.0.0.1"]);
    certPem = tls.certPem;
    oracle = await startPriceOracle({
      listen: { host: "127.0.0.1", port: 0 },
      tls,
      asset: () => asset,
      inputs: async () => current,
      now: () => NOW,
    });
    client = priceOracleClient(oracle.address, certPem);
  });

  afterAll(async () => {
    client?.close();
    await oracle?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (req: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      (
        client as unknown as Record<
          string,
          (r: object, cb: (e: Error | null, v: Record<string, unknown>) => void) => void
        >
      ).QueryAssetRates?.(req, (error, value) => (error ? reject(error) : resolve(value))),
    );

  it("answers a sale of LV with the DAO's rate and expiry", async () => {
    expect(oracle.address).toBe(`rfqrpc://127.0.0.1:${oracle.port}`);
    const response = await query({
      transaction_type: "SALE",
      subject_asset: { group_key: Buffer.from(GROUP_KEY, "hex") },
      payment_asset: { asset_id: Buffer.alloc(32) },
    });
    expect(response.ok).toMatchObject({
      asset_rates: {
        subjectAssetRate: { coefficient: "97087378640776699029", scale: 12 },
        paymentAssetRate: { coefficient: "100000000000", scale: 0 },
        expiry_timestamp: String(NOW + 300),
      },
    });
  });

  it("answers another asset with tapd's unsupported-asset error, not a gRPC failure", async () => {
    const response = await query({
      transaction_type: "PURCHASE",
      subject_asset: { asset_id: Buffer.alloc(32, 1) },
      payment_asset: { asset_id: Buffer.alloc(32) },
    });
    expect(response.error).toEqual({
      message: `this oracle prices only LV (group key ${GROUP_KEY}), not asset ${"01".repeat(32)}`,
      code: ORACLE_ERROR.unsupportedAsset,
    });
  });

  it("follows the pricing as it changes", async () => {
    current = { ...inputs, premiumBps: 0n };
    const response = await query({
      transaction_type: "SALE",
      subject_asset: { group_key: Buffer.from(GROUP_KEY, "hex") },
    });
    expect((response.ok as { asset_rates: { subjectAssetRate: unknown } }).asset_rates.subjectAssetRate).toEqual({
      coefficient: "99502487562189054726",
      scale: 12,
    });
    current = inputs;
  });

  it("keeps its certificate across restarts, and refuses a key that is not the certificate's", () => {
    const again = loadOrCreateTlsIdentity(join(dir, "tls.cert"), join(dir, "tls.key"), ["localhost"]);
    expect(again).toMatchObject({ created: false, certPem });
    const other = mkdtempSync(join(tmpdir(), "lvdao-oracle-other-"));
    loadOrCreateTlsIdentity(join(other, "tls.cert"), join(other, "tls.key"), ["localhost"]);
    writeFileSync(join(dir, "tls.key"), readFileSync(join(other, "tls.key")));
    expect(() => loadOrCreateTlsIdentity(join(dir, "tls.cert"), join(dir, "tls.key"), [])).toThrow(
      `price oracle TLS: ${join(dir, "tls.key")} is not the key of ${join(dir, "tls.cert")}`,
    );
    rmSync(join(other, "tls.cert"));
    expect(() => loadOrCreateTlsIdentity(join(other, "tls.cert"), join(other, "tls.key"), [])).toThrow(
      `price oracle TLS: ${join(other, "tls.cert")} is missing but ${join(other, "tls.key")} exists; ` +
        "restore it, or delete both to make a new pair",
    );
    rmSync(other, { recursive: true, force: true });
  });
});
