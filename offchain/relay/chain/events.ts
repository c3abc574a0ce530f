// Contract events as the relay reads them (from the logs API or an event-observer push), and the router that hands
// each one to the handlers registered for its topic. Handlers must be idempotent: after a restart or a reorg the
// watcher may deliver an event again.
import { Cl, type ClarityValue } from "@stacks/transactions";

export interface ContractEvent {
  contractId: string;
  /** the `topic` field of the printed tuple */
  topic: string;
  fields: EventFields;
  txid: string;
  eventIndex: number;
  blockHeight: number;
}

/** Typed reads of a printed tuple's fields; a missing or mistyped field throws, naming it. */
export class EventFields {
  constructor(
    private readonly tuple: Record<string, ClarityValue>,
    private readonly topic: string,
  ) {}

  private get(name: string, type: string): ClarityValue {
    const value = this.tuple[name];
    if (!value || value.type !== type) throw new Error(`event ${this.topic}: field ${name} is not a ${type}`);
    return value;
  }
  has(name: string): boolean {
    return name in this.tuple;
  }
  uint(name: string): bigint {
    return BigInt((this.get(name, "uint") as { value: bigint | string }).value);
  }
  bool(name: string): boolean {
    const value = this.tuple[name];
    if (value?.type === "true") return true;
    if (value?.type === "false") return false;
    throw new Error(`event ${this.topic}: field ${name} is not a bool`);
  }
  ascii(name: string): string {
    return String((this.get(name, "ascii") as { value: string }).value);
  }
  bufferHex(name: string): string {
    return String((this.get(name, "buffer") as { value: string }).value);
  }
  principal(name: string): string {
    const value = this.tuple[name];
    if (value?.type === "address" || value?.type === "contract") return String((value as { value: string }).value);
    throw new Error(`event ${this.topic}: field ${name} is not a principal`);
  }
  raw(name: string): ClarityValue | undefined {
    return this.tuple[name];
  }
}

/** Reads a printed value; only tuples with a string `topic` are events, anything else is skipped (undefined). */
export function parseEvent(
  hex: string,
  meta: { contractId: string; txid: string; eventIndex: number; blockHeight: number },
): ContractEvent | undefined {
  let value: ClarityValue;
  try {
    value = Cl.deserialize(hex.replace(/^0x/, ""));
  } catch {
    return undefined;
  }
  if (value.type !== "tuple") return undefined;
  const tuple = value.value as Record<string, ClarityValue>;
  const topic = tuple.topic;
  if (!topic || (topic.type !== "ascii" && topic.type !== "utf8")) return undefined;
  const name = String((topic as { value: string }).value);
  return { ...meta, txid: meta.txid.replace(/^0x/, ""), topic: name, fields: new EventFields(tuple, name) };
}

export type EventHandler = (event: ContractEvent) => Promise<void>;

export class EventRouter {
  private readonly handlers = new Map<string, EventHandler[]>();
  /** contract names (after the deployer) whose events someone wants */
  readonly contracts = new Set<string>();

  on(contract: string, topic: string, handler: EventHandler): void {
    this.contracts.add(contract);
    const key = `${contract}/${topic}`;
    this.handlers.set(key, [...(this.handlers.get(key) ?? []), handler]);
  }

  async dispatch(event: ContractEvent): Promise<void> {
    const contract = event.contractId.split(".")[1] ?? "";
    for (const handler of this.handlers.get(`${contract}/${event.topic}`) ?? []) await handler(event);
  }
}
