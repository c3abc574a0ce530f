// Typed payload <-> Clarity value, driven by the kind's tuple type. Strict both ways: a value that does not fit
// its Clarity type (a uint out of range, a string too long or not ASCII, a buffer of bad hex, a list too long,
// a missing or extra field) is ERR_MALFORMED_PAYLOAD naming the field.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { fail } from "./errors.ts";
import { PAYLOAD_TYPES, camel, type ActionKind, type FieldType } from "./kinds.ts";
import type { PayloadOf } from "./types.ts";

const U128 = 2n ** 128n;
const HEX = /^(?:[0-9a-f]{2})*$/;
const ASCII = /^[\x20-\x7e\t\n\r]*$/;

function toCV(type: FieldType, value: unknown, field: string): ClarityValue {
  const bad = (why: string): never => fail("ERR_MALFORMED_PAYLOAD", field, why);
  switch (type.t) {
    case "uint":
      if (type.number) {
        if (!Number.isSafeInteger(value) || (value as number) < 0) bad("must be a non-negative safe integer");
        return Cl.uint(value as number);
      }
      if (typeof value !== "bigint") bad("must be a bigint");
      if ((value as bigint) < 0n || (value as bigint) >= U128) bad("must be a uint (0 <= n < 2^128)");
      return Cl.uint(value as bigint);
    case "bool":
      if (typeof value !== "boolean") bad("must be a boolean");
      return Cl.bool(value as boolean);
    case "principal":
      if (typeof value !== "string") bad("must be a principal string");
      try {
        return Cl.principal(value as string);
      } catch {
        return bad(`is not a valid principal: ${JSON.stringify(value)}`);
      }
    case "ascii":
      if (typeof value !== "string") bad("must be a string");
      if (!ASCII.test(value as string)) bad("must be ASCII");
      if ((value as string).length > type.max) bad(`is longer than ${type.max} characters`);
      return Cl.stringAscii(value as string);
    case "buff":
      if (typeof value !== "string" || !HEX.test(value)) bad("must be lowercase hex without 0x");
      if ((value as string).length / 2 > type.max) bad(`is longer than ${type.max} bytes`);
      return Cl.bufferFromHex(value as string);
    case "optional":
      return value === null ? Cl.none() : Cl.some(toCV(type.of, value, field));
    case "list":
      if (!Array.isArray(value)) bad("must be a list");
      if ((value as unknown[]).length > type.max) bad(`has more than ${type.max} items`);
      return Cl.list((value as unknown[]).map((item, i) => toCV(type.of, item, `${field}[${i}]`)));
    case "tuple":
      return Cl.tuple(tupleToCV(type.fields, value, field));
  }
}

function tupleToCV(
  fields: Readonly<Record<string, FieldType>>,
  value: unknown,
  path: string,
): Record<string, ClarityValue> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("ERR_MALFORMED_PAYLOAD", path || null, "must be an object");
  }
  const object = value as Record<string, unknown>;
  const expected = Object.keys(fields).map(camel);
  const extra = Object.keys(object).filter((key) => !expected.includes(key));
  if (extra.length > 0) fail("ERR_MALFORMED_PAYLOAD", join(path, extra[0]!), "is not a field of this payload");
  const out: Record<string, ClarityValue> = {};
  for (const [name, type] of Object.entries(fields)) {
    const key = camel(name);
    if (!(key in object)) fail("ERR_MALFORMED_PAYLOAD", join(path, name), "is missing");
    out[name] = toCV(type, object[key], join(path, name));
  }
  return out;
}

function fromCV(type: FieldType, cv: ClarityValue, field: string): unknown {
  const bad = (): never => fail("ERR_MALFORMED_PAYLOAD", field, `expected ${describe(type)}, got ${cv.type}`);
  switch (type.t) {
    case "uint": {
      if (cv.type !== "uint") return bad();
      const n = BigInt(cv.value);
      if (!type.number) return n;
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail("ERR_MALFORMED_PAYLOAD", field, "is above 2^53 - 1");
      return Number(n);
    }
    case "bool":
      return cv.type === "true" ? true : cv.type === "false" ? false : bad();
    case "principal":
      return cv.type === "address" || cv.type === "contract" ? cv.value : bad();
    case "ascii":
      if (cv.type !== "ascii") return bad();
      if (cv.value.length > type.max) fail("ERR_MALFORMED_PAYLOAD", field, `is longer than ${type.max} characters`);
      return cv.value;
    case "buff":
      if (cv.type !== "buffer") return bad();
      if (cv.value.length / 2 > type.max) fail("ERR_MALFORMED_PAYLOAD", field, `is longer than ${type.max} bytes`);
      return cv.value.toLowerCase();
    case "optional":
      return cv.type === "none" ? null : cv.type === "some" ? fromCV(type.of, cv.value, field) : bad();
    case "list":
      if (cv.type !== "list") return bad();
      if (cv.value.length > type.max) fail("ERR_MALFORMED_PAYLOAD", field, `has more than ${type.max} items`);
      return cv.value.map((item, i) => fromCV(type.of, item, `${field}[${i}]`));
    case "tuple":
      return cv.type === "tuple" ? tupleFromCV(type.fields, cv.value, field) : bad();
  }
}

function tupleFromCV(fields: Readonly<Record<string, FieldType>>, value: Record<string, ClarityValue>, path: string) {
  const extra = Object.keys(value).filter((key) => !(key in fields));
  if (extra.length > 0) fail("ERR_MALFORMED_PAYLOAD", join(path, extra[0]!), "is not a field of this payload");
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) {
    const cv = value[name];
    if (!cv) fail("ERR_MALFORMED_PAYLOAD", join(path, name), "is missing");
    out[camel(name)] = fromCV(type, cv, join(path, name));
  }
  return out;
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

export function describe(type: FieldType): string {
  switch (type.t) {
    case "ascii":
      return `(string-ascii ${type.max})`;
    case "buff":
      return `(buff ${type.max})`;
    case "optional":
      return `(optional ${describe(type.of)})`;
    case "list":
      return `(list ${type.max} ${describe(type.of)})`;
    case "tuple":
      return `{${Object.entries(type.fields)
        .map(([k, v]) => `${k}: ${describe(v)}`)
        .join(", ")}}`;
    default:
      return type.t;
  }
}

/** The kind's payload as a Clarity tuple. */
export function toClarityValue<K extends ActionKind>(kind: K, payload: PayloadOf[K]): ClarityValue {
  return Cl.tuple(tupleToCV(PAYLOAD_TYPES[kind], payload, ""));
}

/** A Clarity tuple as the kind's typed payload. */
export function fromClarityValue<K extends ActionKind>(kind: K, cv: ClarityValue): PayloadOf[K] {
  if (cv.type !== "tuple") return fail("ERR_MALFORMED_PAYLOAD", null, `expected a tuple, got ${cv.type}`);
  return tupleFromCV(PAYLOAD_TYPES[kind], cv.value, "") as unknown as PayloadOf[K];
}
