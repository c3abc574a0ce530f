// The relay's layers, lowest first: a file may import its own layer and the layers below it, never one above. The
// flow of an action runs upward through them: events from the chain (stacks/) become jobs in the journal, the
// executor runs them through the daemon ports (daemons/) and writes the receipt through the queue contract
// (stacks/); the monitors are jobs too; start.ts wires everything and the CLI sits on top. offchain/imports.test.ts
// (run by `npm test`) fails on an import that climbs a layer, on any import cycle, and on the imports listed in
// FORBIDDEN.
import type { Layer } from "../../../scripts/import-graph.ts";

const R = "offchain/relay/";

export const RELAY_LAYERS: Layer[] = [
  {
    name: "foundation",
    paths: ["failure.ts", "log.ts", "config.ts", "config-reader.ts", "metrics.ts", "poller.ts", "actions.ts"].map(
      (f) => R + f,
    ),
  },
  { name: "journal", paths: [`${R}journal/`] },
  { name: "stacks", paths: [`${R}stacks/`] },
  // The vault's port is a daemon port (btcd and the co-signer); the funding flow over it is its own layer.
  { name: "daemons", paths: [`${R}daemons/`, `${R}vault/port.ts`] },
  { name: "jobs", paths: [`${R}jobs/`] },
  // Leadership of an [ha] group (a job-table lease) and the fence every daemon call passes while it leads.
  { name: "ha", paths: [`${R}ha/`] },
  { name: "vault", paths: [`${R}vault/`] },
  { name: "executor", paths: [`${R}executor/`] },
  { name: "monitors", paths: [`${R}monitors/`] },
  { name: "market", paths: [`${R}market/`] },
  { name: "status", paths: [`${R}status/`] },
  { name: "start-up", paths: ["runtime.ts", "workers.ts", "start.ts", "devnet-step.ts"].map((f) => R + f) },
  { name: "cli", paths: [`${R}cli/`, `${R}bin/`] },
];

/** Imports the relay's production code must not make, whatever the layers say. */
/** `except`: targets the rule allows; `exceptFrom`: importers it does not judge. */
export const FORBIDDEN: { from: string; to: string; except?: string[]; exceptFrom?: string[]; why: string }[] = [
  {
    from: `${R}executor/`,
    to: "offchain/lightning/",
    why: "the executor sees the daemons only through daemons/ports.ts",
  },
  {
    from: `${R}executor/`,
    to: `${R}daemons/`,
    except: [`${R}daemons/ports.ts`],
    why: "the executor sees the daemons only through daemons/ports.ts",
  },
  {
    from: `${R}monitors/`,
    to: `${R}daemons/`,
    except: [`${R}daemons/ports.ts`],
    why: "the monitors see the daemons only through daemons/ports.ts",
  },
  { from: R, to: "offchain/regtest/", why: "the relay's production code runs no simulator and no regtest harness" },
  {
    from: R,
    to: "offchain/devnet/",
    exceptFrom: [`${R}devnet-step.ts`],
    why: "the relay reaches the devnet only through npm start's one step (devnet-step.ts)",
  },
  {
    from: `${R}devnet-step.ts`,
    to: "offchain/devnet/",
    except: ["offchain/devnet/start-steps.ts"],
    why: "npm start's step needs only the step shape (start-steps.ts)",
  },
  { from: R, to: `${R}test/`, why: "production code imports no test support" },
  { from: R, to: "offchain/lightning/test/", why: "production code imports no test support" },
  { from: R, to: "bench/", why: "production code imports no benchmark" },
];

/** What the layers and FORBIDDEN judge: the relay's production files (its tests may import anything). */
export const isRelayProduction = (file: string): boolean =>
  file.startsWith(R) && !file.startsWith(`${R}test/`) && !/\.test\.tsx?$/.test(file);
