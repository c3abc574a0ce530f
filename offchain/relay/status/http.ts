// The relay's HTTP status endpoints, on loopback: GET /status (JSON), GET /metrics (Prometheus text), GET /healthz
// (200 while the relay's loops are alive and the chain was reachable recently, 503 otherwise).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";

export interface StatusSource {
  status(): Promise<unknown>;
  metrics(): Promise<string>;
  health(): Promise<{ ok: boolean; reasons: string[] }>;
}

const json = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);

export async function startStatusServer(
  listen: { host: string; port: number },
  source: StatusSource,
  log: Logger,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const path = new URL(req.url ?? "/", "http://relay").pathname;
        if (req.method !== "GET") {
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
        } else {
          res
            .writeHead(404, { "Content-Type": "application/json" })
            .end(json({ error: "not found", paths: ["/status", "/metrics", "/healthz"] }));
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
