// What the DAO decided, read from the chain alone (no relay journal needed, so anyone can audit): every executed
// relay action in the order its receipt landed (execution-queue's action-queued for kind and payload,
// action-executed for the evidence), every recorded revenue epoch, and every confirmed LV contribution.
import type { RelayAction } from "../../actions.ts";
import { decodeRelayAction } from "../../actions.ts";
import type { StacksClient } from "../../stacks/client.ts";
import { parseEvent, type ContractEvent } from "../../stacks/events.ts";

export interface ExecutedAction {
  id: bigint;
  action: RelayAction;
  evidenceHex: string;
}

export interface RecordedEpoch {
  epoch: bigint;
  toInfrastructure: bigint;
  toChannels: bigint;
  toReserve: bigint;
}

export interface Decisions {
  /** oldest receipt first */
  executed: ExecutedAction[];
  epochs: RecordedEpoch[];
  contributions: { pledgeId: bigint; amount: bigint }[];
  /** executed actions whose payload the relay's codec refuses (cannot happen for payloads the chain validated) */
  unreadable: { id: bigint; kind: string; reason: string }[];
}

interface LogsPage {
  total: number;
  results: { tx_id: string; event_index: number; contract_log: { contract_id: string; value: { hex: string } } }[];
}

const PAGE = 50;

/** Every event a contract printed, oldest first. */
export async function contractEvents(
  stacks: Pick<StacksClient, "getJson">,
  apiUrl: string,
  contractId: string,
): Promise<ContractEvent[]> {
  const logs: LogsPage["results"] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await stacks.getJson<LogsPage>(
      `${apiUrl}/extended/v2/smart-contracts/${contractId}/logs?limit=${PAGE}&offset=${offset}`,
    );
    if (!page) break;
    logs.push(...page.results);
    if (page.results.length === 0 || offset + PAGE >= page.total) break;
  }
  return logs
    .reverse()
    .map((log) =>
      parseEvent(log.contract_log.value.hex, {
        contractId,
        txid: log.tx_id,
        eventIndex: log.event_index,
        blockHeight: 0,
      }),
    )
    .filter((event): event is ContractEvent => event !== undefined);
}

export async function readDecisions(
  stacks: Pick<StacksClient, "getJson">,
  apiUrl: string,
  deployer: string,
): Promise<Decisions> {
  const [queue, ledger] = await Promise.all([
    contractEvents(stacks, apiUrl, `${deployer}.execution-queue`),
    contractEvents(stacks, apiUrl, `${deployer}.lv-ledger`),
  ]);
  const queued = new Map<bigint, { kind: string; payloadHex: string }>();
  const decisions: Decisions = { executed: [], epochs: [], contributions: [], unreadable: [] };
  for (const event of queue) {
    if (event.topic === "action-queued") {
      queued.set(event.fields.uint("id"), {
        kind: event.fields.string("kind"),
        payloadHex: event.fields.hex("payload"),
      });
    } else if (event.topic === "action-executed") {
      const id = event.fields.uint("id");
      const source = queued.get(id);
      if (!source) continue;
      try {
        decisions.executed.push({
          id,
          action: decodeRelayAction(source.kind, Buffer.from(source.payloadHex, "hex")),
          evidenceHex: event.fields.hex("evidence"),
        });
      } catch (error) {
        decisions.unreadable.push({ id, kind: source.kind, reason: (error as Error).message });
      }
    }
  }
  for (const event of ledger) {
    if (event.topic === "revenue-epoch") {
      decisions.epochs.push({
        epoch: event.fields.uint("epoch"),
        toInfrastructure: event.fields.uint("to-infrastructure"),
        toChannels: event.fields.uint("to-channels"),
        toReserve: event.fields.uint("to-reserve"),
      });
    } else if (event.topic === "lv-contributed") {
      decisions.contributions.push({ pledgeId: event.fields.uint("pledge-id"), amount: event.fields.uint("amount") });
    }
  }
  return decisions;
}
