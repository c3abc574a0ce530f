// What every `lvdao` command shares: where it writes, the usage error main.ts turns into exit 2, and the exit code
// for a difference found (audit drift, a deployment or a proposal's code that differs).
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

/** A difference found: the node drifted from the DAO's decisions, or a deployment from this repository. */
export const DRIFT_EXIT = 3;
