// `npm run regtest:down`: stops every process `regtest:up` started (by the pids it recorded, last started first)
// and removes the stack's state: the daemons' data, credentials and logs, and nodes.json.
import { rmSync } from "node:fs";
import { stopPid } from "../harness/processes.ts";
import { isAlive, recordedProcesses, REGTEST_ROOT, STACK_FILE, stackMode } from "./stack-state.ts";

async function main() {
  const processes = recordedProcesses();
  const alive = processes.filter((p) => isAlive(p.pid));
  for (const entry of [...alive].reverse()) {
    const started = Date.now();
    await stopPid(entry.pid, 30_000);
    console.log(
      `regtest:down: stopped ${entry.name} (pid ${entry.pid}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  if (stackMode() === "regtest") rmSync(STACK_FILE, { force: true });
  rmSync(REGTEST_ROOT, { recursive: true, force: true });
  console.log(
    alive.length > 0
      ? "regtest:down: stack stopped and its state removed"
      : "regtest:down: no regtest stack was running; state removed",
  );
}

main().catch((error) => {
  console.error(`regtest:down failed: ${(error as Error).message}`);
  process.exit(1);
});
