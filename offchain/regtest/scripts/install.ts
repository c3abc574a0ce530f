// `npm run regtest:install [-- --force]`: builds btcd, btcctl, lnd, lncli, tapd and tapcli from the Go module proxy
// at the versions offchain/regtest/go.mod pins, into the per-version cache directory (binaries.ts). A second run
// finds them there and returns at once. Progress: which binary, how many Go packages compiled, elapsed time.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  BINARIES,
  GO_ENV,
  MIN_GO,
  MODULE_DIR,
  PINNED,
  binDir,
  goVersion,
  isGoRecentEnough,
  parseGoVersion,
  type BinarySpec,
} from "../harness/binaries.ts";

const HEARTBEAT_MS = 15_000;
const started = Date.now();
const elapsed = (since = started) => {
  const s = Math.round((Date.now() - since) / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};
const say = (line: string) => console.log(`[regtest:install ${elapsed()}] ${line}`);

function requireGo(): string {
  const needed = `Go ${MIN_GO.join(".")} or newer`;
  const go = goVersion();
  if (!go) {
    console.error(
      `regtest:install: Go is not installed (no \`go\` on PATH). Install ${needed} ` +
        "(the official linux-amd64 tarball into /usr/local/go, or a distribution package of that version), " +
        "put its bin directory on PATH, and run this again.",
    );
    process.exit(2);
  }
  const parsed = parseGoVersion(go);
  if (parsed && !isGoRecentEnough(parsed)) {
    console.error(
      `regtest:install: ${go} is too old: taproot-assets ${PINNED.tapd} needs ${needed}. ` +
        `Install ${needed}, or run with GOTOOLCHAIN=go${MIN_GO.join(".")} ` +
        "so the go command fetches that toolchain from the module proxy.",
    );
    process.exit(2);
  }
  return go;
}

function buildOne(spec: BinarySpec, outDir: string, index: number): Promise<void> {
  const args = ["build", "-v", "-trimpath", "-o", join(outDir, spec.name)];
  if (spec.tags.length > 0) args.push("-tags", spec.tags.join(" "));
  if (spec.ldflags) args.push("-ldflags", spec.ldflags);
  args.push(spec.pkg);
  const label = `[${index + 1}/${BINARIES.length}] ${spec.name}`;
  say(`${label}: go build ${spec.pkg}${spec.tags.length ? ` (tags: ${spec.tags.join(" ")})` : ""}`);
  const since = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("go", args, {
      cwd: MODULE_DIR,
      // Static binaries without a C toolchain, the committed go.sum as the only source of checksums (the public
      // checksum database answers 404 for Lightning Labs' modules, so it is skipped for them), and the installed
      // Go (the version check above already ran).
      env: { ...process.env, ...GO_ENV },
      stdio: ["ignore", "inherit", "pipe"],
    });
    let compiled = 0;
    const errors: string[] = [];
    let pending = "";
    child.stderr.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        // `go build -v` names each package as it compiles it; anything else is a download note or an error.
        if (/^[\w.-]+(\/[\w.~+-]+)*$/.test(line.trim())) compiled++;
        else if (line.trim()) errors.push(line);
      }
    });
    const heartbeat = setInterval(
      () => say(`${label}: ${compiled} packages compiled, ${elapsed(since)}`),
      HEARTBEAT_MS,
    );
    child.on("error", (error) => {
      clearInterval(heartbeat);
      reject(error);
    });
    child.on("close", (code) => {
      clearInterval(heartbeat);
      if (code === 0) {
        say(`${label}: done, ${compiled} packages compiled in ${elapsed(since)}`);
        resolve();
      } else {
        if (pending.trim()) errors.push(pending);
        reject(new Error(`go build ${spec.pkg} failed (exit ${code}):\n${errors.slice(-40).join("\n")}`));
      }
    });
  });
}

function versionOf(binary: string): string {
  try {
    return (
      execFileSync(binary, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
        .trim()
        .split("\n")[0] ?? ""
    );
  } catch (error) {
    return `(--version failed: ${(error as Error).message.split("\n")[0]})`;
  }
}

async function main() {
  const force = process.argv.includes("--force");
  const go = requireGo();
  const dir = binDir(go);
  const complete = BINARIES.every((spec) => existsSync(join(dir, spec.name)));
  if (complete && !force) {
    say(`cached: ${dir} (${go}; tapd ${PINNED.tapd}, lnd ${PINNED.lnd}); nothing to build`);
    return;
  }
  say(`building tapd ${PINNED.tapd}, lnd ${PINNED.lnd} and btcd ${PINNED.btcd} with ${go} into ${dir}`);
  say("a cold build downloads the modules and compiles about 1,500 packages: expect 10 to 20 minutes on 2 cores");
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    for (const [index, spec] of BINARIES.entries()) await buildOne(spec, partial, index);
    const versions = Object.fromEntries(BINARIES.map((spec) => [spec.name, versionOf(join(partial, spec.name))]));
    const builtInSeconds = Math.round((Date.now() - started) / 1000);
    const record = { go, pinned: PINNED, binaries: BINARIES, versions, built_in_seconds: builtInSeconds };
    writeFileSync(join(partial, "versions.json"), `${JSON.stringify(record, null, 2)}\n`);
    // All or nothing: the directory the harness looks in appears only once every binary is there.
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    renameSync(partial, dir);
    for (const [name, version] of Object.entries(versions)) say(`${name.padEnd(6)} ${version}`);
    say(`installed into ${dir} in ${elapsed()}`);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

main().catch((error) => {
  console.error(`regtest:install failed: ${(error as Error).message}`);
  process.exit(1);
});
