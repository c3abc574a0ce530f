// Typed action <-> consensus bytes: exactly what Clarity's to-consensus-buff? gives for the tuple, so a payload
// encoded here is the payload proposals.propose stores and the relay reads back from `action-queued`.
import { type ClarityValue, deserializeCV, serializeCV } from "@stacks/transactions";
import { fail, unknownKind } from "./errors.ts";
import { fromClarityValue, toClarityValue } from "./clarity.ts";
import { isActionKind, type ActionKind } from "./kinds.ts";
import { serializedLength } from "./serialized-length.ts";
import type { Action, ActionOf, PayloadOf } from "./types.ts";

/** The largest payload proposals.propose accepts. */
export const MAX_PAYLOAD_BYTES = 2048;

export function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(clean)) fail("ERR_MALFORMED_PAYLOAD", null, "is not hex");
  const bytes = new Uint8Array(clean.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The consensus bytes of an action's payload, as hex. */
export function encodeActionHex(action: Action): string {
  const hex = serializeCV(toClarityValue(action.kind, action.payload as never)) as unknown as string;
  if (hex.length / 2 > MAX_PAYLOAD_BYTES) fail("ERR_MALFORMED_PAYLOAD", null, `is over ${MAX_PAYLOAD_BYTES} bytes`);
  return hex;
}

/** The consensus bytes of an action's payload. */
export function encodeAction(action: Action): Uint8Array {
  return hexToBytes(encodeActionHex(action));
}

/**
 * A kind's payload from its consensus bytes (Uint8Array or hex). Only the canonical encoding is accepted: the
 * bytes must re-encode to themselves, as action-validator requires on-chain.
 */
export function decodeAction<K extends ActionKind>(kind: K, payload: Uint8Array | string): ActionOf<K>;
export function decodeAction(kind: string, payload: Uint8Array | string): Action;
export function decodeAction(kind: string, payload: Uint8Array | string): Action {
  if (!isActionKind(kind)) unknownKind(kind);
  const hex = (typeof payload === "string" ? bytesToHex(hexToBytes(payload)) : bytesToHex(payload)).toLowerCase();
  if (hex.length === 0) fail("ERR_MALFORMED_PAYLOAD", null, "is empty");
  if (hex.length / 2 > MAX_PAYLOAD_BYTES) fail("ERR_MALFORMED_PAYLOAD", null, `is over ${MAX_PAYLOAD_BYTES} bytes`);
  const needed = serializedLength(hexToBytes(hex));
  if (needed !== null && needed > hex.length / 2)
    fail(
      "ERR_MALFORMED_PAYLOAD",
      null,
      `is truncated: ${hex.length / 2} bytes, but the value it starts needs at least ${needed} (is the hex cut short?)`,
    );
  let cv: ClarityValue;
  try {
    cv = deserializeCV(hex);
  } catch (error) {
    return fail("ERR_MALFORMED_PAYLOAD", null, `does not deserialize: ${(error as Error).message}`);
  }
  const typed = fromClarityValue(kind, cv) as PayloadOf[ActionKind];
  const action = { kind, payload: typed } as Action;
  if (encodeActionHex(action) !== hex)
    fail("ERR_MALFORMED_PAYLOAD", null, "is not the canonical encoding of its value");
  return action;
}
