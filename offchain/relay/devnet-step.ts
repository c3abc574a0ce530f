// The relay step of `npm start` (offchain/devnet/start-steps.ts): the real relay (startRelay, as `lvdao relay start`
// runs it) against the node emulation and whatever Lightning side the earlier step published (the simulators or the
// real regtest stack, as a nodes.json LightningStack, with loopd when it is there). Its key is wallet_6's devnet key,
// the relay the devnet bootstrap enables. Everything an operator would point `lvdao relay status` or `lvdao audit` at
// is kept in one folder, `.lvdao/devnet/` (git-ignored): relay.toml (read back like any config), relay.key (0600,
// never printed), the journal and relay.log. The folder outlives the run for inspection; the next `npm start` starts
// a new chain, so it clears the previous journal and log first. The status server takes the documented port 8732, or
// any free port, saying so, when 8732 is taken.
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { stringify as toToml } from "smol-toml";
import type { StartedStep, StepContext } from "../devnet/start-steps.ts";
import { readLightningStack, type LightningStack } from "../lightning/connection/stack-file.ts";
import { DEVNET_RELAY_DIR, loadConfig } from "./config.ts";
import { startRelay } from "./start.ts";

/** The status port docs/relay.md gives. */
export const DEVNET_STATUS_PORT = 8732;

/** `port` on 127.0.0.1 if nothing listens there, else 0 (any free port). */
export async function freePortOr(port: number): Promise<number> {
  const server = createServer();
  const free = await new Promise<boolean>((done) => {
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => done(true));
  });
  if (free) await new Promise<void>((done) => server.close(() => done()));
  return free ? port : 0;
}

/** The devnet account the bootstrap makes the relay (contracts/lvdao-bootstrap.clar). */
export const DEVNET_RELAY_ACCOUNT = "wallet_6";

export class RelayStepError extends Error {
  override name = "RelayStepError";
}

/** The Lightning stack an earlier step published: `services.lightning.stack`, or its nodes.json at `stackFile`. */
export function publishedStack(services: Record<string, unknown>): LightningStack | null {
  const lightning = services.lightning as { stack?: LightningStack; stackFile?: string } | undefined;
  if (!lightning) return null;
  if (lightning.stack) return lightning.stack;
  if (lightning.stackFile) return readLightningStack(lightning.stackFile);
  throw new RelayStepError("the lightning step published neither a stack nor a stackFile");
}

/** The relay config table (the relay.toml sections) for the emulation and a Lightning stack. */
export function devnetRelayTable(
  stacksUrl: string,
  deployer: string,
  stack: LightningStack | null,
  statusPort = 0,
): Record<string, unknown> {
  const table: Record<string, unknown> = {
    stacks: {
      api_url: stacksUrl,
      node_url: stacksUrl,
      network: "devnet",
      deployer,
      relay_key_file: "relay.key",
      poll_interval_ms: 1000,
    },
    journal: { sqlite_path: "relay.db" },
    http: { enabled: true, listen: `127.0.0.1:${statusPort}` },
    log: { level: "info" },
  };
  if (stack) {
    const { dao, contributor } = stack.nodes;
    table.lnd = { socket: dao.lnd_socket, cert_file: dao.lnd_cert_path, macaroon_file: dao.lnd_macaroon_path };
    if (dao.tapd_socket)
      table.tapd = { socket: dao.tapd_socket, cert_file: dao.tapd_cert_path, macaroon_file: dao.tapd_macaroon_path };
    if (contributor.tapd_socket) {
      const wallet = {
        socket: contributor.tapd_socket,
        cert_file: contributor.tapd_cert_path,
        macaroon_file: contributor.tapd_macaroon_path,
      };
      table.tapd_wallets = { operations: wallet, channels: wallet };
    }
    if (stack.loop)
      table.loop = {
        rest_url: stack.loop.rest_url,
        cert_file: stack.loop.cert_path,
        macaroon_file: stack.loop.macaroon_path,
      };
  }
  return table;
}

export async function startDevnetStep(context: StepContext): Promise<StartedStep> {
  const { devnet, progress } = context;
  const stack = publishedStack(context.services);
  const dir = context.relayDir ?? DEVNET_RELAY_DIR;
  mkdirSync(dir, { recursive: true });
  // A new chain each run: the previous run's journal (cursors, actions) belongs to a chain that is gone.
  for (const file of ["relay.db", "relay.db-wal", "relay.db-shm", "relay.log"])
    rmSync(join(dir, file), { force: true });
  writeFileSync(join(dir, "relay.key"), devnet.account(DEVNET_RELAY_ACCOUNT).privateKey, { mode: 0o600 });
  const statusPort = await freePortOr(DEVNET_STATUS_PORT);
  if (statusPort !== DEVNET_STATUS_PORT)
    progress(`relay: port ${DEVNET_STATUS_PORT} is taken (another relay?); the status server takes a free port`);
  const deployer = devnet.account("deployer").address;
  const configPath = join(dir, "relay.toml");
  writeFileSync(
    configPath,
    "# npm start's relay (offchain/relay/devnet-step.ts); rewritten at each start.\n" +
      toToml(devnetRelayTable(devnet.url, deployer, stack, statusPort)),
  );
  const { config, secrets } = loadConfig(configPath, {});
  const logFile = join(dir, "relay.log");
  const relay = await startRelay(config, {
    secrets,
    logSink: (line) => appendFileSync(logFile, `${line}\n`),
    progress: (line) => progress(`relay: ${line}`),
  });
  const lightning = stack
    ? `lnd ${stack.nodes.dao.lnd_socket} (${stack.mode})` +
      `${stack.loop ? `, loopd ${stack.loop.rest_url}` : ", no loopd"}`
    : "no Lightning side (--no-lightning)";
  return {
    summary: [
      `${devnet.account(DEVNET_RELAY_ACCOUNT).address} (${DEVNET_RELAY_ACCOUNT}) against ${lightning}`,
      `status ${relay.statusUrl}/status  /healthz  /metrics  /channels`,
      `config, journal and log in ${dir} (kept after stop; lvdao relay status and lvdao audit read it by default)`,
    ],
    services: { relay: { statusUrl: relay.statusUrl, address: devnet.account(DEVNET_RELAY_ACCOUNT).address, dir } },
    stop: () => relay.stop(),
  };
}
