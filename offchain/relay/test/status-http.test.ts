// The relay's HTTP status endpoints over real HTTP on loopback: a table of requests and the answer each gets, with
// the source behind them answering, failing or reporting the relay unhealthy.
import { afterEach, describe, expect, it } from "vitest";
import { memoryLogger } from "../log.ts";
import { startStatusServer, type StatusSource } from "../status/http.ts";

const HEALTHY: StatusSource = {
  status: async () => ({ relay: "test-relay", spentSats: 2n ** 64n }),
  metrics: async () => "lvdao_relay_up 1\n",
  health: async () => ({ ok: true, reasons: [] }),
  channels: async () => [],
};

const throws = (message: string) => async (): Promise<never> => {
  throw new Error(message);
};

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

async function serve(source: StatusSource) {
  const log = memoryLogger();
  const server = await startStatusServer({ host: "127.0.0.1", port: 0 }, source, log);
  stop = server.stop;
  return { url: server.url, log };
}

describe("the status server", () => {
  it.each<{
    name: string;
    source?: Partial<StatusSource>;
    method?: string;
    path: string;
    code: number;
    type: string | null;
    body: string;
    allow?: string;
  }>([
    {
      name: "GET /status is the snapshot as JSON, bigints as decimal strings",
      path: "/status",
      code: 200,
      type: "application/json",
      body: JSON.stringify({ relay: "test-relay", spentSats: "18446744073709551616" }, null, 2),
    },
    {
      name: "GET /metrics is the Prometheus text",
      path: "/metrics",
      code: 200,
      type: "text/plain; version=0.0.4",
      body: "lvdao_relay_up 1\n",
    },
    {
      name: "GET /healthz is 200 while the relay is healthy",
      path: "/healthz",
      code: 200,
      type: "application/json",
      body: JSON.stringify({ ok: true, reasons: [] }, null, 2),
    },
    {
      name: "GET /healthz is 503 with the reasons while it is not",
      source: { health: async () => ({ ok: false, reasons: ["executor: 3 failed rounds in a row"] }) },
      path: "/healthz",
      code: 503,
      type: "application/json",
      body: JSON.stringify({ ok: false, reasons: ["executor: 3 failed rounds in a row"] }, null, 2),
    },
    {
      name: "a query string does not change the path",
      path: "/metrics?format=text",
      code: 200,
      type: "text/plain; version=0.0.4",
      body: "lvdao_relay_up 1\n",
    },
    {
      name: "an unknown path is 404 naming the paths there are",
      path: "/nope",
      code: 404,
      type: "application/json",
      body: JSON.stringify(
        { error: "not found", paths: ["/status", "/metrics", "/healthz", "/channels", "/market/series"] },
        null,
        2,
      ),
    },
    {
      name: "GET /market/series is the sampled market, integers as decimal strings",
      source: {
        marketSeries: async () => ({
          samples: [{ at: 1_700_000_000_000, inboundBps: "4200", premiumBps: "160", lvVolume: "12345" }],
        }),
      },
      path: "/market/series",
      code: 200,
      type: "application/json",
      body: JSON.stringify(
        { samples: [{ at: 1_700_000_000_000, inboundBps: "4200", premiumBps: "160", lvVolume: "12345" }] },
        null,
        2,
      ),
    },
    {
      name: "GET /market/series is 503 where nothing samples the market",
      path: "/market/series",
      code: 503,
      type: "application/json",
      body: JSON.stringify({ error: "unavailable", message: "nothing samples the LV market here (no desk)" }, null, 2),
    },
    {
      name: "any method but GET is 405, allowing GET",
      method: "POST",
      path: "/status",
      code: 405,
      type: null,
      body: "",
      allow: "GET",
    },
    {
      name: "a source that throws is 500 with no body",
      source: { status: throws("journal closed") },
      path: "/status",
      code: 500,
      type: null,
      body: "",
    },
    {
      name: "metrics that fail are 500 with no body",
      source: { metrics: throws("registry closed") },
      path: "/metrics",
      code: 500,
      type: null,
      body: "",
    },
  ])("$name", async ({ source, method, path, code, type, body, allow }) => {
    const { url } = await serve({ ...HEALTHY, ...source });
    const response = await fetch(url + path, { method: method ?? "GET" });
    expect(response.status).toBe(code);
    expect(response.headers.get("content-type")).toBe(type);
    expect(response.headers.get("allow")).toBe(allow ?? null);
    expect(await response.text()).toBe(body);
  });

  it.each<{ origin: string; allowed: string | null }>([
    { origin: "http://127.0.0.1:5173", allowed: "http://127.0.0.1:5173" },
    { origin: "https://evil.example", allowed: null },
  ])("GET /market/series from $origin: cross-origin readable by $allowed", async ({ origin, allowed }) => {
    const { url } = await serve({ ...HEALTHY, marketSeries: async () => ({ samples: [] }) });
    const response = await fetch(`${url}/market/series`, { headers: { Origin: origin } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(allowed);
  });

  it("logs a failing endpoint with its path and the error, and keeps serving", async () => {
    let fail = true;
    const { url, log } = await serve({
      ...HEALTHY,
      status: async () => {
        if (fail) throw new Error("journal closed");
        return { relay: "test-relay" };
      },
    });
    expect((await fetch(`${url}/status`)).status).toBe(500);
    const warning = log.lines.map((line) => JSON.parse(line)).find((l) => l.msg === "status endpoint failed");
    expect(warning).toMatchObject({ path: "/status", error: "journal closed" });
    fail = false;
    expect(await (await fetch(`${url}/status`)).json()).toEqual({ relay: "test-relay" });
  });

  it("listens on the given loopback port and names it in its url", async () => {
    const { url } = await serve(HEALTHY);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  });
});
