// The loopd simulator next to the real daemons: inside the test process for `startRegtest()`, or as its own
// detached process for `regtest:up` (loopd-sim/main.ts), so it keeps serving after the command returns.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectLoop, getLoopOutTerms, type AuthenticatedLnd, type StackNode } from "../../lightning/index.ts";
import type { StartContext } from "./daemons.ts";
import { startLoopSim } from "../loopd-sim/index.ts";
import { startProcess, waitFor, type ManagedProcess } from "./processes.ts";

export interface RunningLoop {
  restUrl: string;
  certPath: string;
  macaroonPath: string;
  macaroonHex: string;
  cert: string;
  /** The detached process, when there is one. */
  process: ManagedProcess | null;
  stop(): Promise<void>;
}

const LOOP_MAIN = fileURLToPath(new URL("../loopd-sim/main.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export async function startLoop(options: {
  context: StartContext;
  nodes: { dao: StackNode; peer: StackNode; contributor: StackNode };
  lnd: { dao: AuthenticatedLnd; peer: AuthenticatedLnd };
  progress: (line: string) => void;
}): Promise<RunningLoop> {
  const { context } = options;
  if (!context.detached) {
    const sim = await startLoopSim({
      lnd: options.lnd,
      nodes: options.nodes,
      stateDir: context.root,
      port: context.ports.loop,
      log: (line) => options.progress(`loopd: ${line}`),
    });
    return { ...sim, process: null, stop: sim.stop };
  }
  const nodesFile = join(context.root, "loop-nodes.json");
  writeFileSync(nodesFile, `${JSON.stringify(options.nodes, null, 2)}\n`, { mode: 0o600 });
  const process = startProcess({
    name: "loopd simulator",
    command: globalThis.process.execPath,
    args: [
      "--import",
      "tsx",
      LOOP_MAIN,
      "--nodes",
      nodesFile,
      "--state-dir",
      context.root,
      "--port",
      String(context.ports.loop),
    ],
    logPath: join(context.root, "logs", "loop-sim.log"),
    detached: true,
    cwd: REPO_ROOT,
  });
  const restUrl = `https://127.0.0.1:${context.ports.loop}`;
  const certPath = join(context.root, "loop", "tls.cert");
  const macaroonPath = join(context.root, "loop", "loop.macaroon");
  await waitFor(
    "the loopd simulator to answer",
    async () => {
      const loop = connectLoop({ restUrl, certPath, macaroonPath });
      return getLoopOutTerms({ loop, timeoutMs: 2_000 });
    },
    { process, timeoutMs: 60_000, intervalMs: 250 },
  );
  return {
    restUrl,
    certPath,
    macaroonPath,
    macaroonHex: readFileSync(macaroonPath).toString("hex"),
    cert: readFileSync(certPath, "utf8"),
    process,
    stop: () => process.stop(),
  };
}
