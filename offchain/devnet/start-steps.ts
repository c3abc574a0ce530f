// The pieces `npm start` brings up after the node emulation. Each is a step other parts of lvdao provide:
//   Lightning: offchain/regtest/harness/devnet-step.ts `startDevnetStep` (real btcd/lnd/tapd, when built), else
//              offchain/regtest/lnd-tapd-sim `startSimulators` (protocol-level lnd/tapd/loopd simulators).
//   Relay:     offchain/relay/devnet-step.ts exporting `startDevnetStep(context)`.
//   Web app:   offchain/web/devnet-step.ts exporting `startDevnetStep(context)`.
// A step module that does not exist yet is reported as "not available"; nothing is faked in its place.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Devnet } from "./index.ts";

export interface StepContext {
  devnet: Devnet;
  /** Endpoints and credentials published by earlier steps (e.g. the Lightning step's lnd/tapd/loopd). */
  services: Record<string, unknown>;
  progress: (line: string) => void;
  /** The Lightning side's block interval (`--fast`); undefined keeps the step's own default. */
  lightningBlockTimeMs?: number;
  /** Where the relay step keeps its config, journal and log; undefined: `.lvdao/devnet/` (tests give their own). */
  relayDir?: string;
}

export interface StartedStep {
  /** Lines for the final summary: URLs, ports, what runs where. */
  summary: string[];
  /** Values for later steps (merged into context.services). */
  services?: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface StartStep {
  name: string;
  start(context: StepContext): Promise<StartedStep | { unavailable: string }>;
}

const offchain = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

async function importIfPresent(relative: string): Promise<Record<string, unknown> | null> {
  const path = offchain(relative);
  if (!existsSync(path)) return null;
  return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
}

type StepStarter = (context: StepContext, options?: { blockIntervalMs?: number }) => Promise<StartedStep>;

/** A step provided by a module exporting `startDevnetStep(context)`. */
export function moduleStep(name: string, relative: string): StartStep {
  return {
    name,
    async start(context) {
      const module = await importIfPresent(relative);
      if (!module) return { unavailable: `${relative} does not exist yet` };
      if (typeof module.startDevnetStep !== "function")
        return { unavailable: `${relative} does not export startDevnetStep` };
      return (module.startDevnetStep as StepStarter)(context);
    },
  };
}

const blockInterval = (context: StepContext): { blockIntervalMs?: number } =>
  context.lightningBlockTimeMs === undefined ? {} : { blockIntervalMs: context.lightningBlockTimeMs };

/**
 * The Lightning side: the real regtest stack when the harness says its binaries are built (and `mode` allows it),
 * else the simulators, saying which and why.
 */
export function lightningStep(mode: "auto" | "simulators"): StartStep {
  return {
    name: "lightning",
    async start(context) {
      let reason = "--simulators was given";
      if (mode === "auto") {
        const harness = await importIfPresent("regtest/harness/devnet-step.ts");
        if (!harness || typeof harness.startDevnetStep !== "function") {
          reason = "offchain/regtest/harness/devnet-step.ts is not available";
        } else {
          try {
            const banner = typeof harness.REGTEST_BANNER === "string" ? harness.REGTEST_BANNER : "real regtest stack";
            context.progress(`lightning: starting the ${banner}`);
            return await (harness.startDevnetStep as StepStarter)(context, blockInterval(context));
          } catch (error) {
            reason = `the real regtest stack could not start: ${(error as Error).message}`;
          }
        }
      }
      context.progress(`lightning: using the simulators (${reason})`);
      const sim = await importIfPresent("regtest/lnd-tapd-sim/index.ts");
      if (!sim || typeof sim.startSimulators !== "function") {
        return { unavailable: `${reason}, and offchain/regtest/lnd-tapd-sim is not available either` };
      }
      return (sim.startSimulators as StepStarter)({ ...context, ...blockInterval(context) });
    },
  };
}
