// Contract events as the relay reads them (from the logs API or an event-observer push), and the router that hands
// each one to the handlers registered for its topic. Handlers must be idempotent: after a restart or a reorg the
// watcher may deliver an event again.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { Fields } from "../../clarity/clarity-values.ts";

export interface ContractEvent {
  contractId: string;
  /** the `topic` field of the printed tuple */
  topic: string;
  /** the printed tuple's fields, each read with its type checked */
  fields: Fields;
  txid: string;
  eventIndex: number;
  blockHeight: number;
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
  const topic = value.value.topic;
  if (topic?.type !== "ascii" && topic?.type !== "utf8") return undefined;
  return {
    ...meta,
    txid: meta.txid.replace(/^0x/, ""),
    topic: topic.value,
    fields: new Fields(value, `event ${topic.value}`),
  };
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
