// Runs the loopd REST simulator (offchain/regtest/loopd-sim, owned by the regtest stack) on top of the simulated
// lnd nodes, unchanged: it only ever talks to lnd through `lightning` calls, so it cannot tell these nodes from real
// ones. Until that module exists the stack runs without loopd and says so; nothing stands in for it.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AuthenticatedLnd } from "lightning";
import type { StackNode } from "../../lightning/connection/stack-file.ts";

export interface LoopHandle {
  restUrl: string;
  certPath: string;
  macaroonPath: string;
  macaroonHex: string;
  cert: string;
  stop(): Promise<void>;
}

const LOOP_SIM = fileURLToPath(new URL("../loopd-sim/index.ts", import.meta.url));

export async function startLoopSimulator(options: {
  lnd: { dao: AuthenticatedLnd; peer: AuthenticatedLnd };
  nodes: { dao: StackNode; peer: StackNode; contributor: StackNode };
  stateDir: string;
  host: string;
  progress: (line: string) => void;
}): Promise<LoopHandle | null> {
  if (!existsSync(LOOP_SIM)) {
    options.progress("lightning (simulator): offchain/regtest/loopd-sim is not there yet; running without loopd");
    return null;
  }
  const module = (await import(pathToFileURL(LOOP_SIM).href)) as Record<string, unknown>;
  const start = module.startLoopSim ?? module.startLoopSimulator;
  if (typeof start !== "function")
    throw new Error("offchain/regtest/loopd-sim/index.ts exports neither startLoopSim nor startLoopSimulator");
  const handle = (await start({
    lnd: options.lnd,
    nodes: options.nodes,
    stateDir: options.stateDir,
    host: options.host,
  })) as Partial<LoopHandle>;
  for (const field of ["restUrl", "certPath", "macaroonPath", "macaroonHex", "cert", "stop"] as const) {
    if (handle[field] === undefined) throw new Error(`the loop simulator's handle has no ${field}`);
  }
  return handle as LoopHandle;
}
