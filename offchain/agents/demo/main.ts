// Entry point of `npm run demo:machines` (run.ts does the work). Ctrl-C winds the run down and stops every process
// it started; a second Ctrl-C exits at once (the regtest harness still kills its daemons as the process exits).
import { RegtestSetupError } from "../../regtest/harness/binaries.ts";
import { parseDemoArgs, runDemo } from "./run.ts";

const interrupt = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    if (interrupt.signal.aborted) {
      console.error(`demo:machines: ${signal} again: exiting now`);
      process.exit(130);
    }
    console.error(`demo:machines: ${signal}: stopping every process the demo started (again to exit at once)`);
    interrupt.abort();
  });

try {
  const args = parseDemoArgs(process.argv.slice(2));
  await runDemo(args, console.log, { signal: interrupt.signal });
  process.exit(interrupt.signal.aborted ? 130 : 0);
} catch (error) {
  console.error(`demo:machines: ${(error as Error).message}`);
  process.exit(error instanceof RegtestSetupError ? 2 : interrupt.signal.aborted ? 130 : 1);
}
