// Checks, at install time, that the Node.js runtime the project will run under is a supported one and loads the
// project's one native module, so a wrong runtime fails `npm ci` with its name instead of failing the relay at start
// (better-sqlite3 on Node 20 does not throw, it crashes the process).
//
//   node scripts/check-runtime.mjs                 the default runtime: node_modules/.bin/node (the pinned `node`
//                                                  package that npm scripts run under), else this node (after
//                                                  `npm ci --omit=dev`, the system's, which the systemd units run)
//   node scripts/check-runtime.mjs --node <path>   another runtime (scripts/ci/with-node.sh)
//
// better-sqlite3 ships prebuilt Node-API binaries, which every supported major loads as they are: nothing is built.
// Plain JavaScript, no dependencies: it runs as package.json's postinstall, also after `npm ci --omit=dev`.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");
const SUPPORTED_MAJORS = [22, 24];
const LOAD_CHECK = "const db = new (require('better-sqlite3'))(':memory:'); db.prepare('select 1').get(); db.close()";

function fail(message) {
  console.error(`check-runtime: ${message}`);
  process.exit(1);
}

function parseRuntime(args) {
  if (args.length === 0) {
    const pinned = join(REPO, "node_modules", ".bin", "node");
    return existsSync(pinned) ? pinned : process.execPath;
  }
  if (args.length === 2 && args[0] === "--node") return resolve(args[1]);
  fail(`usage: node scripts/check-runtime.mjs [--node <path to a node executable>], got: ${args.join(" ")}`);
}

function versionOf(node) {
  const result = spawnSync(node, ["-p", "process.version"], { encoding: "utf8" });
  if (result.status !== 0) fail(`${node} does not run: ${result.error?.message ?? result.stderr.trim()}`);
  return result.stdout.trim();
}

const node = parseRuntime(process.argv.slice(2));
const version = versionOf(node);
const major = Number(version.slice(1).split(".")[0]);
const supported = SUPPORTED_MAJORS.map((m) => `${m}`).join(" and ");
if (major < SUPPORTED_MAJORS[0]) {
  fail(`${node} is Node.js ${version}; lvdao supports Node.js ${supported}`);
}
if (!SUPPORTED_MAJORS.includes(major)) {
  console.warn(`check-runtime: Node.js ${version} is newer than the majors CI tests (${supported})`);
}
const load = spawnSync(node, ["-e", LOAD_CHECK], { cwd: REPO, encoding: "utf8" });
if (load.status !== 0) {
  const reason = load.signal ? `killed by ${load.signal}` : load.stderr.trim().split("\n").slice(0, 5).join("\n");
  fail(`better-sqlite3 does not load under Node.js ${version} (${node}):\n${reason}`);
}
console.log(`check-runtime: Node.js ${version} (${node}) loads better-sqlite3`);
