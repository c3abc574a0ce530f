// Serves the built web app over HTTP on loopback: the files of the build, and /config.json with the node, deployer
// and network the app should use. GET and HEAD only; paths cannot leave the build folder.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** What the app reads from /config.json (see src/config.ts). */
export interface ServedAppConfig {
  nodeUrl: string;
  deployer: string;
  network: "devnet" | "testnet" | "mainnet";
  pollMs?: number;
  /** the relay's status server, for the node's channels */
  relayUrl?: string | null;
}

export interface StaticServerOptions {
  /** The build folder (vite's outDir). */
  dir: string;
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Served as /config.json; without it, a config.json in the build folder (if any) is served. */
  appConfig?: ServedAppConfig;
}

export interface StaticServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = "text/plain; charset=utf-8"): void {
  res
    .writeHead(status, {
      "Content-Type": type,
      "Content-Length": Buffer.byteLength(body),
      "X-Content-Type-Options": "nosniff",
    })
    .end(body);
}

/** The file a URL path names inside `root`, or null when it would leave it. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;
  const file = resolve(root, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`);
  return file === root || file.startsWith(root + sep) ? file : null;
}

export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.dir);
  const host = options.host ?? "127.0.0.1";
  const configBody = options.appConfig ? JSON.stringify(options.appConfig) : null;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "only GET and HEAD are served\n");
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/config.json" && configBody !== null) {
      res.setHeader("Cache-Control", "no-store");
      return send(res, 200, req.method === "HEAD" ? "" : configBody, CONTENT_TYPES[".json"]);
    }
    const file = resolveInside(root, path.endsWith("/") ? `${path}index.html` : path);
    if (!file) return send(res, 400, "bad path\n");
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return send(res, 404, `not found: ${path}\n`);
    res.writeHead(200, {
      "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": info.size,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (req.method === "HEAD") return void res.end();
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, `internal error: ${error.message}\n`);
      else res.destroy();
    });
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port, host, () => {
      server.off("error", fail);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
