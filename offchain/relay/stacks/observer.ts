// Receives a Stacks node's event-observer pushes ([[events_observer]] endpoint = this listener): POST /new_block
// carries every contract event of the block. Events of the watched contracts are held until their block has the
// configured confirmations, then handed to the router in block order. Every other observer path is acknowledged
// (the node blocks until its observers answer 200). The pushed block heights also serve as the chain tip.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log.ts";
import { parseEvent, type ContractEvent, type EventRouter } from "./events.ts";

interface NewBlock {
  block_height: number;
  burn_block_height: number;
  events: {
    txid: string;
    event_index: number;
    committed?: boolean;
    type: string;
    contract_event?: { contract_identifier: string; raw_value: string };
  }[];
}

const MAX_BODY = 32 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        fail(new Error("body too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
    req.on("error", fail);
  });
}

export interface ObserverOptions {
  host: string;
  port: number;
  deployer: string;
  confirmations: number;
  router: EventRouter;
  log: Logger;
}

export class EventObserver {
  private server: Server | undefined;
  private pending: ContractEvent[] = [];
  private delivering: Promise<void> = Promise.resolve();
  tipHeight = 0;
  burnHeight = 0;
  /** when the last pushed block was handled, its confirmed events journaled (what the journal-lag gauge counts from) */
  caughtUpAt: number | undefined;
  url = "";

  constructor(private readonly o: ObserverOptions) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void (async () => {
        try {
          if (req.method !== "POST") {
            res.writeHead(405).end();
            return;
          }
          const body = await readBody(req);
          if (req.url === "/new_block") await this.onBlock(JSON.parse(body) as NewBlock);
          else if (req.url === "/new_burn_block")
            this.burnHeight = Math.max(
              this.burnHeight,
              (JSON.parse(body) as { burn_block_height: number }).burn_block_height,
            );
          res.writeHead(200, { "Content-Type": "application/json" }).end('{"result":"ok"}');
        } catch (error) {
          this.o.log.warn("event observer could not take a push", { path: req.url, error: (error as Error).message });
          res.writeHead(500).end();
        }
      })();
    });
    await new Promise<void>((done, fail) => {
      server.once("error", fail);
      server.listen(this.o.port, this.o.host, () => done());
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.url = `http://${this.o.host}:${address.port}`;
    return this.url;
  }

  private async onBlock(block: NewBlock): Promise<void> {
    const watched = new Set([...this.o.router.contracts].map((name) => `${this.o.deployer}.${name}`));
    for (const event of block.events ?? []) {
      if (event.type !== "contract_event" || !event.contract_event || event.committed === false) continue;
      if (!watched.has(event.contract_event.contract_identifier)) continue;
      const parsed = parseEvent(event.contract_event.raw_value, {
        contractId: event.contract_event.contract_identifier,
        txid: event.txid,
        eventIndex: event.event_index,
        blockHeight: block.block_height,
      });
      if (parsed) this.pending.push(parsed);
    }
    this.tipHeight = Math.max(this.tipHeight, block.block_height);
    this.burnHeight = Math.max(this.burnHeight, block.burn_block_height);
    // Answer the node only after confirmed events are handled, so a crash before that makes the node push again.
    this.delivering = this.delivering.then(() => this.deliverConfirmed());
    await this.delivering;
    this.caughtUpAt = Date.now();
  }

  private async deliverConfirmed(): Promise<void> {
    const ready = this.pending.filter((e) => this.tipHeight - e.blockHeight + 1 >= this.o.confirmations);
    this.pending = this.pending.filter((e) => !ready.includes(e));
    for (const event of ready) await this.o.router.dispatch(event);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
  }
}
