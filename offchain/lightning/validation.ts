// Checks on what goes into a daemon call (INVALID_ARGUMENT, before any call) and on what comes back
// (UNEXPECTED_RESPONSE). Money is integers: sats as safe integers, msat and asset units as bigint.
import type { Outpoint } from "../actions/types.ts";
import { invalidArgument, unexpectedResponse, type Daemon } from "./errors.ts";

// The one Outpoint is the action codec's, the vocabulary the DAO's payloads and the daemons share.
export type { Outpoint };

export class Checker {
  constructor(
    readonly daemon: Daemon,
    readonly action: string,
  ) {}

  fail(reason: string): never {
    throw invalidArgument(this.daemon, this.action, reason);
  }

  pubkey(name: string, value: unknown): string {
    if (typeof value !== "string" || !/^0[23][0-9a-f]{64}$/.test(value))
      this.fail(`${name} must be a 33-byte compressed public key in lowercase hex (02/03 prefix)`);
    return value;
  }

  txid(name: string, value: unknown): string {
    if (typeof value !== "string" || !/^[0-9a-f]{64}$/.test(value))
      this.fail(`${name} must be a 32-byte transaction id in lowercase hex`);
    return value;
  }

  outpoint(name: string, value: unknown): Outpoint {
    const point = value as Partial<Outpoint> | null;
    if (!point || typeof point !== "object") this.fail(`${name} must be {txid, vout}`);
    return {
      txid: this.txid(`${name}.txid`, point.txid),
      vout: this.integer(`${name}.vout`, point.vout, 0, 2 ** 32 - 1),
    };
  }

  integer(name: string, value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      this.fail(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
    }
    return value;
  }

  bigint(name: string, value: unknown, min: bigint, max: bigint = 2n ** 64n - 1n): bigint {
    if (typeof value !== "bigint" || value < min || value > max)
      this.fail(`${name} must be a bigint in [${min}, ${max}], got ${String(value)}`);
    return value;
  }

  text(name: string, value: unknown, maxBytes: number, options: { allowEmpty?: boolean } = {}): string {
    if (typeof value !== "string") this.fail(`${name} must be a string`);
    if (!options.allowEmpty && value.length === 0) this.fail(`${name} must not be empty`);
    if (Buffer.byteLength(value) > maxBytes) this.fail(`${name} is longer than ${maxBytes} bytes`);
    return value;
  }

  /** host:port with a port in 1..65535 (IPv6 in brackets). */
  socket(name: string, value: unknown): string {
    if (typeof value !== "string" || !/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.test(value))
      this.fail(`${name} must be host:port`);
    const port = Number(value.slice(value.lastIndexOf(":") + 1));
    if (port < 1 || port > 65535) this.fail(`${name} has port ${port} outside 1..65535`);
    return value;
  }

  hex(name: string, value: unknown, bytes: number): string {
    if (typeof value !== "string" || value.length !== bytes * 2 || !/^[0-9a-f]*$/.test(value))
      this.fail(`${name} must be ${bytes} bytes of lowercase hex`);
    return value;
  }

  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !allowed.includes(value as T))
      this.fail(`${name} must be one of ${allowed.join(", ")}`);
    return value as T;
  }
}

/** Reads fields of a daemon answer, failing with UNEXPECTED_RESPONSE when one is missing or malformed. */
export class AnswerReader {
  constructor(
    readonly daemon: Daemon,
    readonly action: string,
  ) {}

  fail(reason: string): never {
    throw unexpectedResponse(this.daemon, this.action, reason);
  }

  object(value: unknown, what: string): Record<string, unknown> {
    if (!value || typeof value !== "object" || Array.isArray(value)) this.fail(`expected ${what} to be an object`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`expected ${what} to be an array`);
    return value;
  }

  string(value: unknown, what: string): string {
    if (typeof value !== "string") this.fail(`expected ${what} to be a string`);
    return value;
  }

  boolean(value: unknown, what: string): boolean {
    if (typeof value !== "boolean") this.fail(`expected ${what} to be a boolean`);
    return value;
  }

  /** A non-negative integer that fits a JS number (sats, counts, heights), given as number or decimal string. */
  count(value: unknown, what: string): number {
    const number = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== "number" || !Number.isSafeInteger(number) || number < 0)
      this.fail(`expected ${what} to be a non-negative integer`);
    return number;
  }

  /** A signed integer (int32 inbound fees, net amounts). */
  signed(value: unknown, what: string): number {
    const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof number !== "number" || !Number.isSafeInteger(number)) this.fail(`expected ${what} to be an integer`);
    return number;
  }

  /** A uint64 given as decimal string or number (msat, asset units). */
  amount(value: unknown, what: string): bigint {
    if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    this.fail(`expected ${what} to be an unsigned integer`);
  }

  pubkey(value: unknown, what: string): string {
    if (typeof value !== "string" || !/^0[23][0-9a-f]{64}$/.test(value))
      this.fail(`expected ${what} to be a compressed public key`);
    return value;
  }

  txid(value: unknown, what: string): string {
    if (typeof value !== "string" || !/^[0-9a-f]{64}$/.test(value))
      this.fail(`expected ${what} to be a transaction id`);
    return value;
  }

  /** "txid:vout" */
  outpoint(value: unknown, what: string): Outpoint {
    const text = this.string(value, what);
    const match = /^([0-9a-f]{64}):(\d{1,10})$/.exec(text);
    if (!match) this.fail(`expected ${what} to be txid:vout`);
    return { txid: match[1] as string, vout: Number(match[2]) };
  }

  hexOf(value: unknown, bytes: number, what: string): string {
    if (typeof value !== "string" || value.length !== bytes * 2 || !/^[0-9a-f]*$/.test(value))
      this.fail(`expected ${what} to be ${bytes} bytes of hex`);
    return value;
  }

  bytes(value: unknown, what: string): Buffer {
    if (!Buffer.isBuffer(value)) this.fail(`expected ${what} to be bytes`);
    return value;
  }
}

export const outpointString = (point: Outpoint) => `${point.txid}:${point.vout}`;
