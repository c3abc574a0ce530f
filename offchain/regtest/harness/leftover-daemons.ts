// The daemons one `npm run test:regtest` run left running. global-teardown.ts marks the run with a random id in
// LVDAO_REGTEST_RUN before the test files start; every daemon a test starts inherits it. A leftover is a process
// with this run's mark whose command line names a temporary stack directory (`<tmpdir>/lvdao-regtest-*`, the
// harness's default). Other engineers' stacks on the same machine (another run's mark, or `regtest:up`'s stack in
// offchain/regtest/.state) are never counted, so the check can kill only what this run started.
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const RUN_ENV = "LVDAO_REGTEST_RUN";

export interface LeftoverProcess {
  pid: number;
  command: string;
}

export function leftoverTestDaemons(runId: string, prefix = join(tmpdir(), "lvdao-regtest-")): LeftoverProcess[] {
  const mark = `${RUN_ENV}=${runId}`;
  const found: LeftoverProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string[];
    let environment: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      environment = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
    } catch {
      continue; // ended while we looked, or not ours to read
    }
    if (argv.some((arg) => arg.includes(prefix)) && environment.includes(mark))
      found.push({ pid: Number(entry), command: argv.filter(Boolean).join(" ") });
  }
  return found;
}
