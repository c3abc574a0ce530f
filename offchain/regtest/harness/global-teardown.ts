// Vitest global setup for `npm run test:regtest`: after the last file, no daemon this run started may still run.
// The suites stop their stacks in afterAll and processes.ts kills attached daemons when a test process ends, so a
// leftover is a bug: kill it (so it does not hold ports and CPU) and fail the run, naming it. The run's mark (see
// leftover-daemons.ts) keeps other engineers' stacks on the same machine out of it.
import { randomBytes } from "node:crypto";
import { leftoverTestDaemons, RUN_ENV } from "./leftover-daemons.ts";
import { stopPid } from "./processes.ts";

export default function setup() {
  const runId = randomBytes(8).toString("hex");
  process.env[RUN_ENV] = runId;
  return async function teardown() {
    const leftovers = leftoverTestDaemons(runId);
    if (leftovers.length === 0) return;
    await Promise.all(leftovers.map((p) => stopPid(p.pid, 5_000)));
    // Vitest reports an error thrown here but still exits 0, so the exit code is set as well.
    process.exitCode = 1;
    const listed = leftovers.map((p) => `  pid ${p.pid}: ${p.command}`).join("\n");
    throw new Error(`test:regtest left ${leftovers.length} daemon(s) running (now killed):\n${listed}`);
  };
}
