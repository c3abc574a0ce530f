// `lvdao market quote`: the LV desk's quote recomputed by anyone, from the DAO's pricing on-chain
// (lv-ledger.get-lv-pricing) and the liquidity oracle's latest snapshot (or channel balances given), with the same
// quote function the desk uses (offchain/market/pricing.ts). Reads only; no key.
import { parseArgs } from "node:util";
import { Cl } from "@stacks/transactions";
import { loadConfig } from "../config.ts";
import { inboundBps, quote, QuoteError, type LiquidityView } from "../../market/pricing.ts";
import { liquidityViewOf, lvPricingOf, type ChainPricing } from "../../market/pricing-chain.ts";
import { UsageError, type Io } from "./io.ts";
import { deploymentApi, type DeploymentApi } from "./verify/node-api.ts";

export const MARKET_USAGE = [
  "  lvdao market quote (--config <relay.toml> | --api <url> --deployer <address>) --side buy|sell --lv <units>",
  "                     [--inbound <sats> --outbound <sats>] [--json]",
  "      the desk's quote for <units> LV base units from the DAO's pricing (lv-ledger.get-lv-pricing) and the",
  "      liquidity oracle's latest snapshot, or the channel balances given; buy = a buyer pays sats for LV (rounded",
  "      up), sell = the desk pays sats for LV (rounded down); exit 65 when the pricing refuses the amount",
].join("\n");

/** Exit code when the pricing refuses the request (EX_DATAERR, as an invalid action). */
const REFUSED_EXIT = 65;

function whole(text: string | undefined, option: string): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} must be a whole number, got ${JSON.stringify(text)}`);
  return BigInt(text);
}

async function readValue(api: DeploymentApi, contractId: string, fn: string) {
  const result = await api.readOnly(contractId, fn, []);
  if (!result.ok) throw new Error(`${contractId}.${fn} could not be read: ${result.cause}`);
  return result.value;
}

/** The pricing and, unless `given`, the oracle's channel balances, as the chain has them now. */
export async function readMarket(
  api: DeploymentApi,
  deployer: string,
  given: LiquidityView | null,
): Promise<{ pricing: ChainPricing | null; liquidity: LiquidityView }> {
  const pricing = lvPricingOf(await readValue(api, `${deployer}.lv-ledger`, "get-lv-pricing"));
  const liquidity = given ?? liquidityViewOf(await readValue(api, `${deployer}.liquidity-oracle`, "get-liquidity"));
  return { pricing, liquidity };
}

async function quoteCommand(argv: string[], io: Io, fetchFn: typeof fetch): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: "string" },
      api: { type: "string" },
      deployer: { type: "string" },
      side: { type: "string" },
      lv: { type: "string" },
      inbound: { type: "string" },
      outbound: { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  const side = values.side;
  if (side !== "buy" && side !== "sell") throw new UsageError("market quote needs --side buy or --side sell");
  const lv = whole(values.lv, "--lv");
  if (lv === undefined) throw new UsageError("market quote needs --lv <LV base units>");
  const inbound = whole(values.inbound, "--inbound");
  const outbound = whole(values.outbound, "--outbound");
  if ((inbound === undefined) !== (outbound === undefined))
    throw new UsageError("give both --inbound and --outbound, or neither to read the liquidity oracle");
  let url: string;
  let deployer: string;
  if (values.config !== undefined) {
    if (values.api !== undefined || values.deployer !== undefined)
      throw new UsageError("market quote takes --config or --api with --deployer, not both");
    const { config } = loadConfig(values.config);
    url = config.stacks.nodeUrl;
    deployer = config.stacks.deployer;
  } else {
    if (values.api === undefined || values.deployer === undefined)
      throw new UsageError("market quote needs --config <relay.toml>, or --api <url> and --deployer <address>");
    if (!/^https?:\/\/[^/]/.test(values.api))
      throw new UsageError(`--api must be an http(s) URL, got ${JSON.stringify(values.api)}`);
    url = values.api;
    deployer = values.deployer;
  }
  Cl.principal(deployer); // a malformed address fails here, before any request
  const given =
    inbound !== undefined && outbound !== undefined ? { inboundSats: inbound, outboundSats: outbound } : null;
  const { pricing, liquidity } = await readMarket(deploymentApi(url, deployer, fetchFn), deployer, given);
  if (!pricing) {
    io.err("lvdao: no lv-pricing has passed: the DAO has not set a price, so there is no quote");
    return REFUSED_EXIT;
  }
  let result: ReturnType<typeof quote>;
  try {
    result = quote(pricing, liquidity, side, lv);
  } catch (error) {
    if (!(error instanceof QuoteError)) throw error;
    io.err(`lvdao: ${error.code}: ${error.reason}`);
    return REFUSED_EXIT;
  }
  const source = given ? "given" : "liquidity-oracle";
  if (values.json) {
    io.out(
      JSON.stringify({
        side,
        lv: String(lv),
        sats: String(result.sats),
        premiumBps: String(result.premiumBps),
        inboundBps: String(result.inboundBps),
        quoteTtl: String(pricing.quoteTtl),
        liquidity: { source, inboundSats: String(liquidity.inboundSats), outboundSats: String(liquidity.outboundSats) },
        pricingSetAt: String(pricing.setAt),
      }),
    );
    return 0;
  }
  const who = side === "buy" ? "a buyer pays" : "the desk pays";
  io.out(`${side} ${lv} LV base units: ${who} ${result.sats} sats`);
  io.out(
    `  premium ${result.premiumBps} bps at inbound ${inboundBps(liquidity)} bps ` +
      `(${liquidity.inboundSats} in / ${liquidity.outboundSats} out, ${source}); ` +
      `target ${pricing.targetInboundBps} bps`,
  );
  io.out(
    `  pricing set at Stacks block ${pricing.setAt}: ${pricing.referenceMsat} msat per LV unit, ` +
      `spread ${pricing.spreadBps} bps, valid ${pricing.quoteTtl} s, at most ${pricing.maxTradeLv} LV a trade`,
  );
  return 0;
}

export async function marketCommand(
  command: string | undefined,
  args: string[],
  io: Io,
  fetchFn: typeof fetch = fetch,
): Promise<number> {
  if (command === "quote") return await quoteCommand(args, io, fetchFn);
  throw new UsageError(`unknown market command: ${command ?? "(none)"}`);
}
