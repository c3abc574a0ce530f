// The six daemons and command-line tools of the real regtest stack: which Go package each is built from, with which
// build tags, and where the built binaries live. The cache directory is keyed by everything that changes the
// output (go.mod and go.sum, tags, flags, the Go version, the platform), so `regtest:install` is instant the second
// time and a version bump builds into a fresh directory instead of mixing binaries.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Go module the daemons are built from (go.mod, go.sum): offchain/regtest, where `regtest:install` runs go. */
export const MODULE_DIR = fileURLToPath(new URL("..", import.meta.url));

/** lnd's release RPC sub-servers that the relay and tapd use, plus wtclientrpc for AddTower/ListTowers. */
export const LND_TAGS = [
  "signrpc",
  "walletrpc",
  "chainrpc",
  "invoicesrpc",
  "routerrpc",
  "peersrpc",
  "watchtowerrpc",
  "wtclientrpc",
];
/** tapd's release builds use `monitoring` (its Prometheus exporter); it needs no other tag on regtest. */
export const TAPD_TAGS = ["monitoring"];

export const PINNED = { tapd: "v0.7.0", lnd: "v0.20.0-beta", btcd: "v0.24.3-0.20250318170759-4f4ea81776d6" } as const;

export interface BinarySpec {
  name: BinaryName;
  pkg: string;
  tags: string[];
  ldflags: string;
}

export type BinaryName = "btcd" | "btcctl" | "lnd" | "lncli" | "tapd" | "tapcli";

const lndLdflags = `-X github.com/lightningnetwork/lnd/build.Commit=${PINNED.lnd}`;
const tapdLdflags = `-X github.com/lightninglabs/taproot-assets.Commit=${PINNED.tapd}`;

/** In build order: btcd first (small, shows the toolchain works), then lnd, whose packages tapd reuses. */
export const BINARIES: BinarySpec[] = [
  { name: "btcd", pkg: "github.com/btcsuite/btcd", tags: [], ldflags: "" },
  { name: "btcctl", pkg: "github.com/btcsuite/btcd/cmd/btcctl", tags: [], ldflags: "" },
  { name: "lnd", pkg: "github.com/lightningnetwork/lnd/cmd/lnd", tags: LND_TAGS, ldflags: lndLdflags },
  { name: "lncli", pkg: "github.com/lightningnetwork/lnd/cmd/lncli", tags: LND_TAGS, ldflags: lndLdflags },
  { name: "tapd", pkg: "github.com/lightninglabs/taproot-assets/cmd/tapd", tags: TAPD_TAGS, ldflags: tapdLdflags },
  { name: "tapcli", pkg: "github.com/lightninglabs/taproot-assets/cmd/tapcli", tags: TAPD_TAGS, ldflags: tapdLdflags },
];

/** Environment for every go command on the pinned module (build here, `go mod tidy` when bumping versions). */
export const GO_ENV = {
  CGO_ENABLED: "0",
  GOFLAGS: "-mod=readonly -buildvcs=false",
  GOTOOLCHAIN: "local",
  GONOSUMDB: "github.com/lightninglabs,github.com/lightningnetwork",
} as const;

/** The oldest Go that builds the pinned module graph (taproot-assets v0.7.0 says `go 1.24.9`). */
export const MIN_GO = [1, 24, 9] as const;

export class RegtestSetupError extends Error {
  override name = "RegtestSetupError";
}

export function goVersion(): string | null {
  try {
    return execFileSync("go", ["env", "GOVERSION"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** Parses "go1.26.8" (or "go1.25rc1") into numbers; null for anything else (a devel build). */
export function parseGoVersion(text: string): number[] | null {
  const match = /^go(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : null;
}

export function isGoRecentEnough(version: number[]): boolean {
  for (let i = 0; i < MIN_GO.length; i++) {
    const have = version[i] ?? 0;
    const need = MIN_GO[i] as number;
    if (have !== need) return have > need;
  }
  return true;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.length > 0 ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "lvdao");
}

/** The cache key: readable versions first, then a digest of everything that changes the binaries. */
export function cacheKey(go: string, platform = `${process.platform}-${process.arch}`): string {
  const digest = createHash("sha256");
  digest.update(readFileSync(join(MODULE_DIR, "go.mod")));
  digest.update(readFileSync(join(MODULE_DIR, "go.sum")));
  for (const spec of BINARIES) digest.update(`${spec.name}|${spec.pkg}|${spec.tags.join(",")}|${spec.ldflags}\n`);
  digest.update(`${go}|${platform}`);
  return `tapd-${PINNED.tapd}_lnd-${PINNED.lnd}_${go}_${digest.digest("hex").slice(0, 12)}`;
}

export function binDir(go: string): string {
  return join(cacheRoot(), cacheKey(go), "bin");
}

export type BinaryPaths = Record<BinaryName, string>;

/** The installed binaries, or a RegtestSetupError saying what to run. */
export function findBinaries(): BinaryPaths {
  const go = goVersion();
  if (!go)
    throw new RegtestSetupError(
      "Go is not on PATH, so the regtest binaries cannot be located or built: " +
        "install Go 1.24.9 or newer (see docs/regtest.md), then run `npm run regtest:install`",
    );
  const dir = binDir(go);
  const paths = Object.fromEntries(BINARIES.map((spec) => [spec.name, join(dir, spec.name)])) as BinaryPaths;
  const missing = BINARIES.filter((spec) => !existsSync(paths[spec.name])).map((spec) => spec.name);
  if (missing.length > 0)
    throw new RegtestSetupError(
      `regtest binaries not built (${missing.join(", ")} missing in ${dir}): run \`npm run regtest:install\``,
    );
  return paths;
}
