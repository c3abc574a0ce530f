// `npm start`'s Lightning step on the real stack: startRegtest (btcd, lnd dao/peer/contributor, tapd dao/contributor,
// the loopd simulator) adapted to the step shape offchain/devnet/start-steps.ts expects: summary lines, the
// `services.lightning` entry later steps read (the same keys the simulators publish: mode, stackFile, stack), and
// stop. Like the simulators under `npm start`, it mines a block every 10 s so that channel opens and swaps confirm.
// Throws RegtestSetupError when the binaries are not built; start-steps.ts then falls back to the simulators.
import type { LightningStack } from "../../lightning/index.ts";
import { NODE_NAMES, TAPD_NODES } from "./daemon-config.ts";
import { startRegtest } from "./index.ts";

export const DEVNET_BLOCK_INTERVAL_MS = 10_000;
/** What runs, counted from the harness's own node lists; `npm start` prints it before starting and in its summary. */
export const REGTEST_BANNER =
  `REAL regtest stack (btcd, lnd x${NODE_NAMES.length}, tapd x${TAPD_NODES.length} built by npm run regtest:install; ` +
  "loopd is a simulator)";

export interface DevnetStepContext {
  progress: (line: string) => void;
}

export interface RegtestDevnetStep {
  summary: string[];
  services: {
    lightning: { mode: "regtest"; stackFile: string; stack: LightningStack; mine(blocks: number): Promise<string[]> };
  };
  stop(): Promise<void>;
}

export async function startDevnetStep(
  context: DevnetStepContext,
  options: { blockIntervalMs?: number } = {},
): Promise<RegtestDevnetStep> {
  const handle = await startRegtest({ progress: context.progress });
  const interval = options.blockIntervalMs ?? DEVNET_BLOCK_INTERVAL_MS;
  let mining: Promise<unknown> = Promise.resolve();
  let miningFailed = false;
  const timer =
    interval > 0
      ? setInterval(() => {
          // One block at a time: a slow mine (lnd catching up) is not overlapped by the next.
          mining = mining
            .then(() => handle.mine(1))
            .catch((error: Error) => {
              if (!miningFailed)
                context.progress(`lightning: mining a block failed (${error.message}); will keep trying`);
              miningFailed = true;
            });
        }, interval)
      : null;
  timer?.unref();
  const { nodes } = handle;
  return {
    summary: [
      REGTEST_BANNER,
      ...Object.values(nodes).map(
        (node) =>
          `${node.name.padEnd(11)} lnd ${node.lnd_socket}${node.tapd_socket ? `  tapd ${node.tapd_socket}` : ""}  ` +
          `p2p ${node.p2p_host}`,
      ),
      `loopd (simulator) ${handle.loop.restUrl}`,
      `btcd        ${String(handle.stack.bitcoin.rpc_host)} (regtest)`,
      `versions    ${Object.entries(handle.versions)
        .filter(([name]) => !name.endsWith(" peer") && !name.endsWith(" contributor"))
        .map(([name, version]) => `${name} ${version}`)
        .join("; ")}`,
      `nodes file ${handle.stackFile}${interval > 0 ? `; a block every ${interval / 1000} s` : ""}`,
    ],
    // `mine` lets npm start offer `npm run regtest:mine` on this chain (offchain/devnet/lightning-control.ts).
    services: {
      lightning: {
        mode: "regtest",
        stackFile: handle.stackFile,
        stack: handle.stack,
        mine: (blocks: number) => handle.mine(blocks),
      },
    },
    stop: async () => {
      if (timer) clearInterval(timer);
      await mining;
      await handle.stop();
    },
  };
}
