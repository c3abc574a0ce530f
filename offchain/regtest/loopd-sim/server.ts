// The REST front of the loopd simulator: loopd's grpc-gateway routes over HTTPS, each checked against the macaroon
// permissions loopd's own RPC server requires (looprpc perms.go), JSON in and out in loopd's field names.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkMacaroon, MacaroonError, type Permission } from "../lnd-tapd-sim/macaroon.ts";
import { defaultLiquidityParameters, liquidityParametersJson, parseLiquidityParameters } from "./liquidity-params.ts";
import type { SwapPricing } from "./pricing.ts";
import type { SwapEngine, SwapFilter } from "./swaps.ts";
import {
  boolField,
  bytesField,
  channelIdFromUint64,
  GRPC,
  int32Field,
  int64Field,
  invalid,
  LoopRpcError,
  satsField,
  stringField,
  swapResponseJson,
  swapStatusJson,
  toBase64,
} from "./wire.ts";

type Query = URLSearchParams;
type Handler = (params: Record<string, string>, query: Query, body: Record<string, unknown>) => Promise<unknown>;

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  names: string[];
  permissions: Permission[];
  handler: Handler;
}

const perm = (...pairs: string[]): Permission[] =>
  pairs.map((pair) => ({ entity: pair.split(":")[0] as string, action: pair.split(":")[1] as string }));

/** Every permission this simulator checks; the admin macaroon it bakes grants them all. */
export const LOOP_PERMISSIONS: Permission[] = perm(
  "swap:execute",
  "swap:read",
  "loop:out",
  "loop:in",
  "terms:read",
  "suggestions:read",
  "suggestions:write",
);

function route(method: Route["method"], path: string, permissions: Permission[], handler: Handler): Route {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return "([^/]+)";
    })}$`,
  );
  return { method, pattern, names, permissions, handler };
}

const swapTypeFilter = (value: string | null): SwapFilter["type"] => {
  if (value === null || value === "" || value === "ANY" || value === "0") return undefined;
  if (value === "LOOP_OUT" || value === "1") return "LOOP_OUT";
  if (value === "LOOP_IN" || value === "2") return "LOOP_IN";
  throw invalid(`list_swap_filter.swap_type: invalid value ${JSON.stringify(value)}`);
};

export function loopRoutes(engine: SwapEngine, pricing: SwapPricing, serverPubkey: string): Route[] {
  let liquidity = defaultLiquidityParameters();
  const confTarget = (query: Query, fallback: number) => {
    const value = int32Field(query.get("conf_target") ?? undefined, "conf_target");
    return value === 0 ? fallback : value;
  };
  return [
    route("GET", "/v1/loop/out/terms", perm("terms:read", "loop:out"), async () => ({
      min_swap_amount: String(pricing.loopOut.minSats),
      max_swap_amount: String(pricing.loopOut.maxSats),
      min_cltv_delta: pricing.loopOut.minCltvDelta,
      max_cltv_delta: pricing.loopOut.maxCltvDelta,
    })),
    route("GET", "/v1/loop/in/terms", perm("terms:read", "loop:in"), async () => ({
      min_swap_amount: String(pricing.loopIn.minSats),
      max_swap_amount: String(pricing.loopIn.maxSats),
    })),
    route("GET", "/v1/loop/out/quote/{amt}", perm("swap:read", "loop:out"), async (params, query) => {
      const target = confTarget(query, pricing.loopOutConfTarget);
      const price = await engine.loopOutQuote(satsField(params.amt, "amt"), target);
      return {
        swap_fee_sat: String(price.swapFeeSats),
        prepay_amt_sat: String(price.prepaySats),
        htlc_sweep_fee_sat: String(price.sweepFeeSats),
        swap_payment_dest: toBase64(serverPubkey),
        cltv_delta: pricing.loopOut.cltvDelta,
        conf_target: target,
        asset_rfq_info: null,
      };
    }),
    route("GET", "/v1/loop/in/quote/{amt}", perm("swap:read", "loop:in"), async (params, query) => {
      const target = confTarget(query, pricing.loopInConfTarget);
      if (query.get("loop_in_last_hop")) bytesField(query.get("loop_in_last_hop"), "loop_in_last_hop");
      const quote = await engine.loopInQuote(satsField(params.amt, "amt"), target);
      return {
        swap_fee_sat: String(quote.swapFeeSats),
        htlc_publish_fee_sat: String(quote.publishFeeSats),
        cltv_delta: pricing.loopIn.cltvDelta,
        conf_target: target,
      };
    }),
    route("POST", "/v1/loop/out", perm("swap:execute", "loop:out"), async (_, __, body) => {
      if (Array.isArray(body.reservation_ids) && body.reservation_ids.length > 0)
        throw invalid("instant out reservations are not supported by the loop simulator");
      if (body.asset_info) throw invalid("asset swaps are not supported by the loop simulator");
      const chanSet = [
        ...((body.outgoing_chan_set as unknown[] | undefined) ?? []),
        ...(body.loop_out_channel ? [body.loop_out_channel] : []),
      ];
      const swap = await engine.startLoopOut({
        amountSats: satsField(body.amt, "amt"),
        dest: stringField(body.dest, "dest"),
        maxSwapRoutingFeeSats: satsField(body.max_swap_routing_fee, "max_swap_routing_fee"),
        maxPrepayRoutingFeeSats: satsField(body.max_prepay_routing_fee, "max_prepay_routing_fee"),
        maxSwapFeeSats: satsField(body.max_swap_fee, "max_swap_fee"),
        maxPrepaySats: satsField(body.max_prepay_amt, "max_prepay_amt"),
        maxMinerFeeSats: satsField(body.max_miner_fee, "max_miner_fee"),
        outgoingChanSet: chanSet.map((id, index) => channelIdFromUint64(int64Field(id, `outgoing_chan_set[${index}]`))),
        sweepConfTarget: int32Field(body.sweep_conf_target, "sweep_conf_target") || pricing.loopOutConfTarget,
        label: stringField(body.label, "label"),
      });
      return swapResponseJson(swap);
    }),
    route("POST", "/v1/loop/in", perm("swap:execute", "loop:in"), async (_, __, body) => {
      if (boolField(body.external_htlc, "external_htlc"))
        throw invalid("external htlcs are not supported by the loop simulator");
      const lastHop = bytesField(body.last_hop, "last_hop");
      if (lastHop.length !== 0 && lastHop.length !== 33) throw invalid("last_hop must be a 33-byte public key");
      const swap = await engine.startLoopIn({
        amountSats: satsField(body.amt, "amt"),
        maxSwapFeeSats: satsField(body.max_swap_fee, "max_swap_fee"),
        maxMinerFeeSats: satsField(body.max_miner_fee, "max_miner_fee"),
        lastHop: lastHop.toString("hex"),
        htlcConfTarget: int32Field(body.htlc_conf_target, "htlc_conf_target") || pricing.loopInConfTarget,
        label: stringField(body.label, "label"),
      });
      return swapResponseJson(swap);
    }),
    route("GET", "/v1/loop/swaps", perm("swap:read"), async (_, query) => {
      const lastHop = query.get("list_swap_filter.loop_in_last_hop");
      const swaps = engine.list({
        type: swapTypeFilter(query.get("list_swap_filter.swap_type")),
        pendingOnly: boolField(
          query.get("list_swap_filter.pending_only") ?? undefined,
          "list_swap_filter.pending_only",
        ),
        label: query.get("list_swap_filter.label") ?? undefined,
        outgoingChanSet: query
          .getAll("list_swap_filter.outgoing_chan_set")
          .map((id) => channelIdFromUint64(int64Field(id, "list_swap_filter.outgoing_chan_set"))),
        lastHop: lastHop ? bytesField(lastHop, "list_swap_filter.loop_in_last_hop").toString("hex") : undefined,
        startTimestampMs: Number(
          int64Field(
            query.get("list_swap_filter.start_timestamp_ns") ?? undefined,
            "list_swap_filter.start_timestamp_ns",
          ) / 1_000_000n,
        ),
        max: Number(int64Field(query.get("max_swaps") ?? undefined, "max_swaps")),
      });
      return { swaps: swaps.map(swapStatusJson), next_start_time: "0" };
    }),
    route("GET", "/v1/loop/swap/{id}", perm("swap:read"), async (params) => {
      const id = bytesField(decodeURIComponent(params.id as string), "id");
      if (id.length !== 32) throw invalid("swap id must be 32 bytes");
      return swapStatusJson(engine.get(id.toString("hex")));
    }),
    route("GET", "/v1/liquidity/params", perm("suggestions:read"), async () => liquidityParametersJson(liquidity)),
    route("POST", "/v1/liquidity/params", perm("suggestions:write"), async (_, __, body) => {
      liquidity = parseLiquidityParameters(body);
      return {};
    }),
  ];
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) reject(invalid("request body too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (!text) return resolve({});
      try {
        const parsed = JSON.parse(text) as unknown;
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          reject(invalid("request body must be a JSON object"));
        else resolve(parsed as Record<string, unknown>);
      } catch (error) {
        reject(invalid(`request body is not JSON: ${(error as Error).message}`));
      }
    });
    req.on("error", reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export async function serveLoopRest(options: {
  host: string;
  port: number;
  certPem: string;
  keyPem: string;
  rootKey: Buffer;
  routes: Route[];
}): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: options.certPem, key: options.keyPem }, (req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "https://loopd");
        const matching = options.routes.filter((r) => r.pattern.test(url.pathname));
        const found = matching.find((r) => r.method === req.method);
        if (!found) {
          if (matching.length > 0)
            return answer(res, 405, { code: GRPC.UNIMPLEMENTED, message: "Method Not Allowed", details: [] });
          return answer(res, 404, { code: GRPC.NOT_FOUND, message: "Not Found", details: [] });
        }
        const header = req.headers["grpc-metadata-macaroon"];
        try {
          checkMacaroon(
            header === undefined ? [] : Array.isArray(header) ? header : [header],
            options.rootKey,
            found.permissions,
          );
        } catch (error) {
          if (error instanceof MacaroonError) throw new LoopRpcError(error.message);
          throw error;
        }
        const match = found.pattern.exec(url.pathname) as RegExpExecArray;
        const params = Object.fromEntries(found.names.map((name, index) => [name, match[index + 1] as string]));
        const body = req.method === "POST" ? await readBody(req) : {};
        answer(res, 200, await found.handler(params, url.searchParams, body));
      } catch (error) {
        const failure = error instanceof LoopRpcError ? error : new LoopRpcError((error as Error).message);
        answer(res, failure.httpStatus, failure.body());
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
