// The relay's HTTP status endpoints, on loopback by default: GET /status (JSON), GET /metrics (Prometheus text),
// GET /healthz (200 while the relay's workers are alive and the chain was reachable recently, 503 otherwise),
// GET /channels (the DAO node's channels, channels.ts) and GET /market/series (the LV market over time,
// market/market-series.ts; 503 where nothing samples it). Only /channels and /market/series are meant for the
// members' app, so only they answer cross-origin requests, and only from loopback origins and the ones
// `http.allow_origins` lists: the channel balances are the node operator's to publish, and any other web page must
// not read them. With the LV desk running, the other paths under /market are its API (market/http.ts), same-origin
// only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";
import type { MarketApi } from "../market/http.ts";
import type { MarketSeriesJson } from "../market/market-series.ts";

/** /channels cannot be served (no lnd bound): 503 with the reason. */
export class ChannelsUnavailable extends Error {
  override name = "ChannelsUnavailable";
}

export interface StatusSource {
  status(): Promise<unknown>;
  metrics(): Promise<string>;
  health(): Promise<{ ok: boolean; reasons: string[] }>;
  channels(): Promise<unknown>;
  /** Absent where nothing samples the market (no desk). */
  marketSeries?(): Promise<MarketSeriesJson>;
}

const PATHS = ["/status", "/metrics", "/healthz", "/channels", "/market/series"];
const APP_PATHS = ["/channels", "/market/series"];

const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

/** http(s)://localhost, 127.0.0.0/8 or [::1], any port. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const { hostname, protocol } = new URL(origin);
    return (
      (protocol === "http:" || protocol === "https:") &&
      (hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname))
    );
  } catch {
    return false;
  }
}

function allowCrossOrigin(req: IncomingMessage, res: ServerResponse, allowOrigins: readonly string[]): void {
  const origin = req.headers.origin;
  res.setHeader("Vary", "Origin");
  if (origin && (isLoopbackOrigin(origin) || allowOrigins.includes(origin))) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Methods", "GET, OPTIONS");
  }
}

export async function startStatusServer(
  listen: { host: string; port: number },
  source: StatusSource,
  log: Logger,
  options: { allowOrigins?: readonly string[]; market?: MarketApi } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const allowOrigins = options.allowOrigins ?? [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const path = new URL(req.url ?? "/", "http://relay").pathname;
        if (APP_PATHS.includes(path)) allowCrossOrigin(req, res, allowOrigins);
        if (path !== "/market/series" && options.market && (await options.market.handle(req, res, path))) return;
        if (APP_PATHS.includes(path) && req.method === "OPTIONS") {
          res.writeHead(204).end();
        } else if (req.method !== "GET") {
          res.writeHead(405, { Allow: "GET" }).end();
        } else if (path === "/status") {
          // Each answer is read before the head is written, so a source that throws still gets its 500.
          const status = json(await source.status());
          res.writeHead(200, { "Content-Type": "application/json" }).end(status);
        } else if (path === "/metrics") {
          const metrics = await source.metrics();
          res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(metrics);
        } else if (path === "/healthz") {
          const health = await source.health();
          res.writeHead(health.ok ? 200 : 503, { "Content-Type": "application/json" }).end(json(health));
        } else if (path === "/channels") {
          try {
            const channels = await source.channels();
            res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(json(channels));
          } catch (error) {
            const unavailable = error instanceof ChannelsUnavailable;
            if (!unavailable) log.warn("channel listing failed", { error: (error as Error).message });
            res
              .writeHead(503, { "Content-Type": "application/json" })
              .end(json({ error: unavailable ? "unavailable" : "lnd", message: (error as Error).message }));
          }
        } else if (path === "/market/series") {
          if (!source.marketSeries) {
            res
              .writeHead(503, { "Content-Type": "application/json" })
              .end(json({ error: "unavailable", message: "nothing samples the LV market here (no desk)" }));
          } else {
            const series = json(await source.marketSeries());
            res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" }).end(series);
          }
        } else {
          res.writeHead(404, { "Content-Type": "application/json" }).end(json({ error: "not found", paths: PATHS }));
        }
      } catch (error) {
        log.warn("status endpoint failed", { path: req.url, error: (error as Error).message });
        if (!res.headersSent) res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(listen.port, listen.host, () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host.includes(":") ? `[${listen.host}]` : listen.host}:${port}`,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
    },
  };
}
