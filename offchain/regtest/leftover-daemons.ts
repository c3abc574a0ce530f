// The daemons a test stack left running: processes whose command line names a temporary stack directory
// (`<tmpdir>/lvdao-regtest-*`, the harness's default). `npm run test:regtest` checks after the last file that there
// are none (global-teardown.ts); a stack started by `regtest:up` lives in offchain/regtest/.state and is not counted.
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LeftoverProcess {
  pid: number;
  command: string;
}

export function leftoverTestDaemons(prefix = join(tmpdir(), "lvdao-regtest-")): LeftoverProcess[] {
  const found: LeftoverProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      continue; // ended while we looked
    }
    if (argv.some((arg) => arg.includes(prefix))) found.push({ pid: Number(entry), command: argv.join(" ") });
  }
  return found;
}
