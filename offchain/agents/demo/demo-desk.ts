// The demo's desk: the desk HTTP API (POST /market/quote, POST /market/buy, GET /market/trades/{id}) over the DAO
// node, quoting with the pricing function (offchain/market/pricing.ts) from the demo's pricing and the DAO node's
// live channel balances. It stands in for the relay's desk so the demo runs without a Stacks chain: no journal and
// no crash recovery. A buy gets a hold invoice; once the buyer's HTLC is held, the LV goes out in one tapd send per
// block for every trade held since the last one (a send spends the previous one's change, which must confirm
// first), and the invoice is settled once that send's anchor has confirmed; a failed send cancels the invoices.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuthenticatedLnd } from "lightning";
import { createHash, randomBytes } from "node:crypto";
import {
  cancelHodlInvoice,
  createHodlInvoice,
  lookupInvoice,
  sendAsset,
  settleHodlInvoice,
} from "../../lightning/index.ts";
import type { TapdClient } from "../../lightning/connection/tapd.ts";
import { quote as priceQuote, type LiquidityView, type LvPricing } from "../../market/pricing.ts";

export interface DemoDeskOptions {
  pricing: LvPricing;
  groupKey: string;
  lnd: AuthenticatedLnd;
  tapd: TapdClient;
  liquidity(): Promise<LiquidityView>;
  height(): number;
  /** the most recipients in one tapd send */
  maxSendRecipients: number;
  now?: () => number;
}

interface DeskTradeRecord {
  tradeId: string;
  quoteId: string;
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  tapAddress: string;
  paymentHash: string;
  preimage: string;
  state: "quoted" | "held" | "sending" | "settled" | "cancelled";
  sentAtHeight: number;
}

export interface DemoDesk {
  url: string;
  stats(): { trades: number; settled: number; lvSold: bigint; satsReceived: bigint };
  /** Moves trades along: paid invoices to held, held trades into one send, confirmed sends to settled. */
  step(): Promise<void>;
  stop(): Promise<void>;
}

const TAP_ADDRESS = /^tap(rt|tb)?1[02-9ac-hj-np-z]+$/;

export async function startDemoDesk(options: DemoDeskOptions): Promise<DemoDesk> {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const quotes = new Map<string, { lv: bigint; sats: bigint; premiumBps: bigint; expiresAt: number; used: boolean }>();
  const trades = new Map<string, DeskTradeRecord>();
  let next = 1;
  let sendInFlight: { height: number } | null = null;
  let stepping: Promise<void> | null = null;

  const handle = async (method: string, path: string, body: Record<string, unknown>) => {
    if (method === "POST" && path === "/market/quote") {
      if (body.side !== "buy") return refuse(400, "bad-side", "the demo desk only sells LV (side buy)");
      if (typeof body.lv !== "string" || !/^[1-9]\d{0,30}$/.test(body.lv))
        return refuse(400, "wrong-amount", "lv must be a positive integer as a decimal string");
      const lv = BigInt(body.lv);
      if (lv > options.pricing.maxTradeLv)
        return refuse(400, "over-limit", `lv ${lv} is over the per-trade limit ${options.pricing.maxTradeLv}`);
      const q = priceQuote(options.pricing, await options.liquidity(), "buy", lv);
      const quoteId = `q${next++}`;
      const expiresAt = now() + Number(options.pricing.quoteTtl);
      quotes.set(quoteId, { lv, sats: q.sats, premiumBps: q.premiumBps, expiresAt, used: false });
      return ok({
        quoteId,
        side: "buy",
        lv: lv.toString(),
        sats: q.sats.toString(),
        premiumBps: q.premiumBps.toString(),
        inboundBps: q.inboundBps.toString(),
        expiresAt: String(expiresAt),
        groupKey: options.groupKey,
      });
    }
    if (method === "POST" && path === "/market/buy") {
      const quoteId = String(body.quoteId ?? "");
      const q = quotes.get(quoteId);
      if (!q || q.used) return refuse(404, "unknown-quote", `no open quote ${quoteId}`);
      if (q.expiresAt < now()) return refuse(409, "quote-expired", `quote ${quoteId} expired at ${q.expiresAt}`);
      if (typeof body.tapAddress !== "string" || !TAP_ADDRESS.test(body.tapAddress))
        return refuse(400, "bad-address", "tapAddress is not a Taproot Assets address");
      q.used = true;
      const tradeId = `t${next++}`;
      const preimage = randomBytes(32);
      const invoice = await createHodlInvoice({
        lnd: options.lnd,
        paymentHash: createHash("sha256").update(preimage).digest("hex"),
        msat: q.sats * 1000n,
        description: `lvdao demo desk: ${q.lv} LV, trade ${tradeId}`,
        expirySeconds: 600,
      });
      trades.set(tradeId, {
        tradeId,
        quoteId,
        lv: q.lv,
        sats: q.sats,
        premiumBps: q.premiumBps,
        tapAddress: body.tapAddress,
        paymentHash: invoice.paymentHash,
        preimage: preimage.toString("hex"),
        state: "quoted",
        sentAtHeight: 0,
      });
      return ok({ tradeId, invoice: invoice.request });
    }
    const match = /^\/market\/trades\/([^/]+)$/.exec(path);
    if (method === "GET" && match) {
      const trade = trades.get(decodeURIComponent(match[1] as string));
      if (!trade) return refuse(404, "unknown-trade", "no such trade");
      return ok({
        tradeId: trade.tradeId,
        side: "buy",
        state: trade.state,
        lv: trade.lv.toString(),
        sats: trade.sats.toString(),
        premiumBps: trade.premiumBps.toString(),
      });
    }
    return refuse(404, "not-found", `${method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      void (async () => {
        let answer: { status: number; body: unknown };
        try {
          const body = raw ? (JSON.parse(raw) as unknown) : {};
          if (typeof body !== "object" || body === null) throw new SyntaxError("body must be a JSON object");
          const path = new URL(req.url ?? "/", "http://desk").pathname;
          answer = await handle(req.method ?? "", path, body as Record<string, unknown>);
        } catch (error) {
          answer =
            error instanceof SyntaxError
              ? refuse(400, "bad-request", error.message)
              : refuse(500, "desk", (error as Error).message);
        }
        res.writeHead(answer.status, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
      })();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;

  const step = async () => {
    for (const trade of trades.values()) {
      if (trade.state !== "quoted") continue;
      const invoice = await lookupInvoice({ lnd: options.lnd, paymentHash: trade.paymentHash });
      if (invoice.state === "held" && invoice.receivedMsat >= trade.sats * 1000n) trade.state = "held";
      if (invoice.state === "canceled") trade.state = "cancelled";
    }
    const height = options.height();
    if (sendInFlight && height > sendInFlight.height) {
      for (const trade of trades.values()) {
        if (trade.state !== "sending") continue;
        await settleHodlInvoice({ lnd: options.lnd, preimage: trade.preimage });
        trade.state = "settled";
      }
      sendInFlight = null;
    }
    const ready = [...trades.values()].filter((t) => t.state === "held").slice(0, options.maxSendRecipients);
    if (sendInFlight || ready.length === 0) return;
    try {
      await sendAsset({
        tapd: options.tapd,
        addresses: ready.map((t) => t.tapAddress),
        label: `lvdao:demo-desk:${ready.map((t) => t.tradeId).join(",")}`.slice(0, 500),
      });
    } catch (error) {
      // The buyers' HTLCs go back: nothing was delivered, so nothing is kept.
      for (const trade of ready) {
        await cancelHodlInvoice({ lnd: options.lnd, paymentHash: trade.paymentHash });
        trade.state = "cancelled";
      }
      throw error;
    }
    // The height after the send: a block mined while it was on its way may not hold its anchor.
    const sentAt = options.height();
    sendInFlight = { height: sentAt };
    for (const trade of ready) {
      trade.state = "sending";
      trade.sentAtHeight = sentAt;
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    stats() {
      const all = [...trades.values()];
      const settled = all.filter((t) => t.state === "settled");
      return {
        trades: all.length,
        settled: settled.length,
        lvSold: settled.reduce((sum, t) => sum + t.lv, 0n),
        satsReceived: all
          .filter((t) => t.state !== "quoted" && t.state !== "cancelled")
          .reduce((s, t) => s + t.sats, 0n),
      };
    },
    // One step at a time: a send must see the previous one's state.
    step() {
      stepping ??= step().finally(() => {
        stepping = null;
      });
      return stepping;
    },
    async stop() {
      await stepping?.catch(() => undefined);
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

const ok = (body: unknown) => ({ status: 200, body });
const refuse = (status: number, error: string, reason: string) => ({ status, body: { error, reason } });
