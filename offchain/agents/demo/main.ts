// Entry point of `npm run demo:machines` (run.ts does the work).
import { parseDemoArgs, runDemo } from "./run.ts";

try {
  await runDemo(parseDemoArgs(process.argv.slice(2)));
  process.exit(0);
} catch (error) {
  console.error(`demo:machines: ${(error as Error).message}`);
  process.exit(1);
}
