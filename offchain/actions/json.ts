// The JSON form of actions, used by the CLI, web forms and logs: the payload field names of docs/design.md
// (kebab-case), uints as JSON integers when they are safe integers and decimal strings otherwise (both accepted on
// input), buffers as hex, principals as strings, optionals as null or the value.
import { fail, unknownKind } from "./errors.ts";
import { PAYLOAD_TYPES, camel, isActionKind, type ActionKind, type FieldType } from "./kinds.ts";
import { toClarityValue } from "./clarity.ts";
import type { Action, PayloadOf } from "./types.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function uintFromJson(value: unknown, field: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value)) return BigInt(value);
  return fail("ERR_MALFORMED_PAYLOAD", field, "must be a non-negative integer (a JSON integer or a decimal string)");
}

function fromJsonValue(type: FieldType, value: unknown, field: string): unknown {
  if (value === undefined) fail("ERR_MALFORMED_PAYLOAD", field, "is missing");
  switch (type.t) {
    case "uint": {
      const n = uintFromJson(value, field);
      if (!type.number) return n;
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) fail("ERR_MALFORMED_PAYLOAD", field, "is above 2^53 - 1");
      return Number(n);
    }
    case "bool":
      if (typeof value !== "boolean") fail("ERR_MALFORMED_PAYLOAD", field, "must be true or false");
      return value;
    case "buff":
      if (typeof value !== "string") fail("ERR_MALFORMED_PAYLOAD", field, "must be a hex string");
      return (value as string).replace(/^0x/, "").toLowerCase();
    case "ascii":
    case "principal":
      if (typeof value !== "string") fail("ERR_MALFORMED_PAYLOAD", field, "must be a string");
      return value;
    case "optional":
      return value === null ? null : fromJsonValue(type.of, value, field);
    case "list":
      if (!Array.isArray(value)) fail("ERR_MALFORMED_PAYLOAD", field, "must be a list");
      return (value as unknown[]).map((item, i) => fromJsonValue(type.of, item, `${field}[${i}]`));
    case "tuple":
      return tupleFromJson(type.fields, value, field);
  }
}

function tupleFromJson(
  fields: Readonly<Record<string, FieldType>>,
  value: unknown,
  path: string,
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("ERR_MALFORMED_PAYLOAD", path || null, "must be a JSON object");
  }
  const object = value as Record<string, unknown>;
  const unknown = Object.keys(object).find((key) => !(key in fields));
  if (unknown !== undefined) {
    const hint = Object.keys(fields).find((name) => camel(name) === unknown);
    fail(
      "ERR_MALFORMED_PAYLOAD",
      path ? `${path}.${unknown}` : unknown,
      hint
        ? `is not a field; the JSON form uses "${hint}"`
        : `is not a field (fields: ${Object.keys(fields).join(", ")})`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(fields)) {
    out[camel(name)] = fromJsonValue(type, object[name], path ? `${path}.${name}` : name);
  }
  return out;
}

function toJsonValue(type: FieldType, value: unknown): Json {
  switch (type.t) {
    case "uint": {
      if (type.number) return value as number;
      const n = value as bigint;
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
    }
    case "optional":
      return value === null ? null : toJsonValue(type.of, value);
    case "list":
      return (value as unknown[]).map((item) => toJsonValue(type.of, item));
    case "tuple": {
      const object = value as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(type.fields).map(([name, t]) => [name, toJsonValue(t, object[camel(name)])]),
      );
    }
    default:
      return value as Json;
  }
}

/** A kind's payload from its JSON form; the result is checked against the Clarity types too. */
export function actionFromJson(kind: string, json: unknown): Action {
  if (!isActionKind(kind)) unknownKind(kind);
  const payload = tupleFromJson(PAYLOAD_TYPES[kind], json, "") as unknown as PayloadOf[ActionKind];
  toClarityValue(kind, payload as never); // lengths, ranges and principals
  return { kind, payload } as Action;
}

/** An action's payload in its JSON form. */
export function actionToJson(action: Action): { [key: string]: Json } {
  toClarityValue(action.kind, action.payload as never);
  return toJsonValue({ t: "tuple", fields: PAYLOAD_TYPES[action.kind] }, action.payload) as { [key: string]: Json };
}
