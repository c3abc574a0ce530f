// The tuple type of each relay kind's payload (DESIGN.md section 3), and the JSON form with DESIGN.md's field
// names: uints as JSON numbers (decimal strings when above 2^53), buffers as hex, optionals as null or the value.
// `lvdao action encode|decode` and the relay's decoder (payload.ts) both go through it, so a payload and its JSON
// form always round-trip. offchain/actions is meant to own this for every kind; see docs/relay.md.
import { Cl, serializeCV, type ClarityValue } from "@stacks/transactions";
import { invalid } from "./failure.ts";

export type FieldType =
  | { t: "uint" }
  | { t: "bool" }
  | { t: "ascii"; max: number }
  | { t: "buff"; len?: number; max: number }
  | { t: "optional"; of: FieldType }
  | { t: "list"; of: FieldType; max: number }
  | { t: "tuple"; fields: Record<string, FieldType> };

const uint: FieldType = { t: "uint" };
const bool: FieldType = { t: "bool" };
const ascii = (max: number): FieldType => ({ t: "ascii", max });
const pubkey: FieldType = { t: "buff", len: 33, max: 33 };
const outpoint: FieldType = { t: "tuple", fields: { txid: { t: "buff", len: 32, max: 32 }, vout: uint } };

export const PAYLOAD_SCHEMA: Record<string, Record<string, FieldType>> = {
  "channel-open": { peer: pubkey, host: ascii(64), "local-sats": uint, "push-sats": uint, private: bool, "base-fee-msat": uint, "fee-ppm": uint, "cltv-delta": uint },
  "channel-close": { txid: { t: "buff", len: 32, max: 32 }, vout: uint, force: bool, "max-fee-rate": uint },
  "fee-policy": { target: { t: "optional", of: outpoint }, "base-fee-msat": uint, "fee-ppm": uint, "inbound-base-discount-msat": uint, "inbound-ppm-discount": uint, "cltv-delta": uint },
  "rebalance-policy": { "min-inbound-pct": uint, "min-outbound-pct": uint, "max-swap-fee-ppm": uint, "budget-sats": uint, "budget-period": uint, "max-in-flight": uint, peers: { t: "list", of: pubkey, max: 16 } },
  "loop-out": { "amount-sats": uint, channel: { t: "optional", of: outpoint }, dest: ascii(90), "max-fee-sats": uint },
  "loop-in": { "amount-sats": uint, "last-hop": { t: "optional", of: pubkey }, "max-fee-sats": uint },
  "lv-transfer": { from: ascii(16), to: ascii(16), amount: uint },
  watchtower: { add: bool, pubkey, host: ascii(64) },
};

function schemaFor(kind: string): Record<string, FieldType> {
  const schema = PAYLOAD_SCHEMA[kind];
  if (!schema) throw invalid(`${kind} is not executed by the relay (kinds: ${Object.keys(PAYLOAD_SCHEMA).join(", ")})`);
  return schema;
}

const U128 = 2n ** 128n;

function toClarity(type: FieldType, value: unknown, path: string): ClarityValue {
  switch (type.t) {
    case "uint": {
      const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
      if (typeof text !== "string" || !/^\d+$/.test(text) || BigInt(text) >= U128) throw invalid(`${path} must be a whole number >= 0`);
      return Cl.uint(BigInt(text));
    }
    case "bool":
      if (typeof value !== "boolean") throw invalid(`${path} must be true or false`);
      return Cl.bool(value);
    case "ascii":
      if (typeof value !== "string" || !/^[\x20-\x7e]*$/.test(value) || value.length > type.max) throw invalid(`${path} must be printable ASCII of at most ${type.max} characters`);
      return Cl.stringAscii(value);
    case "buff": {
      const hex = typeof value === "string" ? value.replace(/^0x/, "").toLowerCase() : "";
      if (!/^([0-9a-f]{2})*$/.test(hex) || hex.length / 2 > type.max || (type.len !== undefined && hex.length / 2 !== type.len)) {
        throw invalid(`${path} must be ${type.len ?? `at most ${type.max}`} bytes of hex`);
      }
      return Cl.buffer(Buffer.from(hex, "hex"));
    }
    case "optional":
      return value === null || value === undefined ? Cl.none() : Cl.some(toClarity(type.of, value, path));
    case "list":
      if (!Array.isArray(value) || value.length > type.max) throw invalid(`${path} must be a list of at most ${type.max}`);
      return Cl.list(value.map((item, i) => toClarity(type.of, item, `${path}[${i}]`)));
    case "tuple":
      return Cl.tuple(fieldsToClarity(type.fields, value, path));
  }
}

function fieldsToClarity(fields: Record<string, FieldType>, value: unknown, path: string): Record<string, ClarityValue> {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw invalid(`${path} must be an object`);
  const given = Object.keys(value).sort();
  const expected = Object.keys(fields).sort();
  const unknown = given.filter((k) => !expected.includes(k));
  const missing = expected.filter((k) => !given.includes(k) && fields[k]!.t !== "optional");
  if (unknown.length || missing.length) {
    throw invalid(`${path}: ${[unknown.length ? `unknown field(s) ${unknown.join(", ")}` : "", missing.length ? `missing field(s) ${missing.join(", ")}` : ""].filter(Boolean).join("; ")}`);
  }
  return Object.fromEntries(expected.map((name) => [name, toClarity(fields[name]!, (value as Record<string, unknown>)[name], `${path}.${name}`)]));
}

function toJson(type: FieldType, value: ClarityValue, path: string): unknown {
  const fail = (): never => {
    throw invalid(`${path} is not a ${type.t}`);
  };
  switch (type.t) {
    case "uint": {
      if (value.type !== "uint") return fail();
      const n = BigInt((value as { value: bigint | string }).value);
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case "bool":
      return value.type === "true" ? true : value.type === "false" ? false : fail();
    case "ascii": {
      if (value.type !== "ascii") return fail();
      const text = String((value as { value: string }).value);
      if (text.length > type.max) throw invalid(`${path} is longer than ${type.max}`);
      return text;
    }
    case "buff": {
      if (value.type !== "buffer") return fail();
      const hex = String((value as { value: string }).value).toLowerCase();
      if (hex.length / 2 > type.max || (type.len !== undefined && hex.length / 2 !== type.len)) throw invalid(`${path} must be ${type.len ?? `at most ${type.max}`} bytes`);
      return hex;
    }
    case "optional":
      return value.type === "none" ? null : value.type === "some" ? toJson(type.of, value.value, path) : fail();
    case "list":
      if (value.type !== "list" || value.value.length > type.max) return fail();
      return value.value.map((item, i) => toJson(type.of, item, `${path}[${i}]`));
    case "tuple":
      return value.type === "tuple" ? fieldsToJson(type.fields, value.value as Record<string, ClarityValue>, path) : fail();
  }
}

function fieldsToJson(fields: Record<string, FieldType>, tuple: Record<string, ClarityValue>, path: string): Record<string, unknown> {
  const given = Object.keys(tuple).sort().join(",");
  const expected = Object.keys(fields).sort().join(",");
  if (given !== expected) throw invalid(`${path}: fields are ${given}, expected ${expected}`);
  return Object.fromEntries(Object.keys(fields).map((name) => [name, toJson(fields[name]!, tuple[name]!, `${path}.${name}`)]));
}

/** The payload (consensus bytes) for an action in its JSON form. */
export function encodePayload(kind: string, json: unknown): Uint8Array {
  return Buffer.from(serializeCV(Cl.tuple(fieldsToClarity(schemaFor(kind), json, kind))), "hex");
}

/** The JSON form of a payload; the bytes must be the kind's exact tuple in canonical form. */
export function decodePayload(kind: string, payload: Uint8Array): Record<string, unknown> {
  const schema = schemaFor(kind);
  const hex = Buffer.from(payload).toString("hex");
  let value: ClarityValue;
  try {
    value = Cl.deserialize(hex);
  } catch (error) {
    throw invalid(`${kind}: payload is not a Clarity value (${(error as Error).message})`);
  }
  if (value.type !== "tuple") throw invalid(`${kind}: payload must be a tuple, got ${value.type}`);
  if (serializeCV(value) !== hex) throw invalid(`${kind}: payload is not in canonical form`);
  return fieldsToJson(schema, value.value as Record<string, ClarityValue>, kind);
}
