// The contract-log watcher against a scripted Hiro-style API: order, paging, confirmations, resuming from the
// journal cursor, and starting over when the chain reorganised under the cursor.
import { Cl, serializeCV } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { EventRouter, type ContractEvent } from "../stacks/events.ts";
import { LogsWatcher } from "../stacks/logs-watcher.ts";
import { StacksClient } from "../stacks/client.ts";
import { Secret } from "../config.ts";
import { openSqliteJournal } from "../journal/sqlite.ts";
import type { Journal } from "../journal/types.ts";
import { memoryLogger } from "../log.ts";
import { RelayMetrics } from "../metrics.ts";

const DEPLOYER = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const QUEUE = `${DEPLOYER}.execution-queue`;
const KEY = "7287ba251d44a4d3fd9276c88ce34c5c52a038955511cccaf77e61068649c17801";

interface Log {
  txid: string;
  eventIndex: number;
  id: number;
  height: number;
}

/** A scripted API: a chain tip and the execution-queue's logs. */
class ScriptedApi {
  tip = 100;
  logs: Log[] = [];
  requests = 0;
  down = false;
  add(id: number, height: number): void {
    this.logs.push({ txid: `0x${id.toString(16).padStart(64, "0")}`, eventIndex: 0, id, height });
  }
  fetch: typeof fetch = async (input) => {
    this.requests++;
    if (this.down) throw new Error("API down");
    const url = new URL(String(input));
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
    if (url.pathname === "/v2/info") return json({ burn_block_height: 10, stacks_tip_height: this.tip });
    const tx = /^\/extended\/v3\/transactions\/(0x[0-9a-f]+)$/.exec(url.pathname);
    if (tx) {
      const log = this.logs.find((l) => l.txid === tx[1]);
      return log ? json({ status: "success", block: { height: log.height } }) : new Response("{}", { status: 404 });
    }
    if (url.pathname === `/extended/v2/smart-contracts/${QUEUE}/logs`) {
      const limit = Number(url.searchParams.get("limit"));
      const offset = Number(url.searchParams.get("offset"));
      const newestFirst = [...this.logs].reverse().slice(offset, offset + limit);
      return json({
        limit,
        offset,
        total: this.logs.length,
        results: newestFirst.map((l) => ({
          tx_id: l.txid,
          event_index: l.eventIndex,
          contract_log: {
            contract_id: QUEUE,
            topic: "print",
            value: { hex: `0x${serializeCV(Cl.tuple({ topic: Cl.stringAscii("action-queued"), id: Cl.uint(l.id) }))}` },
          },
        })),
      });
    }
    return new Response("{}", { status: 404 });
  };
}

async function watcher(api: ScriptedApi, journal: Journal, confirmations = 1) {
  const seen: number[] = [];
  const router = new EventRouter();
  router.on(
    "execution-queue",
    "action-queued",
    async (event: ContractEvent) => void seen.push(Number(event.fields.uint("id"))),
  );
  const stacks = new StacksClient({
    apiUrl: "http://api.test",
    nodeUrl: "http://api.test",
    network: "devnet",
    senderKey: new Secret(KEY),
    feeUstx: 1000n,
    confirmations,
    txTimeoutMs: 1000,
    fetch: api.fetch,
  });
  const logs = new LogsWatcher({
    stacks,
    apiUrl: "http://api.test",
    deployer: DEPLOYER,
    confirmations,
    journal,
    router,
    log: memoryLogger(),
    metrics: new RelayMetrics(),
    pollIntervalMs: 10,
  });
  return { logs, seen };
}

describe("contract-log watcher", () => {
  it("delivers every log once, oldest first, across pages", async () => {
    const api = new ScriptedApi();
    for (let i = 1; i <= 120; i++) api.add(i, 50);
    const { logs, seen } = await watcher(api, await openSqliteJournal(":memory:"));
    expect(await logs.poll()).toBe(120);
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await logs.poll()).toBe(0);
  });

  it("resumes from its cursor after a restart, delivering only what is new", async () => {
    const api = new ScriptedApi();
    const journal = await openSqliteJournal(":memory:");
    for (let i = 1; i <= 5; i++) api.add(i, 50);
    await (await watcher(api, journal)).logs.poll();
    api.add(6, 60);
    const restarted = await watcher(api, journal);
    await restarted.logs.poll();
    expect(restarted.seen).toEqual([6]);
  });

  it("waits for the configured confirmations", async () => {
    const api = new ScriptedApi();
    api.add(1, 98);
    api.add(2, 100);
    const { logs, seen } = await watcher(api, await openSqliteJournal(":memory:"), 3);
    await logs.poll();
    expect(seen).toEqual([1]);
    api.tip = 102;
    await logs.poll();
    expect(seen).toEqual([1, 2]);
  });

  it("a pass stamps lastPollAt, logs short of confirmations included; a failed pass does not", async () => {
    const api = new ScriptedApi();
    api.add(1, 98);
    api.add(2, 100);
    const { logs, seen } = await watcher(api, await openSqliteJournal(":memory:"), 3);
    expect(logs.lastPollAt).toBeUndefined();
    await logs.poll();
    expect(seen).toEqual([1]);
    const stamped = logs.lastPollAt;
    expect(stamped).toBeDefined();
    api.down = true;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(logs.poll()).rejects.toThrow("API down");
    expect(logs.lastPollAt).toBe(stamped);
  });

  it("starts over when the log under its cursor changed (a reorg), so nothing new is skipped", async () => {
    const api = new ScriptedApi();
    for (let i = 1; i <= 3; i++) api.add(i, 50);
    const { logs, seen } = await watcher(api, await openSqliteJournal(":memory:"));
    await logs.poll();
    api.logs.pop();
    api.add(30, 51);
    api.add(4, 52);
    await logs.poll();
    expect(seen).toEqual([1, 2, 3, 1, 2, 30, 4]);
  });
});
