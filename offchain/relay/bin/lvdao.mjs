#!/usr/bin/env node
// The `lvdao` command (package.json "bin"): runs the TypeScript CLI through tsx's loader, so it works straight
// after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
// `lvdao action kinds | head`: a reader that stops early is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = await import(new URL("../cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
