// The server `npm start` uses for the built app, over real HTTP on loopback: files, /config.json, and nothing
// outside the build folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWebOptions, WebOptionsError, DEFAULT_WEB_PORT } from "../server/options.ts";
import { resolveInside, startStaticServer, type StaticServer } from "../server/static-server.ts";

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
