import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:regtest`: the suites that need real btcd, lnd and tapd (offchain/**/*.regtest.test.ts; build the
// daemons first with `npm run regtest:install`). Each file starts its own stack on free loopback ports, so files
// run one after another: two stacks at once would only compete for the CPU.
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["offchain/**/*.regtest.test.ts"],
    exclude: ["**/node_modules/**"],
    environment: "node",
    // Fails the run if any test stack's daemon is still running after the last file.
    globalSetup: ["offchain/regtest/harness/global-teardown.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
