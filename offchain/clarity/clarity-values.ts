// Typed reads of Clarity values returned by read-only calls and printed in events, shared by the relay and the web
// app (browser-safe). A value of the wrong type throws a CvError naming what was expected, so a contract change
// shows up as a clear error, not as `undefined`.
import type { ClarityValue } from "@stacks/transactions";

export class CvError extends Error {
  override name = "CvError";
}

function expect(value: ClarityValue | undefined, type: string, what: string): ClarityValue {
  if (!value || value.type !== type) throw new CvError(`${what} should be ${type}, got ${value?.type ?? "nothing"}`);
  return value;
}

export function uintOf(value: ClarityValue | undefined, what = "value"): bigint {
  return BigInt((expect(value, "uint", what) as { value: bigint | number | string }).value);
}

export function boolOf(value: ClarityValue | undefined, what = "value"): boolean {
  if (value?.type === "true") return true;
  if (value?.type === "false") return false;
  throw new CvError(`${what} should be bool, got ${value?.type ?? "nothing"}`);
}

export function stringOf(value: ClarityValue | undefined, what = "value"): string {
  if (value?.type === "ascii" || value?.type === "utf8") return value.value;
  throw new CvError(`${what} should be a string, got ${value?.type ?? "nothing"}`);
}

export function hexOf(value: ClarityValue | undefined, what = "value"): string {
  return (expect(value, "buffer", what) as { value: string }).value;
}

export function principalOf(value: ClarityValue | undefined, what = "value"): string {
  if (value?.type === "address" || value?.type === "contract") return value.value;
  throw new CvError(`${what} should be a principal, got ${value?.type ?? "nothing"}`);
}

/** The inner value of (some x), or null for none. */
export function optionalOf(value: ClarityValue | undefined, what = "value"): ClarityValue | null {
  if (value?.type === "none") return null;
  if (value?.type === "some") return value.value;
  throw new CvError(`${what} should be optional, got ${value?.type ?? "nothing"}`);
}

export type Result = { ok: true; value: ClarityValue } | { ok: false; value: ClarityValue };

export function responseOf(value: ClarityValue | undefined, what = "value"): Result {
  if (value?.type === "ok") return { ok: true, value: value.value };
  if (value?.type === "err") return { ok: false, value: value.value };
  throw new CvError(`${what} should be a response, got ${value?.type ?? "nothing"}`);
}

/** The ok value of a response; an err throws a CvError with the error code. */
export function okOf(value: ClarityValue | undefined, what = "value"): ClarityValue {
  const result = responseOf(value, what);
  if (!result.ok)
    throw new CvError(
      `${what} answered (err ${result.value.type === "uint" ? `u${result.value.value}` : result.value.type})`,
    );
  return result.value;
}

/** Field reader of a tuple. */
export class Fields {
  private readonly tuple: Record<string, ClarityValue>;
  constructor(
    value: ClarityValue | undefined,
    private readonly what = "tuple",
  ) {
    this.tuple = (expect(value, "tuple", what) as { value: Record<string, ClarityValue> }).value;
  }
  private at(name: string): ClarityValue | undefined {
    return this.tuple[name];
  }
  private label(name: string): string {
    return `${this.what}.${name}`;
  }
  has(name: string): boolean {
    return name in this.tuple;
  }
  uint(name: string): bigint {
    return uintOf(this.at(name), this.label(name));
  }
  bool(name: string): boolean {
    return boolOf(this.at(name), this.label(name));
  }
  string(name: string): string {
    return stringOf(this.at(name), this.label(name));
  }
  hex(name: string): string {
    return hexOf(this.at(name), this.label(name));
  }
  principal(name: string): string {
    return principalOf(this.at(name), this.label(name));
  }
  optional(name: string): ClarityValue | null {
    return optionalOf(this.at(name), this.label(name));
  }
  /** A field as it is, for a nested tuple or list the caller reads on. */
  value(name: string): ClarityValue {
    const field = this.at(name);
    if (field === undefined) throw new CvError(`${this.label(name)} is missing`);
    return field;
  }
}
