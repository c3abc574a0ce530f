// Polls /extended/v2/smart-contracts/{id}/logs for each contract the router watches. The API lists logs newest
// first; the watcher reads them oldest first from its cursor (the count of logs it has processed, plus the identity
// of the last one, kept in the journal), hands each to the router once it has the configured confirmations, and
// advances the cursor. If the log it last processed is no longer where it was (a reorg), it starts the contract
// over: handlers are idempotent.
import type { Journal } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { RelayMetrics } from "../metrics.ts";
import { Poller } from "../poller.ts";
import type { StacksClient } from "./client.ts";
import { parseEvent, type EventRouter } from "./events.ts";

interface LogsPage {
  total: number;
  results: { tx_id: string; event_index: number; contract_log: { contract_id: string; value: { hex: string } } }[];
}

interface Cursor {
  position: number;
  txid: string | null;
  eventIndex: number | null;
}

const PAGE = 50;

export interface LogsWatcherOptions {
  stacks: StacksClient;
  apiUrl: string;
  deployer: string;
  confirmations: number;
  journal: Journal;
  router: EventRouter;
  log: Logger;
  metrics: RelayMetrics;
  pollIntervalMs: number;
  now?: () => number;
}

export class LogsWatcher {
  private readonly loop: Poller;
  private readonly heights = new Map<string, number | null>();
  /**
   * When a pass last ended with every confirmed log of every watched contract journaled (what the journal-lag gauge
   * counts from). A pass that fails leaves it; logs still short of their confirmations are not lag.
   */
  lastPollAt: number | undefined;

  constructor(private readonly o: LogsWatcherOptions) {
    this.loop = new Poller(
      async () => void (await this.poll()),
      () => o.pollIntervalMs,
      (error) => o.log.warn("contract log poll failed; will retry", { error: (error as Error).message }),
    );
  }

  private cursorName(contractId: string): string {
    return `logs:${contractId}`;
  }

  async cursors(): Promise<Record<string, Cursor>> {
    const out: Record<string, Cursor> = {};
    for (const name of this.o.router.contracts) {
      const id = `${this.o.deployer}.${name}`;
      out[id] = await this.readCursor(id);
    }
    return out;
  }

  private async readCursor(contractId: string): Promise<Cursor> {
    const stored = await this.o.journal.cursors.get(this.cursorName(contractId));
    return stored ? (JSON.parse(stored) as Cursor) : { position: 0, txid: null, eventIndex: null };
  }

  /** One pass over every watched contract. Returns the number of events delivered. */
  async poll(): Promise<number> {
    const tip = await this.o.stacks.tip();
    let delivered = 0;
    for (const name of this.o.router.contracts)
      delivered += await this.pollContract(`${this.o.deployer}.${name}`, tip.stacksHeight);
    this.lastPollAt = (this.o.now ?? Date.now)();
    return delivered;
  }

  private async page(contractId: string, limit: number, offset: number): Promise<LogsPage> {
    const page = await this.o.stacks.getJson<LogsPage>(
      `${this.o.apiUrl}/extended/v2/smart-contracts/${contractId}/logs?limit=${limit}&offset=${offset}`,
    );
    return page ?? { total: 0, results: [] };
  }

  /** Block height of a transaction, null while it is not mined. Mined heights are cached. */
  private async height(txid: string): Promise<number | null> {
    const cached = this.heights.get(txid);
    if (cached !== undefined && cached !== null) return cached;
    const tx = await this.o.stacks.getJson<{ status: string; block?: { height: number } }>(
      `${this.o.apiUrl}/extended/v3/transactions/${txid}`,
    );
    const height = tx && tx.status !== "pending" && tx.block ? tx.block.height : null;
    if (height !== null) this.heights.set(txid, height);
    return height;
  }

  private async pollContract(contractId: string, tipHeight: number): Promise<number> {
    let cursor = await this.readCursor(contractId);
    let delivered = 0;
    for (;;) {
      const { total } = await this.page(contractId, 1, 0);
      this.o.metrics.cursorLag.set(Math.max(0, total - cursor.position), { source: contractId });
      if (cursor.position > total)
        cursor = await this.restart(
          contractId,
          `the API lists ${total} logs, fewer than the cursor's ${cursor.position}`,
        );
      if (cursor.position >= total) return delivered;
      const count = Math.min(PAGE - 1, total - cursor.position);
      const withPrevious = cursor.position > 0 ? 1 : 0;
      const page = await this.page(contractId, count + withPrevious, total - cursor.position - count);
      if (page.total !== total) continue;
      const oldestFirst = [...page.results].reverse();
      if (withPrevious) {
        const previous = oldestFirst.shift();
        if (
          !previous ||
          previous.tx_id.replace(/^0x/, "") !== cursor.txid ||
          previous.event_index !== cursor.eventIndex
        ) {
          cursor = await this.restart(contractId, "the last processed log moved");
          continue;
        }
      }
      for (const log of oldestFirst) {
        const height = await this.height(log.tx_id);
        if (height === null || tipHeight - height + 1 < this.o.confirmations) return delivered;
        const event = parseEvent(log.contract_log.value.hex, {
          contractId,
          txid: log.tx_id,
          eventIndex: log.event_index,
          blockHeight: height,
        });
        if (event) {
          await this.o.router.dispatch(event);
          delivered++;
        }
        cursor = { position: cursor.position + 1, txid: log.tx_id.replace(/^0x/, ""), eventIndex: log.event_index };
        await this.o.journal.cursors.set(
          this.cursorName(contractId),
          JSON.stringify(cursor),
          (this.o.now ?? Date.now)(),
        );
      }
      this.o.metrics.cursorLag.set(Math.max(0, total - cursor.position), { source: contractId });
    }
  }

  private async restart(contractId: string, reason: string): Promise<Cursor> {
    this.o.log.warn("contract log cursor reset; re-reading from the start", { contract: contractId, reason });
    const cursor = { position: 0, txid: null, eventIndex: null };
    await this.o.journal.cursors.set(this.cursorName(contractId), JSON.stringify(cursor), (this.o.now ?? Date.now)());
    return cursor;
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
