// `npm start -- --fast` and `npm run devnet:mine -- N`: the fast preset's options as a table, the preset's clock
// running a real node emulation, and devnet:mine (in process, and as the npm script) against a running emulation,
// a port where nothing listens, and a server that is not the emulation.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, FAST_PRESET, parseMineConfig, parseStartConfig } from "../config.ts";
import type { Devnet } from "../index.ts";
import { MineError, mineOnDevnet } from "../mine.ts";
import { startFixtureDevnet } from "./helpers.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);

describe("npm start -- --fast", () => {
  const cases: {
    args: string[];
    env?: NodeJS.ProcessEnv;
    block: number;
    burn: number;
    lightning: number | undefined;
  }[] = [
    { args: [], block: 1000, burn: 10_000, lightning: undefined },
    { args: ["--fast"], block: 200, burn: 1000, lightning: 2000 },
    { args: ["--fast", "--burn-block-time", "500"], block: 200, burn: 500, lightning: 2000 },
    { args: ["--fast", "--block-time", "0"], block: 0, burn: 1000, lightning: 2000 },
    { args: ["--fast"], env: { LVDAO_BURN_BLOCK_TIME_MS: "3000" }, block: 200, burn: 3000, lightning: 2000 },
  ];
  it.each(cases)("$args $env: Stacks $block ms, burn $burn ms, Lightning $lightning ms", (c) => {
    const config = parseStartConfig(c.args, c.env ?? {}, "/p");
    expect([config.blockTimeMs, config.burnBlockTimeMs, config.lightningBlockTimeMs]).toEqual([
      c.block,
      c.burn,
      c.lightning,
    ]);
    expect(config.fast).toBe(c.args.includes("--fast"));
  });

  it("runs the node emulation on the preset's clock: a burn block a second", async () => {
    const config = parseStartConfig(["--fast"], {}, "/p");
    const devnet = await startFixtureDevnet({
      blockTimeMs: config.blockTimeMs,
      burnBlockTimeMs: config.burnBlockTimeMs,
    });
    try {
      // three more burn blocks take between two and three intervals (the first may be partly gone), or a little
      // longer on a loaded machine, whose timers run late but never early
      const start = devnet.chain.burnTip.height;
      const began = Date.now();
      while (devnet.chain.burnTip.height < start + 3 && Date.now() - began < 15_000)
        await new Promise((done) => setTimeout(done, 20));
      const elapsed = Date.now() - began;
      expect(devnet.chain.burnTip.height).toBe(start + 3);
      expect(elapsed).toBeGreaterThanOrEqual(2 * FAST_PRESET.burnBlockTimeMs - 100);
      expect(elapsed).toBeLessThan(10 * FAST_PRESET.burnBlockTimeMs);
    } finally {
      await devnet.stop();
    }
  });
});

describe("npm start -- --no-relay", () => {
  it.each([
    [[], true],
    [["--no-relay"], false],
    [["--no-relay", "--simulators"], false],
  ])("%j starts the built-in relay: %s", (args, relay) => {
    expect(parseStartConfig(args, {}, "/p").relay).toBe(relay);
  });

  it("an unknown option is refused with the usage", () => {
    expect(() => parseStartConfig(["--no-relays"], {}, "/p")).toThrow(/Unknown option '--no-relays'[\s\S]*--no-relay /);
  });
});

describe("npm run devnet:mine -- N: its options", () => {
  const good: { args: string[]; env: NodeJS.ProcessEnv; url: string; burn: number }[] = [
    { args: [], env: {}, url: "http://127.0.0.1:3999", burn: 1 },
    { args: ["144"], env: {}, url: "http://127.0.0.1:3999", burn: 144 },
    { args: ["6"], env: { LVDAO_DEVNET_PORT: "4000" }, url: "http://127.0.0.1:4000", burn: 6 },
    { args: ["6", "--url", "http://localhost:5000/"], env: {}, url: "http://localhost:5000", burn: 6 },
    { args: ["10000"], env: { LVDAO_DEVNET_URL: "http://10.0.0.2:3999" }, url: "http://10.0.0.2:3999", burn: 10_000 },
  ];
  it.each(good)("$args $env -> $burn at $url", ({ args, env, url, burn }) => {
    expect(parseMineConfig(args, env)).toEqual({ url, burnBlocks: burn, help: false });
  });

  const bad: { args: string[]; message: string }[] = [
    { args: ["0"], message: 'the number of burn blocks must be an integer from 1 to 10000, got "0"' },
    { args: ["10001"], message: 'the number of burn blocks must be an integer from 1 to 10000, got "10001"' },
    { args: ["-3"], message: "Unknown option '-3'" },
    { args: ["six"], message: 'the number of burn blocks must be an integer from 1 to 10000, got "six"' },
    { args: ["1", "2"], message: "give one number of burn blocks, got 1 2" },
    { args: ["--url", "ftp://x"], message: '--url must be the node\'s http(s) base URL, got "ftp://x"' },
  ];
  it.each(bad)("$args is refused: $message", ({ args, message }) => {
    expect(() => parseMineConfig(args, {})).toThrow(ConfigError);
    expect(() => parseMineConfig(args, {})).toThrow(message);
  });
});

describe("npm run devnet:mine -- N: against servers", () => {
  let devnet: Devnet;
  let other: Server;
  let otherUrl: string;
  let closedUrl: string;
  beforeAll(async () => {
    devnet = await startFixtureDevnet({ blockTimeMs: 0 });
    other = createServer((_req, res) => res.writeHead(404).end("no"));
    await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((done) => closed.close(() => done()));
  }, 60_000);
  afterAll(async () => {
    await devnet?.stop();
    other?.close();
  });

  it("mines exactly N burn blocks on the running emulation", async () => {
    const before = devnet.chain.burnTip.height;
    const mined = await mineOnDevnet({ url: devnet.url, burnBlocks: 7 });
    expect(mined.burn_block_height).toBe(before + 7);
    expect(devnet.chain.burnTip.height).toBe(before + 7);
  });

  it("says no devnet is running when nothing listens", async () => {
    await expect(mineOnDevnet({ url: closedUrl, burnBlocks: 1 })).rejects.toThrow(MineError);
    await expect(mineOnDevnet({ url: closedUrl, burnBlocks: 1 })).rejects.toThrow(
      `no devnet is running at ${closedUrl} (ECONNREFUSED); start one with \`npm start\``,
    );
  });

  it("says a server that answers 404 is not lvdao's devnet", async () => {
    await expect(mineOnDevnet({ url: otherUrl, burnBlocks: 1 })).rejects.toThrow(
      `${otherUrl} answered 404 to POST /devnet/mine: it is not lvdao's devnet`,
    );
  });

  it("runs as the npm script: prints the new burn height; exits 1 with the reason when no devnet runs", async () => {
    const before = devnet.chain.burnTip.height;
    const ok = await run("npm", ["run", "--silent", "devnet:mine", "--", "3", "--url", devnet.url], { cwd: REPO });
    expect(ok.stdout).toContain(`mined 3 burn block(s) at ${devnet.url}; burn height ${before + 3}`);
    const failed = await run("npm", ["run", "--silent", "devnet:mine", "--", "3", "--url", closedUrl], {
      cwd: REPO,
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain(`devnet:mine: no devnet is running at ${closedUrl}`);
  }, 60_000);
});
