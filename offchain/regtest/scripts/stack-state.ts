// The running `regtest:up` stack as the scripts see it: offchain/regtest/.state/nodes.json and the pids of the
// daemons it started (regtest/pids.json), and whether those processes are still alive.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_STATE_DIR } from "../harness/index.ts";

export { alive as isAlive } from "../harness/processes.ts";

export const STACK_FILE = join(DEFAULT_STATE_DIR, "nodes.json");
export const REGTEST_ROOT = join(DEFAULT_STATE_DIR, "regtest");
const PIDS_FILE = join(REGTEST_ROOT, "pids.json");

export interface RecordedProcess {
  name: string;
  pid: number;
}

export function recordedProcesses(): RecordedProcess[] {
  if (!existsSync(PIDS_FILE)) return [];
  const parsed = JSON.parse(readFileSync(PIDS_FILE, "utf8")) as unknown;
  if (!Array.isArray(parsed)) throw new Error(`${PIDS_FILE} is not a list of processes`);
  return parsed.filter(
    (entry): entry is RecordedProcess =>
      typeof entry?.name === "string" && Number.isSafeInteger(entry?.pid) && entry.pid > 1,
  );
}

export function stackMode(): "regtest" | "simulator" | null {
  if (!existsSync(STACK_FILE)) return null;
  try {
    const mode = (JSON.parse(readFileSync(STACK_FILE, "utf8")) as { mode?: unknown }).mode;
    return mode === "regtest" || mode === "simulator" ? mode : null;
  } catch {
    return null;
  }
}
