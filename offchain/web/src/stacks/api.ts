// The node's HTTP API as the app uses it: the tip (/v2/info), read-only calls (/v2/contracts/call-read), contract
// sources (/v2/contracts/source), contract event logs (/extended/v2/smart-contracts/{id}/logs) and transaction
// status (/extended/v1/tx/{txid}). Any Stacks
// node with the Hiro API in front answers these; so does the devnet node emulation.
import { Cl, type ClarityValue } from "@stacks/transactions";

export class NodeError extends Error {
  override name = "NodeError";
  constructor(
    readonly code: "unreachable" | "http" | "bad_response" | "read_failed",
    message: string,
  ) {
    super(message);
  }
}

export interface Tip {
  stacksHeight: number;
  burnHeight: number;
  networkId: number;
}

export interface LogEntry {
  txid: string;
  eventIndex: number;
  /** The printed value, consensus-serialized, as hex. */
  hex: string;
}

export interface TxState {
  txid: string;
  status: "pending" | "success" | "abort_by_response" | "abort_by_post_condition" | "dropped";
  /** The result's Clarity repr, e.g. "(ok u3)" or "(err u1302)"; empty while pending. */
  result: string;
}

export class NodeApi {
  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** The JSON body of `path`; with `nullOn404`, a 404 (nothing there) is null rather than an error. */
  private async json(path: string, init?: RequestInit, { nullOn404 = false } = {}): Promise<unknown> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    } catch (cause) {
      throw new NodeError(
        "unreachable",
        `the Stacks node at ${this.baseUrl} is unreachable (${(cause as Error).message})`,
      );
    }
    if (nullOn404 && response.status === 404) return null;
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new NodeError("bad_response", `${path} answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok) {
      const detail =
        (body as { message?: unknown; error?: unknown } | null)?.message ??
        (body as { error?: unknown } | null)?.error ??
        text;
      throw new NodeError("http", `${path} answered ${response.status}: ${String(detail).slice(0, 200)}`);
    }
    return body;
  }

  async tip(): Promise<Tip> {
    const body = (await this.json("/v2/info")) as Record<string, unknown>;
    const stacksHeight = body.stacks_tip_height;
    const burnHeight = body.burn_block_height;
    if (typeof stacksHeight !== "number" || typeof burnHeight !== "number")
      throw new NodeError("bad_response", "/v2/info has no stacks_tip_height or burn_block_height");
    return { stacksHeight, burnHeight, networkId: Number(body.network_id ?? 0) };
  }

  /** A read-only function's result; a failed call (runtime error, unknown function) throws NodeError read_failed. */
  async callRead(contractId: string, fn: string, args: ClarityValue[], sender: string): Promise<ClarityValue> {
    const [address, name] = contractId.split(".");
    const body = (await this.json(`/v2/contracts/call-read/${address}/${name}/${encodeURIComponent(fn)}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender, arguments: args.map((arg) => Cl.serialize(arg)) }),
    })) as { okay?: unknown; result?: unknown; cause?: unknown };
    if (body.okay !== true || typeof body.result !== "string") {
      throw new NodeError("read_failed", `${contractId}.${fn} failed: ${String(body.cause ?? "no result")}`);
    }
    return Cl.deserialize(body.result);
  }

  /** A contract's source as deployed (what its code hash is computed from); null when no such contract exists. */
  async contractSource(contractId: string): Promise<string | null> {
    const [address, name] = contractId.split(".");
    const body = (await this.json(`/v2/contracts/source/${address}/${name}?proof=0`, undefined, {
      nullOn404: true,
    })) as { source?: unknown } | null;
    if (body === null) return null;
    if (typeof body.source !== "string")
      throw new NodeError("bad_response", `the source of ${contractId} has no source field`);
    return body.source;
  }

  /** One page of a contract's print events, newest first. */
  async logs(contractId: string, offset: number, limit: number): Promise<{ total: number; entries: LogEntry[] }> {
    const body = (await this.json(
      `/extended/v2/smart-contracts/${contractId}/logs?limit=${limit}&offset=${offset}`,
    )) as {
      total?: unknown;
      results?: { tx_id?: unknown; event_index?: unknown; contract_log?: { value?: { hex?: unknown } } }[];
    };
    if (typeof body.total !== "number" || !Array.isArray(body.results))
      throw new NodeError("bad_response", `logs of ${contractId} have no total or results`);
    const entries = body.results.map((result) => {
      const hex = result.contract_log?.value?.hex;
      if (typeof result.tx_id !== "string" || typeof hex !== "string")
        throw new NodeError("bad_response", `a log entry of ${contractId} has no tx_id or value`);
      return { txid: result.tx_id.replace(/^0x/, ""), eventIndex: Number(result.event_index ?? 0), hex };
    });
    return { total: body.total, entries };
  }

  /** Every print event of a contract, oldest first, up to `max` (the newest ones when there are more). */
  async allLogs(contractId: string, max = 1000): Promise<LogEntry[]> {
    const pageSize = 50;
    const entries: LogEntry[] = [];
    for (let offset = 0; offset < max; offset += pageSize) {
      const page = await this.logs(contractId, offset, pageSize);
      entries.push(...page.entries);
      if (offset + pageSize >= page.total) break;
    }
    return entries.reverse();
  }

  async tx(txid: string): Promise<TxState> {
    const id = txid.replace(/^0x/, "");
    const body = (await this.json(`/extended/v1/tx/0x${id}`)) as {
      tx_status?: unknown;
      tx_result?: { repr?: unknown };
    };
    const status = body.tx_status;
    if (typeof status !== "string") throw new NodeError("bad_response", `transaction ${id} has no tx_status`);
    const known = ["pending", "success", "abort_by_response", "abort_by_post_condition"];
    return {
      txid: id,
      status: (known.includes(status) ? status : "dropped") as TxState["status"],
      result: typeof body.tx_result?.repr === "string" ? body.tx_result.repr : "",
    };
  }
}
