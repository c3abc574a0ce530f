/// <reference path="../../node_modules/@stacks/clarinet-sdk/vitest-helpers/src/global.d.ts" />
// Setup file of the contract project: records every (err uNNNN) a contract call returns during the run, so
// `npm run errors:coverage` can show that each error constant is produced by at least one test.
import { afterAll } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { ClarityValue } from "@stacks/transactions";

export const ERRORS_SEEN_FILE = ".cache/errors-seen.json";

// One set for the whole run: setup files are evaluated again for each test file, but the wrapper is installed
// once, so it must write to a set every file's afterAll can see.
const shared = globalThis as unknown as { __lvdaoErrorsSeen?: Set<number> };
shared.__lvdaoErrorsSeen ??= new Set<number>();
const seen = shared.__lvdaoErrorsSeen;
const WRAPPED = new Set(["callPublicFn", "callReadOnlyFn", "callPrivateFn"]);
const g = globalThis as unknown as { simnet: typeof simnet & { __recordingErrors?: boolean } };

function record(result: unknown): void {
  const receipt = result as { result?: ClarityValue; events?: { event: string; data: { value?: ClarityValue } }[] };
  const value = receipt?.result;
  if (value?.type === "err" && value.value.type === "uint") seen.add(Number(value.value.value));
  // A passed action that fails to apply does not fail the call: proposals records the error and prints it.
  for (const event of receipt?.events ?? []) {
    const printed = event.event === "print_event" ? event.data.value : undefined;
    if (printed?.type !== "tuple") continue;
    const { topic, code } = printed.value;
    if (topic?.type === "ascii" && topic.value === "proposal-apply-failed" && code?.type === "uint")
      seen.add(Number(code.value));
  }
}

// The SDK's simnet is itself a Proxy, so it is wrapped from outside rather than patched.
if (!g.simnet.__recordingErrors) {
  const inner = g.simnet;
  g.simnet = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === "__recordingErrors") return true;
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== "string" || typeof value !== "function") return value;
      if (WRAPPED.has(property)) {
        return (...args: unknown[]) => {
          const receipt = (value as (...a: unknown[]) => unknown).apply(target, args);
          record(receipt);
          return receipt;
        };
      }
      if (property === "mineBlock") {
        return (...args: unknown[]) => {
          const receipts = (value as (...a: unknown[]) => unknown[]).apply(target, args);
          receipts.forEach(record);
          return receipts;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

afterAll(() => {
  if (!existsSync(".cache")) mkdirSync(".cache");
  const before: number[] = existsSync(ERRORS_SEEN_FILE) ? JSON.parse(readFileSync(ERRORS_SEEN_FILE, "utf8")) : [];
  writeFileSync(ERRORS_SEEN_FILE, JSON.stringify([...new Set([...before, ...seen])].sort((a, b) => a - b)));
});
