// Entry point of `npm run demo:machines` (run.ts does the work). Ctrl-C winds the run down and stops every process
// it started; a second Ctrl-C exits at once (the daemons are still killed as the process exits). A terminal's Ctrl-C
// reaches this process twice (directly, and forwarded by tsx), so a signal within a second of the first is the same.
import { RegtestSetupError } from "../../regtest/harness/binaries.ts";
import { parseDemoArgs, runDemo } from "./run.ts";

const interrupt = new AbortController();
const SAME_SIGNAL_MS = 1_000;
let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (interrupt.signal.aborted && Date.now() - firstSignalAt < SAME_SIGNAL_MS) return;
    if (interrupt.signal.aborted) {
      console.error(`demo:machines: ${signal} again: exiting now`);
      process.exit(130);
    }
    console.error(`demo:machines: ${signal}: stopping every process the demo started (again to exit at once)`);
    firstSignalAt = Date.now();
    interrupt.abort();
  });

try {
  const args = parseDemoArgs(process.argv.slice(2));
  await runDemo(args, console.log, { signal: interrupt.signal });
  process.exit(interrupt.signal.aborted ? 130 : 0);
} catch (error) {
  const interrupted = interrupt.signal.aborted ? "interrupted; every process it started is stopped (" : "";
  console.error(`demo:machines: ${interrupted}${(error as Error).message}${interrupted ? ")" : ""}`);
  process.exit(error instanceof RegtestSetupError ? 2 : interrupt.signal.aborted ? 130 : 1);
}
