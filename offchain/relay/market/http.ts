// The desk's HTTP API, served by the relay's status server (loopback by default): docs/market.md, "The desk API".
// Integers are decimal strings; a refusal is 4xx {error, reason} and moves nothing.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DeskQuote, DeskTrade } from "../journal/desk-types.ts";
import type { Logger } from "../log.ts";
import type { Desk } from "./desk.ts";
import { DeskError } from "./errors.ts";
import { canonicalTradeList, summarize } from "./summary.ts";

/** Bodies are a few hundred bytes; anything much larger is not a desk request. */
const MAX_BODY = 16_384;

const text = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

export function quoteJson(q: DeskQuote) {
  return {
    quoteId: q.id,
    side: q.side,
    lv: q.lv.toString(),
    sats: q.sats.toString(),
    premiumBps: q.premiumBps.toString(),
    inboundBps: q.inboundBps.toString(),
    expiresAt: q.expiresAt,
    groupKey: q.groupKey,
  };
}

/** A trade as the API shows it: never its preimage. */
export function tradeJson(t: DeskTrade) {
  return {
    tradeId: t.id,
    quoteId: t.quoteId,
    side: t.side,
    state: t.state,
    lv: t.lv.toString(),
    sats: t.sats.toString(),
    premiumBps: t.premiumBps.toString(),
    period: t.period.toString(),
    tapAddress: t.tapAddress,
    invoice: t.invoice,
    paymentHash: t.paymentHash,
    anchor: t.anchorTxid,
    feeMsat: t.feeMsat?.toString() ?? null,
    detail: t.detail,
    deadline: t.deadline,
    createdAt: Math.floor(t.createdAt / 1000),
    updatedAt: Math.floor(t.updatedAt / 1000),
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new DeskError("bad-request", `the body is over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body && typeof body === "object" && !Array.isArray(body)) return body;
  } catch {
    // reported below
  }
  throw new DeskError("bad-request", "the body must be a JSON object");
}

export interface MarketApi {
  /** Answers a request under /market; false when the path is not the desk's. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

export function marketApi(desk: Desk, log: Logger, afterTrade: () => void = () => undefined): MarketApi {
  const send = (res: ServerResponse, status: number, value: unknown) =>
    res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(text(value));

  const route = async (req: IncomingMessage, path: string): Promise<[number, unknown] | undefined> => {
    const method = req.method ?? "GET";
    if (path === "/market/pricing" && method === "GET") {
      const view = await desk.view();
      return [200, view];
    }
    if (path === "/market/unmatched" && method === "GET") return [200, await desk.deps.store.unmatched()];
    if (path === "/market/summaries" && method === "GET") return [200, await desk.deps.store.summaries()];
    const period = /^\/market\/periods\/([0-9]{1,19})$/.exec(path);
    if (period && method === "GET") {
      const n = BigInt(period[1] ?? "0");
      const trades = await desk.deps.store.tradesInPeriod(n);
      return [200, { ...summarize(n, trades), canonical: canonicalTradeList(trades) }];
    }
    const trade = /^\/market\/trades\/([0-9a-f]{32})$/.exec(path);
    if (trade && method === "GET") return [200, tradeJson(await desk.trade(trade[1]))];
    if (method !== "POST") return undefined;
    if (path === "/market/quote") {
      const body = await readJson(req);
      return [200, quoteJson(await desk.quote(body.side, body.lv))];
    }
    if (path === "/market/buy") {
      const body = await readJson(req);
      const opened = await desk.buy(body.quoteId, body.tapAddress);
      afterTrade();
      return [200, { ...tradeJson(opened), invoice: opened.invoice }];
    }
    if (path === "/market/sell") {
      const body = await readJson(req);
      const opened = await desk.sell(body.quoteId, body.invoice);
      afterTrade();
      return [200, { ...tradeJson(opened), tapAddress: opened.tapAddress }];
    }
    return undefined;
  };

  return {
    async handle(req, res, path) {
      if (path !== "/market" && !path.startsWith("/market/")) return false;
      try {
        const answer = await route(req, path);
        if (answer) send(res, answer[0], answer[1]);
        else send(res, 404, { error: "not-found", reason: `no desk route ${req.method} ${path}` });
      } catch (error) {
        if (error instanceof DeskError) send(res, error.status, { error: error.code, reason: error.reason });
        else {
          log.warn("desk request failed", { path, error: (error as Error).message });
          send(res, 503, { error: "unavailable", reason: (error as Error).message });
        }
      }
      return true;
    },
  };
}
