// One relay under test for a whole file, on a stack of real peers (the node emulation with either the Lightning
// simulators or the real regtest daemons): the stack started, anything the file needs done before the relay runs,
// relay.toml written, the relay started from it as `lvdao relay start` would with its log kept in memory, and
// everything stopped after the last test. Also the steps the suites share: an action passed by vote and carried
// out, and the check that nothing secret reached the log.
import { readFileSync } from "node:fs";
import { Cl, serializeCV } from "@stacks/transactions";
import { afterAll, beforeAll, expect } from "vitest";
import type { Devnet } from "../../devnet/index.ts";
import { loadConfig } from "../config.ts";
import type { JournalRow } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { startRelay, type RelayRuntime } from "../start.ts";
import { passAction } from "../../devnet/governance.ts";
import { until } from "./wait.ts";

interface PeerStack {
  devnet: Devnet;
  writeConfig(name: string, options?: never): string;
  stop(): Promise<void>;
}

export interface RelaySuite<S extends PeerStack> {
  readonly stack: S;
  readonly relay: RelayRuntime;
  readonly log: ReturnType<typeof memoryLogger>;
  readonly configPath: string;
}

/**
 * Registers the file's beforeAll and afterAll. `prepare` runs on the started stack before relay.toml is written;
 * what it returns is passed to the stack's writeConfig. The returned suite is filled in by beforeAll.
 */
export function relaySuite<S extends PeerStack>(
  file: string,
  options: {
    start: () => Promise<S>;
    prepare?: (stack: S) => Promise<Parameters<S["writeConfig"]>[1]> | Parameters<S["writeConfig"]>[1];
    timeoutMs?: number;
  },
): RelaySuite<S> {
  const started = Date.now();
  const parts: { stack?: S; relay?: RelayRuntime; configPath?: string } = {};
  const log = memoryLogger();
  beforeAll(async () => {
    parts.stack = await options.start();
    const toml = await options.prepare?.(parts.stack);
    parts.configPath = (parts.stack.writeConfig as (name: string, options?: unknown) => string)("relay", toml);
    const { config, secrets } = loadConfig(parts.configPath, {});
    parts.relay = await startRelay(config, { secrets, logSink: (line) => log.lines.push(line) });
  }, options.timeoutMs ?? 300_000);
  afterAll(async () => {
    await parts.relay?.stop();
    await parts.stack?.stop();
    console.log(`${file} wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 120_000);
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`the suite's ${what} is not started (its beforeAll failed or has not run)`);
    return value;
  };
  return {
    get stack() {
      return need(parts.stack, "stack");
    },
    get relay() {
      return need(parts.relay, "relay");
    },
    get configPath() {
      return need(parts.configPath, "config");
    },
    log,
  };
}

/**
 * Passes the action by vote and waits for the relay's receipt. An outcome other than `expected` fails with the
 * relay's own failure code and detail, not with a later wait on a daemon: "reported" alone is not success.
 */
export async function executeByVote(
  suite: RelaySuite<PeerStack>,
  kind: string,
  tuple: Parameters<typeof Cl.tuple>[0],
  expected: "success" | "failure" = "success",
  timeoutMs = 120_000,
): Promise<{ id: bigint; row: JournalRow }> {
  const id = await passAction(
    suite.stack.devnet,
    kind,
    Buffer.from(serializeCV(Cl.tuple(tuple)), "hex"),
    `${kind} via the relay`,
  );
  const row = await until(
    `${kind} #${id} reported`,
    async () => {
      const job = await suite.relay.journal.actions.get(id);
      return job?.state === "reported" ? job : undefined;
    },
    timeoutMs,
  );
  if (row.outcome !== expected) {
    throw new Error(
      `${kind} #${id} ended ${row.outcome} (code ${row.failureCode}, ` +
        `retryable ${row.failureRetryable}): ${row.failureDetail ?? "no detail"}`,
    );
  }
  return { id, row };
}

/** The relay's log carries none of these macaroons (by file) and not the relay's Stacks key. */
export function expectNothingSecretLogged(suite: RelaySuite<PeerStack>, macaroonFiles: string[]): void {
  const text = suite.log.lines.join("\n");
  expect(suite.log.lines.length).toBeGreaterThan(5);
  for (const path of macaroonFiles) expect(text).not.toContain(readFileSync(path).toString("hex"));
  expect(text).not.toContain(suite.stack.devnet.account("wallet_6").privateKey);
}
