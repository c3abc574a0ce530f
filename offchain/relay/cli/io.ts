// What every `lvdao` command shares: where it writes, the usage error main.ts turns into exit 2, and the exit code
// for a difference found (audit drift, a deployment or a proposal's code that differs).
import { existsSync } from "node:fs";
import { DEVNET_RELAY_CONFIG } from "../config.ts";

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const defaultIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** A command line that cannot be run as given: exit 2 with the usage. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** --config as given, else npm start's relay config when it exists (said on stderr), else a usage error. */
export function configOrDevnet(given: string | undefined, command: string, io: Io): string {
  if (given) return given;
  if (existsSync(DEVNET_RELAY_CONFIG)) {
    io.err(`lvdao: no --config given: using npm start's relay config, ${DEVNET_RELAY_CONFIG}`);
    return DEVNET_RELAY_CONFIG;
  }
  throw new UsageError(`${command} needs --config <relay.toml> (no npm start relay config at ${DEVNET_RELAY_CONFIG})`);
}

/** A difference found: the node drifted from the DAO's decisions, or a deployment from this repository. */
export const DRIFT_EXIT = 3;
