// Network faults between the relay and a real peer, for the fault-injection suites: a TCP proxy that can take a
// daemon off the network (every connection cut, new ones reset) and bring it back, and an HTTP proxy that answers
// 500 to a fixed share of requests (seeded, so a run can be repeated) and forwards the rest.
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface TcpProxy {
  /** host:port to point the relay at */
  address: string;
  down(): void;
  up(): void;
  /** connections refused while down */
  refused: number;
  /** when (Date.now()) each chunk from a client toward the target passed, and its size */
  sent: { at: number; bytes: number }[];
  stop(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(":")), Number(target.slice(target.lastIndexOf(":") + 1))];
  const open = new Set<Socket>();
  let isDown = false;
  const proxy: TcpProxy = {
    address: "",
    refused: 0,
    sent: [],
    down() {
      isDown = true;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    up() {
      isDown = false;
    },
    stop: () => new Promise((done) => server.close(() => done())),
  };
  const server = createServer((client) => {
    if (isDown) {
      proxy.refused++;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(port, host);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.on("data", (chunk: Buffer) => proxy.sent.push({ at: Date.now(), bytes: chunk.length }));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = proxy.stop;
  proxy.stop = async () => {
    proxy.down();
    await stop();
  };
  return proxy;
}

export interface FlakyHttpProxy {
  url: string;
  stats: { forwarded: number; failed: number };
  stop(): Promise<void>;
}

/** A deterministic pseudo-random sequence (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Answers 500 (without forwarding: the upstream never sees the request) to `failureRate` of requests. */
export async function startFlakyHttpProxy(
  targetUrl: string,
  options: { failureRate: number; seed: number },
): Promise<FlakyHttpProxy> {
  const target = new URL(targetUrl);
  const random = seeded(options.seed);
  const stats = { forwarded: 0, failed: 0 };
  const server = createHttpServer((req, res) => {
    if (random() < options.failureRate) {
      stats.failed++;
      req.resume();
      res.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"injected fault"}');
      return;
    }
    stats.forwarded++;
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
