// Event observers: like a Stacks node configured with [[events_observer]], the emulation POSTs every new block to
// /new_block and every burn block to /new_burn_block of each observer, in order, retrying until it is accepted
// (a node blocks on its observers; here each observer has its own ordered queue so one slow observer does not
// hold up the chain).
import type { BlockRecord, Chain, TxRecord } from "./stacks-chain.ts";
import { toObserverEvent, type ObserverEvent } from "./events.ts";

export interface NewBlockPayload {
  block_hash: string;
  block_height: number;
  block_time: number;
  burn_block_hash: string;
  burn_block_height: number;
  burn_block_time: number;
  index_block_hash: string;
  parent_block_hash: string;
  parent_index_block_hash: string;
  parent_burn_block_hash: string;
  parent_burn_block_height: number;
  parent_burn_block_timestamp: number;
  parent_microblock: string;
  parent_microblock_sequence: number;
  miner_txid: string;
  consensus_hash: string;
  events: ObserverEvent[];
  transactions: {
    txid: string;
    tx_index: number;
    status: "success" | "abort_by_response" | "abort_by_post_condition";
    raw_result: string;
    raw_tx: string;
    contract_interface: null;
    execution_cost: {
      read_count: number;
      read_length: number;
      runtime: number;
      write_count: number;
      write_length: number;
    };
    microblock_sequence: null;
    microblock_hash: null;
    microblock_parent_hash: null;
    vm_error: string | null;
  }[];
  matured_miner_rewards: [];
  signer_signature_hash: string;
  miner_signature: string;
}

export interface NewBurnBlockPayload {
  burn_block_hash: string;
  burn_block_height: number;
  reward_recipients: [];
  reward_slot_holders: [];
  burn_amount: number;
  consensus_hash: string;
  parent_burn_block_hash: string;
  pox_transactions: [];
}

export function newBlockPayload(block: BlockRecord, records: TxRecord[]): NewBlockPayload {
  const events: ObserverEvent[] = [];
  for (const record of records) {
    record.events.forEach((event, index) => {
      const converted = toObserverEvent(event, `0x${record.tx.txid}`, index);
      if (converted) events.push(converted);
    });
  }
  return {
    block_hash: block.hash,
    block_height: block.height,
    block_time: block.time,
    burn_block_hash: block.burnHash,
    burn_block_height: block.burnHeight,
    burn_block_time: block.burnTime,
    index_block_hash: block.indexHash,
    parent_block_hash: block.parentHash,
    parent_index_block_hash: block.parentIndexHash,
    parent_burn_block_hash: block.parentBurnHash,
    parent_burn_block_height: Math.max(0, block.burnHeight - 1),
    parent_burn_block_timestamp: block.parentBurnTime,
    parent_microblock: `0x${"0".repeat(64)}`,
    parent_microblock_sequence: 0,
    miner_txid: `0x${"0".repeat(64)}`,
    consensus_hash: `0x${block.burnHash.slice(2, 42)}`,
    events,
    transactions: records.map((record) => ({
      txid: `0x${record.tx.txid}`,
      tx_index: record.txIndex,
      status: record.status === "pending" ? "success" : record.status,
      raw_result: record.resultHex ?? "0x",
      raw_tx: `0x${Buffer.from(record.tx.raw).toString("hex")}`,
      contract_interface: null,
      execution_cost: { read_count: 0, read_length: 0, runtime: 0, write_count: 0, write_length: 0 },
      microblock_sequence: null,
      microblock_hash: null,
      microblock_parent_hash: null,
      vm_error: record.vmError,
    })),
    matured_miner_rewards: [],
    signer_signature_hash: block.hash,
    miner_signature: `0x${"0".repeat(130)}`,
  };
}

export class ObserverHub {
  private queues = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private readonly urls: string[],
    private readonly onError: (url: string, error: Error) => void = () => undefined,
  ) {}

  attach(chain: Chain): void {
    if (this.urls.length === 0) return;
    chain.on("block", (block: BlockRecord, records: TxRecord[]) =>
      this.push("/new_block", newBlockPayload(block, records)),
    );
    chain.on("burn-block", (burn: { height: number; hash: string }) => {
      const payload: NewBurnBlockPayload = {
        burn_block_hash: burn.hash,
        burn_block_height: burn.height,
        reward_recipients: [],
        reward_slot_holders: [],
        burn_amount: 0,
        consensus_hash: `0x${burn.hash.slice(2, 42)}`,
        parent_burn_block_hash: burn.hash,
        pox_transactions: [],
      };
      this.push("/new_burn_block", payload);
    });
  }

  private push(path: string, payload: unknown): void {
    const body = JSON.stringify(payload);
    for (const base of this.urls) {
      const previous = this.queues.get(base) ?? Promise.resolve();
      this.queues.set(
        base,
        previous.then(() => this.deliver(`${base.replace(/\/$/, "")}${path}`, body)),
      );
    }
  }

  private async deliver(url: string, body: string): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body });
        if (response.ok) return;
        throw new Error(`observer answered ${response.status}`);
      } catch (error) {
        this.onError(url, error as Error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  /** Resolves once every observer has received everything pushed so far. */
  async flush(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  stop(): void {
    this.stopped = true;
  }
}
