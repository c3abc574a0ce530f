// A small stand-in for the desk's HTTP API (docs/agents.md), for the agent tests: it quotes at a fixed rate, answers
// a buy with an invoice its test sets up, and reports trade states the test scripts. It checks requests the way the
// desk API says (unknown quote, expired quote, bad address) so the client's error handling meets real answers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeDeskOptions {
  /** sats = ceil(lv * satsPerKiloLv / 1000) */
  satsPerKiloLv: bigint;
  /** a moving price: the rate of each quote in turn (the last repeats), instead of satsPerKiloLv */
  rates?: bigint[];
  premiumBps?: bigint;
  inboundBps?: bigint;
  groupKey?: string;
  /** the invoice a buy answers with, given the quoted sats */
  invoiceFor?: (sats: bigint) => string;
  /** the states GET /market/trades/{id} reports, in turn; the last one repeats */
  tradeStates?: string[];
  /** raw answer overrides by path, for malformed-answer tests */
  override?: Record<string, { status: number; body: string }>;
  now?: () => number;
}

export interface FakeDesk {
  url: string;
  requests: { method: string; path: string; body: unknown }[];
  quotes: Map<string, { side: string; lv: bigint; sats: bigint; expiresAt: number }>;
  stop(): Promise<void>;
}

export const GROUP_KEY = `02${"ab".repeat(32)}`;

export async function startFakeDesk(options: FakeDeskOptions): Promise<FakeDesk> {
  const requests: FakeDesk["requests"] = [];
  const quotes: FakeDesk["quotes"] = new Map();
  const trades = new Map<string, { quoteId: string; polls: number }>();
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  let next = 1;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => {
      raw += chunk;
    });
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://desk").pathname;
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: req.method ?? "", path, body });
      const send = (status: number, answer: unknown) =>
        res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(answer));
      const refuse = (status: number, error: string, reason: string) => send(status, { error, reason });
      const forced = options.override?.[path];
      if (forced) return void res.writeHead(forced.status).end(forced.body);
      if (req.method === "POST" && path === "/market/quote") {
        if (!/^[1-9]\d*$/.test(body?.lv ?? "")) return refuse(400, "over-limit", "lv must be a positive integer");
        const lv = BigInt(body.lv);
        const rate = options.rates ? (options.rates[Math.min(quotes.size, options.rates.length - 1)] as bigint) : null;
        const sats = (lv * (rate ?? options.satsPerKiloLv) + 999n) / 1000n;
        const quoteId = `q${next++}`;
        const expiresAt = now() + 60;
        quotes.set(quoteId, { side: body.side, lv, sats, expiresAt });
        return send(200, {
          quoteId,
          side: body.side,
          lv: lv.toString(),
          sats: sats.toString(),
          premiumBps: (options.premiumBps ?? 0n).toString(),
          inboundBps: (options.inboundBps ?? 5000n).toString(),
          expiresAt: String(expiresAt),
          groupKey: options.groupKey ?? GROUP_KEY,
        });
      }
      if (req.method === "POST" && path === "/market/buy") {
        const quote = quotes.get(body?.quoteId);
        if (!quote) return refuse(404, "unknown-quote", `no quote ${body?.quoteId}`);
        if (quote.expiresAt < now()) return refuse(409, "quote-expired", `quote ${body.quoteId} expired`);
        if (typeof body.tapAddress !== "string" || !body.tapAddress.startsWith("tap"))
          return refuse(400, "bad-address", "tapAddress is not a Taproot Assets address");
        const tradeId = `t${next++}`;
        trades.set(tradeId, { quoteId: body.quoteId, polls: 0 });
        return send(200, { tradeId, invoice: (options.invoiceFor ?? ((s) => `lnbcrt-fake-${s}`))(quote.sats) });
      }
      const tradeMatch = /^\/market\/trades\/([^/]+)$/.exec(path);
      if (req.method === "GET" && tradeMatch) {
        const trade = trades.get(decodeURIComponent(tradeMatch[1] as string));
        if (!trade) return refuse(404, "unknown-trade", "no such trade");
        const quote = quotes.get(trade.quoteId) as { side: string; lv: bigint; sats: bigint };
        const states = options.tradeStates ?? ["settled"];
        const state = states[Math.min(trade.polls, states.length - 1)];
        trade.polls += 1;
        return send(200, {
          tradeId: tradeMatch[1],
          side: quote.side,
          state,
          lv: quote.lv.toString(),
          sats: quote.sats.toString(),
        });
      }
      refuse(404, "not-found", path);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    quotes,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
