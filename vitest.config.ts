import { defineConfig } from "vitest/config";
import { vitestSetupFilePath, getClarinetVitestsArgv } from "@stacks/clarinet-sdk/vitest";

// Two projects: the contract suite runs inside Clarinet's simnet environment (one simnet, reset between
// tests by the SDK), and the off-chain suite runs in plain Node. Suites that need real daemons live in
// *.regtest.test.ts and run only under `npm run test:regtest`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "contracts",
          include: ["tests/**/*.test.ts"],
          environment: "clarinet",
          pool: "forks",
          isolate: false,
          maxWorkers: 1,
          setupFiles: [vitestSetupFilePath, "tests/helpers/record-errors.ts"],
          // Costs are always tracked: on a real chain every call is costed, and some failures (the cost of
          // decoding an empty buffer, for one) only appear when they are.
          environmentOptions: { clarinet: { ...getClarinetVitestsArgv(), costs: true } },
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: "offchain",
          include: ["offchain/**/*.test.ts"],
          exclude: ["**/node_modules/**", "offchain/**/*.regtest.test.ts", "offchain/web/**"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
