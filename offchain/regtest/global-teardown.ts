// Vitest global setup for `npm run test:regtest`: after the last file, no test daemon may still run. The suites
// stop their stacks in afterAll and processes.ts kills attached daemons when a test process ends, so a leftover is
// a bug: kill it (so it does not hold ports and CPU) and fail the run, naming it.
import { leftoverTestDaemons } from "./leftover-daemons.ts";
import { stopPid } from "./processes.ts";

export default function setup() {
  return async function teardown() {
    const leftovers = leftoverTestDaemons();
    if (leftovers.length === 0) return;
    await Promise.all(leftovers.map((p) => stopPid(p.pid, 5_000)));
    throw new Error(`test:regtest left ${leftovers.length} daemon(s) running (now killed):\n${leftovers.map((p) => `  pid ${p.pid}: ${p.command}`).join("\n")}`);
  };
}
