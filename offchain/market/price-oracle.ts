// tapd's price oracle service (priceoraclerpc.PriceOracle/QueryAssetRates) at the DAO's LV price, over TLS. The
// DAO's tapd, started with experimental.rfq.priceoracleaddress=rfqrpc://<listen>, asks it whenever a peer wants
// an RFQ quote for LV, so every quote the DAO node gives prices LV by the on-chain rules: the reference value,
// the half-spread and the inbound premium (oracle-rate.ts), valid for the on-chain quote lifetime.
// docs/market.md "The price oracle".
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { assetRate, MSAT_PER_BTC, OracleRateError, type OraclePricing, type TransactionType } from "./oracle-rate.ts";

const require = createRequire(import.meta.url);
const PROTOS = join(dirname(require.resolve("@lightningpolar/tapd-api/package.json")), "protos");
const LOAD_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTOS],
};

/** What the oracle prices from: the on-chain pricing and the premium of the current liquidity snapshot. */
export interface OracleInputs {
  pricing: OraclePricing & {
    /** seconds a quote stays valid */
    quoteTtl: bigint;
    /** LV base units per trade */
    maxTradeLv: bigint;
  };
  premiumBps: bigint;
}

/** The LV asset the oracle prices: its group key (33-byte compressed, hex) and the asset ids in the group. */
export interface OracleAsset {
  groupKey: string;
  assetIds: string[];
}

/**
 * Error codes in QueryAssetRatesErrResponse. tapd 0.8 reads 1 as "unsupported asset"; tapd 0.7 keeps only the
 * message. Either way tapd rejects the peer's quote request.
 */
export const ORACLE_ERROR = { unspecified: 0, unsupportedAsset: 1 } as const;

export type OracleOutcome =
  | "ok"
  | "unsupported-asset"
  | "unsupported-payment-asset"
  | "no-pricing"
  | "no-price"
  | "over-limit"
  | "bad-request";

/** A request as proto-loader decodes it with the options above. */
export interface QueryAssetRatesRequest {
  transaction_type: string;
  subject_asset?: AssetSpecifier | null;
  subject_asset_max_amount: string;
  payment_asset?: AssetSpecifier | null;
  intent: string;
}
interface AssetSpecifier {
  id?: "asset_id" | "asset_id_str" | "group_key" | "group_key_str";
  asset_id?: Buffer;
  asset_id_str?: string;
  group_key?: Buffer;
  group_key_str?: string;
}

export type QueryAssetRatesResponse =
  | {
      ok: {
        asset_rates: {
          subjectAssetRate: { coefficient: string; scale: number };
          paymentAssetRate: { coefficient: string; scale: number };
          expiry_timestamp: string;
        };
      };
    }
  | { error: { message: string; code: number } };

export interface OracleAnswer {
  outcome: OracleOutcome;
  type?: TransactionType;
  response: QueryAssetRatesResponse;
}

const HEX_32 = /^[0-9a-f]{64}$/;
const HEX_33 = /^0[23][0-9a-f]{64}$/;

function specifierHex(spec: AssetSpecifier | null | undefined): { kind: "asset" | "group"; hex: string } | null {
  switch (spec?.id) {
    case "asset_id":
      return { kind: "asset", hex: Buffer.from(spec.asset_id ?? []).toString("hex") };
    case "asset_id_str":
      return { kind: "asset", hex: (spec.asset_id_str ?? "").toLowerCase() };
    case "group_key":
      return { kind: "group", hex: Buffer.from(spec.group_key ?? []).toString("hex") };
    case "group_key_str":
      return { kind: "group", hex: (spec.group_key_str ?? "").toLowerCase() };
    default:
      return null;
  }
}

const failure = (outcome: OracleOutcome, code: number, message: string): OracleAnswer => ({
  outcome,
  response: { error: { message, code } },
});

/**
 * The oracle's answer to one request, pure: which asset, which side, and the rate with its expiry.
 * `inputs` is null while no lv-pricing has been executed on-chain.
 */
export function answerQuery(
  request: QueryAssetRatesRequest,
  asset: OracleAsset | null,
  inputs: OracleInputs | null,
  nowSeconds: number,
): OracleAnswer {
  const type = request.transaction_type;
  if (type !== "SALE" && type !== "PURCHASE")
    return failure("bad-request", ORACLE_ERROR.unspecified, `unknown transaction type ${type}`);
  const subject = specifierHex(request.subject_asset);
  if (!subject) return failure("bad-request", ORACLE_ERROR.unspecified, "subject_asset is missing");
  // tapd names a group by its 33-byte compressed key; a 32-byte x-only key names the same group.
  const ours =
    asset === null
      ? false
      : subject.kind === "asset"
        ? HEX_32.test(subject.hex) && asset.assetIds.includes(subject.hex)
        : HEX_33.test(subject.hex)
          ? subject.hex === asset.groupKey
          : HEX_32.test(subject.hex) && subject.hex === asset.groupKey.slice(2);
  if (!ours)
    return failure(
      "unsupported-asset",
      ORACLE_ERROR.unsupportedAsset,
      asset === null
        ? `this oracle prices only LV, and LV has no group key yet (not minted): not ${subject.kind} ${subject.hex}`
        : `this oracle prices only LV (group key ${asset.groupKey}), not ${subject.kind} ${subject.hex}`,
    );
  const payment = specifierHex(request.payment_asset);
  // An all-zero asset id is tapd's name for BTC; an unset payment asset means the same to older tapd.
  if (payment && !(payment.kind === "asset" && /^0{64}$/.test(payment.hex)))
    return failure(
      "unsupported-payment-asset",
      ORACLE_ERROR.unsupportedAsset,
      `LV is priced in BTC only, not ${payment.kind} ${payment.hex}`,
    );
  if (!inputs) return failure("no-pricing", ORACLE_ERROR.unspecified, "the DAO has set no LV pricing (lv-pricing) yet");
  const maxAmount = BigInt(request.subject_asset_max_amount || "0");
  if (maxAmount > inputs.pricing.maxTradeLv)
    return failure(
      "over-limit",
      ORACLE_ERROR.unspecified,
      `subject_asset_max_amount ${maxAmount} is over the DAO's per-trade limit of ` +
        `${inputs.pricing.maxTradeLv} LV units`,
    );
  let rate: { coefficient: string; scale: number };
  try {
    rate = assetRate(inputs.pricing, inputs.premiumBps, type);
  } catch (error) {
    if (error instanceof OracleRateError) return failure("no-price", ORACLE_ERROR.unspecified, error.message);
    throw error;
  }
  return {
    outcome: "ok",
    type,
    response: {
      ok: {
        asset_rates: {
          subjectAssetRate: rate,
          // The payment asset is BTC: its "units" are msat, 10^11 to the BTC.
          paymentAssetRate: { coefficient: MSAT_PER_BTC.toString(), scale: 0 },
          expiry_timestamp: (BigInt(nowSeconds) + inputs.pricing.quoteTtl).toString(),
        },
      },
    },
  };
}

type ServiceDefinition = grpc.ServiceDefinition;
let service: ServiceDefinition | undefined;

/** priceoraclerpc.PriceOracle from the tapd protos the lightning layer already ships with. */
export function priceOracleService(): ServiceDefinition {
  if (!service) {
    const definition = grpc.loadPackageDefinition(
      protoLoader.loadSync(join(PROTOS, "priceoraclerpc/price_oracle.proto"), LOAD_OPTIONS),
    ) as unknown as { priceoraclerpc: { PriceOracle: { service: ServiceDefinition } } };
    service = definition.priceoraclerpc.PriceOracle.service;
  }
  return service;
}

export interface PriceOracleOptions {
  /** host and port to listen on; port 0 picks a free one */
  listen: { host: string; port: number };
  tls: { certPem: string; keyPem: string };
  /** the LV asset, or null until it is minted; read on every request */
  asset(): OracleAsset | null;
  /** the current pricing and premium, or null when none is set; called on every request */
  inputs(): Promise<OracleInputs | null>;
  now?: () => number;
  /** each answered request (metrics, logs) */
  onAnswer?: (answer: OracleAnswer, request: QueryAssetRatesRequest) => void;
  onError?: (error: Error) => void;
}

export interface RunningPriceOracle {
  host: string;
  port: number;
  /** `rfqrpc://host:port`, the value for tapd's experimental.rfq.priceoracleaddress */
  address: string;
  stop(): Promise<void>;
}

function checkedAsset(asset: OracleAsset | null): OracleAsset | null {
  if (asset === null) return null;
  if (!HEX_33.test(asset.groupKey))
    throw new Error(`price oracle: group key must be 33 bytes of compressed-key hex, got ${asset.groupKey}`);
  for (const id of asset.assetIds)
    if (!HEX_32.test(id)) throw new Error(`price oracle: asset id must be 32 bytes of hex, got ${id}`);
  return asset;
}

export async function startPriceOracle(options: PriceOracleOptions): Promise<RunningPriceOracle> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const server = new grpc.Server();
  server.addService(priceOracleService(), {
    QueryAssetRates: (
      call: grpc.ServerUnaryCall<QueryAssetRatesRequest, QueryAssetRatesResponse>,
      callback: grpc.sendUnaryData<QueryAssetRatesResponse>,
    ) => {
      options
        .inputs()
        .then((inputs) => {
          const answer = answerQuery(call.request, checkedAsset(options.asset()), inputs, now());
          options.onAnswer?.(answer, call.request);
          callback(null, answer.response);
        })
        .catch((error: Error) => {
          options.onError?.(error);
          // A failed chain read is not the peer's fault: answer with an oracle error tapd passes on as a reject.
          callback(null, { error: { message: `price unavailable: ${error.message}`, code: ORACLE_ERROR.unspecified } });
        });
    },
  });
  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ cert_chain: Buffer.from(options.tls.certPem), private_key: Buffer.from(options.tls.keyPem) }],
    false,
  );
  const host = options.listen.host;
  const bindHost = host.includes(":") ? `[${host}]` : host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${options.listen.port}`, credentials, (error, bound) =>
      error
        ? reject(new Error(`price oracle: cannot listen on ${host}:${options.listen.port}: ${error.message}`))
        : resolve(bound),
    ),
  );
  return {
    host,
    port,
    address: `rfqrpc://${bindHost}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // In-flight calls get a second to finish; then the listener goes regardless.
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000).unref();
      }),
  };
}

/** A client for the oracle, pinned to its certificate: tests, the bench and `lvdao` diagnostics use it. */
export function priceOracleClient(address: string, certPem: string): grpc.Client {
  const Client = grpc.makeGenericClientConstructor(priceOracleService(), "PriceOracle");
  return new Client(address.replace(/^rfqrpc:\/\//, ""), grpc.credentials.createSsl(Buffer.from(certPem)));
}
