// The relay step of `npm start` (offchain/devnet/start-steps.ts): the real relay (startRelay, as `lvdao relay start`
// runs it) against the node emulation and whatever Lightning side the earlier step published (the simulators or the
// real regtest stack, as a nodes.json LightningStack, with loopd when it is there). Its key is wallet_6's devnet key,
// the relay the devnet bootstrap enables; it is written to a 0600 file in a temporary directory and read from there
// like any relay key, never printed. The relay's log goes to relay.log in that directory; npm start shows progress.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartedStep, StepContext } from "../devnet/start-steps.ts";
import { readLightningStack, type LightningStack } from "../lightning/connection/stack-file.ts";
import { readConfig } from "./config.ts";
import { startRelay } from "./start.ts";

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
    http: { enabled: true, listen: "127.0.0.1:0" },
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
  const dir = mkdtempSync(join(tmpdir(), "lvdao-relay-"));
  try {
    writeFileSync(join(dir, "relay.key"), devnet.account(DEVNET_RELAY_ACCOUNT).privateKey, { mode: 0o600 });
    const deployer = devnet.account("deployer").address;
    const { config, secrets } = readConfig(devnetRelayTable(devnet.url, deployer, stack), {
      configPath: join(dir, "relay.toml"),
      env: {},
    });
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
        `journal and log in ${dir}`,
      ],
      services: { relay: { statusUrl: relay.statusUrl, address: devnet.account(DEVNET_RELAY_ACCOUNT).address, dir } },
      async stop() {
        await relay.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
