// The server `npm start` uses for the built app, over real HTTP on loopback: files, /config.json, and nothing
// outside the build folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { request } from "node:http";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWebOptions, WebOptionsError, DEFAULT_WEB_PORT } from "../server/options.ts";
import { chooseEncoding, resolveInside, startStaticServer, type StaticServer } from "../server/static-server.ts";

const BIG_JS = `export const words = ${JSON.stringify("conviction ".repeat(2000))};\n`;

/** A raw GET (fetch would decompress): status, headers and the bytes as sent. */
function rawGet(
  url: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((done, fail) => {
    const req = request(url, { headers: acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", fail);
    req.end();
  });
}

let dir: string;
let server: StaticServer;
const appConfig = {
  nodeUrl: "http://127.0.0.1:3999",
  deployer: "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM",
  network: "devnet" as const,
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-web-static-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>lvdao</title>");
  writeFileSync(join(dir, "assets", "app.js"), "console.log(1)");
  writeFileSync(join(dir, "assets", "big.js"), BIG_JS);
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  writeFileSync(join(dir, "..", `${dir.split("/").pop()}-secret.txt`), "outside");
  server = await startStaticServer({ dir, port: 0, appConfig });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}-secret.txt`, { force: true });
});

describe("static server", () => {
  it("listens on loopback at a free port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it("serves index.html for / and assets with their types and cache rules", async () => {
    const index = await fetch(server.url);
    expect([index.status, index.headers.get("content-type"), await index.text()]).toEqual([
      200,
      "text/html; charset=utf-8",
      "<!doctype html><title>lvdao</title>",
    ]);
    const asset = await fetch(`${server.url}assets/app.js`);
    expect([asset.status, asset.headers.get("content-type"), asset.headers.get("cache-control")]).toEqual([
      200,
      "text/javascript; charset=utf-8",
      "public, max-age=31536000, immutable",
    ]);
  });

  it("serves the app's configuration as /config.json, uncached", async () => {
    const response = await fetch(`${server.url}config.json`);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual(appConfig);
  });

  it.each([
    ["/missing.js", 404],
    // an encoded slash survives URL normalisation, so the ".." reaches the server, which refuses to leave the folder
    ["/..%2f<a file beside the build folder>", 400],
    ["/bad%zzescape", 400],
  ])("GET %s answers %s", async (path, status) => {
    const target = path.startsWith("/..%2f") ? `/..%2f${dir.split("/").pop()}-secret.txt` : path;
    const response = await fetch(`${server.url.replace(/\/$/, "")}${target}`);
    expect(response.status).toBe(status);
  });

  it("answers 405 to anything but GET and HEAD", async () => {
    const response = await fetch(server.url, { method: "POST", body: "x" });
    expect([response.status, response.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
  });
});

describe("resolveInside", () => {
  it.each([
    ["/index.html", "/srv/app/index.html"],
    ["/a/../b.js", "/srv/app/b.js"],
    ["/../etc/passwd", null],
    ["/%2e%2e/etc/passwd", null],
    ["/a%00b", null],
  ])("%s -> %s", (path, file) => {
    expect(resolveInside("/srv/app", path)).toBe(file);
  });
});

describe("compression", () => {
  it.each([
    ["gzip, deflate, br", "br"],
    ["gzip", "gzip"],
    ["br;q=0, gzip;q=0.5", "gzip"],
    ["*", "br"],
    ["identity", null],
    [undefined, null],
  ])("Accept-Encoding %s -> %s", (header, encoding) => {
    expect(chooseEncoding(header)).toBe(encoding);
  });

  it.each([
    ["br", (body: Buffer) => brotliDecompressSync(body)],
    ["gzip", (body: Buffer) => gunzipSync(body)],
  ] as const)("sends a large script %s-compressed, the same bytes once decoded", async (encoding, decode) => {
    const response = await rawGet(`${server.url}assets/big.js`, encoding);
    expect([response.status, response.headers["content-encoding"], response.headers.vary]).toEqual([
      200,
      encoding,
      "Accept-Encoding",
    ]);
    expect(response.body.length).toBeLessThan(BIG_JS.length / 10);
    expect(Number(response.headers["content-length"])).toBe(response.body.length);
    expect(decode(response.body).toString()).toBe(BIG_JS);
  });

  it("sends files raw to a client that accepts no encoding, and tiny files raw always", async () => {
    const plain = await rawGet(`${server.url}assets/big.js`);
    expect([plain.headers["content-encoding"], plain.body.toString()]).toEqual([undefined, BIG_JS]);
    const tiny = await rawGet(`${server.url}assets/app.js`, "br");
    expect([tiny.headers["content-encoding"], tiny.body.toString()]).toEqual([undefined, "console.log(1)"]);
  });

  it("answers /favicon.ico with the build's favicon.svg", async () => {
    const response = await rawGet(`${server.url}favicon.ico`);
    expect([response.status, response.headers["content-type"], response.body.toString()]).toEqual([
      200,
      "image/svg+xml",
      "<svg/>",
    ]);
  });
});

describe("readWebOptions", () => {
  it("defaults to loopback and the default port, which may move when busy", () => {
    expect(readWebOptions({})).toEqual({ host: "127.0.0.1", port: DEFAULT_WEB_PORT, portGiven: false });
  });
  it("takes LVDAO_WEB_HOST and LVDAO_WEB_PORT", () => {
    expect(readWebOptions({ LVDAO_WEB_HOST: "0.0.0.0", LVDAO_WEB_PORT: "8080" })).toEqual({
      host: "0.0.0.0",
      port: 8080,
      portGiven: true,
    });
  });
  it.each(["-1", "65536", "80a", "1e3"])("refuses LVDAO_WEB_PORT=%s with a WebOptionsError", (port) => {
    expect(() => readWebOptions({ LVDAO_WEB_PORT: port })).toThrow(WebOptionsError);
  });
});
