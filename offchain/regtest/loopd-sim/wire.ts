// loopd's REST wire format, as its grpc-gateway writes and reads it: proto field names, int64 as decimal strings,
// bytes as base64, enums by name, every field present; errors as `{code, message, details}` with the gRPC code's
// HTTP status. Pure functions: the server and the swap engine share them.

/** gRPC status codes the simulator answers with, and the HTTP status grpc-gateway maps each to. */
export const GRPC = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNAUTHENTICATED: 16,
} as const;
const HTTP_STATUS: Record<number, number> = { 2: 500, 3: 400, 5: 404, 7: 403, 12: 501, 16: 401 };

/** A refusal, with loopd's own message where loopd has one. */
export class LoopRpcError extends Error {
  override name = "LoopRpcError";
  constructor(
    message: string,
    readonly code: number = GRPC.UNKNOWN,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code] ?? 500;
  }

  body(): { code: number; message: string; details: unknown[] } {
    return { code: this.code, message: this.message, details: [] };
  }
}

export const invalid = (message: string) => new LoopRpcError(message, GRPC.INVALID_ARGUMENT);

/** An int64/uint64 field: grpc-gateway accepts a JSON number or a decimal string; absent means 0. */
export function int64Field(value: unknown, name: string, { min = 0n }: { min?: bigint } = {}): bigint {
  if (value === undefined || value === null || value === "") return 0n;
  let parsed: bigint;
  if (typeof value === "number" && Number.isSafeInteger(value)) parsed = BigInt(value);
  else if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) parsed = BigInt(value);
  else throw invalid(`${name}: invalid value ${JSON.stringify(value)} for type int64`);
  if (parsed < min) throw invalid(`${name} must be at least ${min}`);
  return parsed;
}

/** A sat amount that must fit a safe integer (every amount the simulator moves does). */
export function satsField(value: unknown, name: string): number {
  const parsed = int64Field(value, name);
  if (parsed > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid(`${name} is too large`);
  return Number(parsed);
}

export function int32Field(value: unknown, name: string): number {
  const parsed = int64Field(value, name, { min: -(2n ** 31n) });
  if (parsed > 2n ** 31n - 1n) throw invalid(`${name}: value out of range for int32`);
  return Number(parsed);
}

export function boolField(value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  throw invalid(`${name}: invalid value ${JSON.stringify(value)} for type bool`);
}

export function stringField(value: unknown, name: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalid(`${name}: invalid value ${JSON.stringify(value)} for type string`);
  return value;
}

/** A bytes field: standard or URL-safe base64, as grpc-gateway accepts both. */
export function bytesField(value: unknown, name: string): Buffer {
  const text = stringField(value, name);
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw invalid(`${name}: bad base64 data`);
  return Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
}

export const toBase64 = (hex: string) => (hex ? Buffer.from(hex, "hex").toString("base64") : "");

/** lnd's "123x4x0" short channel id from loopd's uint64 form, and back. */
export function channelIdFromUint64(value: bigint): string {
  return `${value >> 40n}x${(value >> 16n) & 0xffffffn}x${value & 0xffffn}`;
}

export function channelIdToUint64(id: string): bigint {
  const parts = /^(\d+)x(\d+)x(\d+)$/.exec(id);
  if (!parts) throw invalid(`${id} is not a short channel id`);
  return (BigInt(parts[1] as string) << 40n) | (BigInt(parts[2] as string) << 16n) | BigInt(parts[3] as string);
}

/** loopd's SwapStatus.failure_reason names. */
export type FailureReason =
  | "FAILURE_REASON_NONE"
  | "FAILURE_REASON_OFFCHAIN"
  | "FAILURE_REASON_TIMEOUT"
  | "FAILURE_REASON_TEMPORARY"
  | "FAILURE_REASON_INSUFFICIENT_CONFIRMED_BALANCE";

export type SwapType = "LOOP_OUT" | "LOOP_IN";
export type SwapState = "INITIATED" | "HTLC_PUBLISHED" | "SUCCESS" | "FAILED";

export interface SwapRecord {
  /** The swap hash (hex): the payment hash of the swap invoice. */
  id: string;
  type: SwapType;
  state: SwapState;
  failureReason: FailureReason;
  amountSats: number;
  initiatedAtMs: number;
  updatedAtMs: number;
  htlcAddress: string;
  /** On-chain transaction that carries the swapped sats (the server's for Loop Out, the client's for Loop In). */
  htlcTxid: string | null;
  costServerSats: number;
  costOnchainSats: number;
  /** Routing fees the client paid, in msat (reported in sats, rounded down, as loopd does). */
  costOffchainMsat: bigint;
  lastHop: string;
  outgoingChanSet: string[];
  label: string;
}

const nanos = (ms: number) => (BigInt(ms) * 1_000_000n).toString();

/** A SwapStatus message as loopd's REST API renders it. */
export function swapStatusJson(swap: SwapRecord): Record<string, unknown> {
  const p2tr = swap.htlcAddress.startsWith("bcrt1p") ? swap.htlcAddress : "";
  return {
    amt: String(swap.amountSats),
    id: swap.id,
    id_bytes: toBase64(swap.id),
    type: swap.type,
    state: swap.state,
    failure_reason: swap.failureReason,
    initiation_time: nanos(swap.initiatedAtMs),
    last_update_time: nanos(swap.updatedAtMs),
    htlc_address: swap.htlcAddress,
    htlc_address_p2wsh: p2tr ? "" : swap.htlcAddress,
    htlc_address_p2tr: p2tr,
    cost_server: String(swap.costServerSats),
    cost_onchain: String(swap.costOnchainSats),
    cost_offchain: String(swap.costOffchainMsat / 1000n),
    last_hop: toBase64(swap.lastHop),
    outgoing_chan_set: swap.outgoingChanSet.map((id) => channelIdToUint64(id).toString()),
    label: swap.label,
    asset_info: null,
  };
}

/** The SwapResponse of LoopOut / LoopIn. */
export function swapResponseJson(swap: SwapRecord): Record<string, unknown> {
  const status = swapStatusJson(swap);
  return {
    id: swap.id,
    id_bytes: status.id_bytes,
    htlc_address: swap.htlcAddress,
    htlc_address_p2wsh: status.htlc_address_p2wsh,
    htlc_address_p2tr: status.htlc_address_p2tr,
    server_message: "",
  };
}
