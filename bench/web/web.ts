// `npm run bench:web`: the members' app as a browser meets it, this checkout beside the previous release, both
// built and measured in the same run: first-load JS gzipped (the scripts index.html loads; budget 250 KB), the
// load time of the proposals page until its rows show, and the read-only calls that page makes on load and per
// new block. The previous release is `git worktree`d from a commit (default: the newest release tag `v*` if any,
// else the parent of the newest first-parent commit that changed offchain/web; or --base <commit>) and built with
// its own vite config.
//
//   npx tsx bench/web/web.ts [--base <commit>] [--proposals 8]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { EXAMPLES } from "../../offchain/actions/examples.ts";
import { startDevnet } from "../../offchain/devnet/index.ts";
import { launchChromium } from "../../offchain/web/test/browser.ts";
import { proposeDirect } from "../../offchain/web/test/chain.ts";
import { startStaticServer } from "../../offchain/web/server/static-server.ts";

const REPO = resolve(import.meta.dirname, "../..");
const BUDGET_KB = 250;
const { values } = parseArgs({ options: { base: { type: "string" }, proposals: { type: "string", default: "8" } } });
const proposals = Number(values.proposals);
if (!Number.isInteger(proposals) || proposals < 1 || proposals > 50)
  throw new RangeError(`--proposals must be an integer from 1 to 50, got ${values.proposals}`);

const git = (...args: string[]): string => execFileSync("git", ["-C", REPO, ...args], { encoding: "utf8" }).trim();
function previousRelease(): string {
  if (values.base) return git("rev-parse", values.base);
  const tag = git("tag", "--list", "v*", "--sort=-creatordate", "--merged", "HEAD").split("\n")[0];
  if (tag) return git("rev-parse", `${tag}^{commit}`);
  // No release tag: the app as it was before its newest change (the parent of the last commit touching it).
  const lastChange = git("log", "-1", "--first-parent", "--format=%H", "--", "offchain/web");
  return git("rev-parse", `${lastChange}^`);
}
const previous = previousRelease();

async function build(label: string, webDir: string, outDir: string): Promise<void> {
  const { build: viteBuild } = await import("vite");
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await viteBuild({
      configFile: join(webDir, "vite.config.ts"),
      mode: "production",
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
  }
  console.log(`built ${label}`);
}

/** The gzipped bytes of the scripts index.html loads (module entry and its modulepreloads). */
function firstLoadJsGzip(outDir: string): number {
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  const scripts = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(scripts)].reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(outDir, file)), { level: 9 }).length,
    0,
  );
}

const temp = mkdtempSync(join(tmpdir(), "lvdao-bench-web-"));
const previousTree = join(temp, "previous");
const devnet = await startDevnet({ projectDir: REPO, port: 0, blockTimeMs: 50, burnBlockTimeMs: 0 });
const chromium = await launchChromium();
try {
  git("worktree", "add", "--detach", previousTree, previous);
  symlinkSync(join(REPO, "node_modules"), join(previousTree, "node_modules"));
  const builds = { previous: join(temp, "previous-dist"), current: join(temp, "current-dist") };
  await build(`previous release ${previous.slice(0, 10)}`, join(previousTree, "offchain/web"), builds.previous);
  await build("this checkout", join(REPO, "offchain/web"), builds.current);

  const action = EXAMPLES.find((a) => a.kind === "channel-open")!;
  for (let i = 0; i < proposals; i++)
    await proposeDirect(devnet, `wallet_${1 + (i % 4)}`, action, `Bench proposal ${i + 1}`);

  const deployer = devnet.account("deployer").address;
  const figures: Record<string, { js: number; loadMs: number; onLoad: number; perBlock: number }> = {};
  for (const [label, dir] of Object.entries(builds)) {
    const server = await startStaticServer({
      dir,
      port: 0,
      appConfig: { nodeUrl: devnet.url, deployer, network: "devnet", pollMs: 500 },
    });
    const page = await chromium.context.newPage();
    let reads = 0;
    page.on("request", (request) => {
      if (request.url().includes("/v2/contracts/call-read/")) reads++;
    });
    const started = performance.now();
    await page.goto(`${server.url}#/proposals`);
    await page
      .locator("tr[data-proposal-id]")
      .nth(proposals - 1)
      .waitFor({ timeout: 60_000 });
    const loadMs = performance.now() - started;
    await page.waitForTimeout(1_500);
    const onLoad = reads;
    reads = 0;
    await devnet.mine({ burn: 1 });
    await page.waitForTimeout(2_500);
    figures[label] = { js: firstLoadJsGzip(dir), loadMs, onLoad, perBlock: reads };
    await page.close();
    await server.stop();
  }

  const { previous: before, current: now } = figures as Record<"previous" | "current", (typeof figures)[string]>;
  const row = (name: string, a: number, b: number, unit: string) => {
    const shown = (value: number): string => `${value.toFixed(unit === "KB" ? 1 : 0)} ${unit}`.padStart(12);
    console.log(`${name.padEnd(36)} ${shown(b)}   previous ${shown(a)}   ratio ${(b / (a || 1)).toFixed(2)}`);
  };
  console.log(
    `\nmembers' app, ${proposals} proposals on the node emulation; previous release ${previous.slice(0, 10)}\n`,
  );
  row("first-load JS, gzipped", before.js / 1024, now.js / 1024, "KB");
  row("proposals page load (rows shown)", before.loadMs, now.loadMs, "ms");
  row("call-read requests on load", before.onLoad, now.onLoad, "req");
  row("call-read requests per new block", before.perBlock, now.perBlock, "req");
  console.log(`\nbudget: first-load JS <= ${BUDGET_KB} KB gzipped: ${now.js / 1024 <= BUDGET_KB ? "within" : "OVER"}`);
  if (now.js / 1024 > BUDGET_KB) process.exitCode = 1;
} finally {
  await chromium.close();
  await devnet.stop();
  try {
    git("worktree", "remove", "--force", previousTree);
  } catch {
    // the worktree may not have been created
  }
  rmSync(temp, { recursive: true, force: true });
}
