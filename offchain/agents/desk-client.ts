// The desk's HTTP API from a buyer's side (docs/agents.md): POST /market/quote, POST /market/buy and
// GET /market/trades/{id} on the relay's status server. Integers travel as decimal strings and are parsed to bigint;
// an answer of any other shape is a `desk-answer` error, and a 4xx keeps the desk's own error code.
import { AgentError } from "./errors.ts";
import { TRADE_STATES, type DeskPort, type DeskQuote, type DeskTrade, type Side, type TradeState } from "./ports.ts";

export interface DeskClientOptions {
  /** the status server's base URL, e.g. http://127.0.0.1:9735 */
  url: string;
  timeoutMs?: number;
}

export function deskClient(options: DeskClientOptions): DeskPort {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new AgentError("invalid-config", `desk url is not a URL: ${options.url}`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new AgentError("invalid-config", `desk url must be http(s), got ${base.protocol}`);
  const timeoutMs = options.timeoutMs ?? 10_000;

  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, base), {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AgentError("desk", `${method} ${path}: ${(error as Error).message}`, "unreachable");
    }
    const text = await response.text();
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new AgentError("desk-answer", `${method} ${path} answered ${response.status} with non-JSON`);
    }
    if (!isRecord(answer))
      throw new AgentError("desk-answer", `${method} ${path} answered ${response.status}, not an object`);
    if (!response.ok) {
      const code = typeof answer.error === "string" ? answer.error : `http-${response.status}`;
      const reason =
        typeof answer.reason === "string" ? answer.reason : `${method} ${path} answered ${response.status}`;
      throw new AgentError("desk", reason, code);
    }
    return answer;
  };

  return {
    async quote(side: Side, lv: bigint): Promise<DeskQuote> {
      if (lv <= 0n) throw new AgentError("invalid-config", `a quote needs lv > 0, got ${lv}`);
      const a = await call("POST", "/market/quote", { side, lv: lv.toString() });
      const quote: DeskQuote = {
        quoteId: text(a, "quoteId"),
        side: oneOf(a, "side", ["buy", "sell"] as const),
        lv: integer(a, "lv"),
        sats: integer(a, "sats"),
        premiumBps: integer(a, "premiumBps"),
        inboundBps: integer(a, "inboundBps"),
        expiresAt: Number(integer(a, "expiresAt")),
        groupKey: text(a, "groupKey"),
      };
      if (quote.side !== side || quote.lv !== lv)
        throw new AgentError("desk-answer", `asked a ${side} quote for ${lv} LV, got ${quote.side} for ${quote.lv}`);
      return quote;
    },
    async buy(quoteId: string, tapAddress: string) {
      const a = await call("POST", "/market/buy", { quoteId, tapAddress });
      return { tradeId: text(a, "tradeId"), invoice: text(a, "invoice") };
    },
    async trade(tradeId: string): Promise<DeskTrade> {
      const a = await call("GET", `/market/trades/${encodeURIComponent(tradeId)}`);
      return {
        tradeId: text(a, "tradeId"),
        side: oneOf(a, "side", ["buy", "sell"] as const),
        state: oneOf(a, "state", TRADE_STATES) as TradeState,
        lv: integer(a, "lv"),
        sats: integer(a, "sats"),
      };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(a: Record<string, unknown>, field: string): string {
  const value = a[field];
  if (typeof value !== "string" || value === "") throw new AgentError("desk-answer", `${field} must be a string`);
  return value;
}

function integer(a: Record<string, unknown>, field: string): bigint {
  const value = a[field];
  const digits = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof digits !== "string" || !/^(0|[1-9]\d*)$/.test(digits))
    throw new AgentError("desk-answer", `${field} must be a non-negative integer as a decimal string`);
  return BigInt(digits);
}

function oneOf<T extends string>(a: Record<string, unknown>, field: string, values: readonly T[]): T {
  const value = a[field];
  if (typeof value !== "string" || !values.includes(value as T))
    throw new AgentError("desk-answer", `${field} must be one of ${values.join(", ")}`);
  return value as T;
}
