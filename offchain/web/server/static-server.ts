// Serves the built web app over HTTP on loopback: the files of the build, and /config.json with the node, deployer
// and network the app should use. GET and HEAD only; paths cannot leave the build folder. Text files go out
// compressed (brotli, else gzip, as the browser accepts), compressed once per file version and kept in memory:
// the bundle is about a third of its size gzipped. /favicon.ico falls back to the build's favicon.svg.
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";

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

const COMPRESSIBLE = new Set([".html", ".js", ".css", ".json", ".map", ".svg", ".txt"]);
/** Below this, compressing saves less than the headers it adds. */
const MIN_COMPRESS_BYTES = 1024;

export type Encoding = "br" | "gzip";

/** The encoding to send for an Accept-Encoding header: brotli when accepted, else gzip, else none. */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding | null {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: Encoding): number => accepted.get(name) ?? accepted.get("*") ?? 0;
  if (weight("br") > 0) return "br";
  if (weight("gzip") > 0) return "gzip";
  return null;
}

const compressors: Record<Encoding, (data: Buffer) => Promise<Buffer>> = {
  br: (data) =>
    promisify(brotliCompress)(data, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } }) as Promise<Buffer>,
  gzip: (data) => promisify(gzip)(data, { level: 9 }) as Promise<Buffer>,
};

/** What the app reads from /config.json (see src/config.ts). */
export interface ServedAppConfig {
  nodeUrl: string;
  deployer: string;
  network: "devnet" | "testnet" | "mainnet";
  pollMs?: number;
  /** the relay's status server, for the node's channels */
  relayUrl?: string | null;
  /** settings/Devnet.toml's public test accounts, for the app's devnet picker; the app ignores them off devnet. */
  devnetAccounts?: { name: string; address: string; privateKey: string }[];
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
  // file path + encoding -> the compressed bytes of the version with that mtime and size
  const compressed = new Map<string, { version: string; body: Buffer }>();
  const compressedFile = async (file: string, version: string, encoding: Encoding): Promise<Buffer> => {
    const key = `${encoding}:${file}`;
    const cached = compressed.get(key);
    if (cached?.version === version) return cached.body;
    const body = await compressors[encoding](await readFile(file));
    compressed.set(key, { version, body });
    return body;
  };

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
    let file = resolveInside(root, path.endsWith("/") ? `${path}index.html` : path);
    if (!file) return send(res, 400, "bad path\n");
    let info = await stat(file).catch(() => null);
    if (!info?.isFile() && path === "/favicon.ico") {
      file = resolve(root, "favicon.svg");
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) return send(res, 404, `not found: ${path}\n`);
    const headers: Record<string, string | number> = {
      "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    };
    const encoding =
      COMPRESSIBLE.has(extname(file)) && info.size >= MIN_COMPRESS_BYTES
        ? chooseEncoding(req.headers["accept-encoding"])
        : null;
    if (encoding) {
      const body = await compressedFile(file, `${info.mtimeMs}:${info.size}`, encoding);
      res.writeHead(200, {
        ...headers,
        "Content-Encoding": encoding,
        "Content-Length": body.length,
        Vary: "Accept-Encoding",
      });
      return void res.end(req.method === "HEAD" ? undefined : body);
    }
    res.writeHead(200, { ...headers, "Content-Length": info.size });
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
