// Macaroons as lnd and tapd bake them: the libmacaroons V2 binary format, an HMAC-SHA256 signature chain under a
// root key, and a bakery v3 identifier that lists the permissions (entity:action pairs). The simulators bake
// admin and read-only macaroons at start and check every call against the permission its method needs, failing
// with lnd's own messages (lnd answers them all with gRPC status UNKNOWN).
import { createHmac, randomBytes } from "node:crypto";

export interface Permission {
  entity: string;
  action: string;
}

export interface Macaroon {
  location: string;
  identifier: Buffer;
  caveats: Buffer[];
  signature: Buffer;
}

const FIELD_EOS = 0;
const FIELD_LOCATION = 1;
const FIELD_IDENTIFIER = 2;
const FIELD_VID = 4;
const FIELD_SIGNATURE = 6;
const ROOT_KEY_ID = "0";

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();
// go-macaroon derives the signing key from the root key with a fixed generator string.
const derivedKey = (rootKey: Buffer) => hmac(Buffer.from("macaroons-key-generator"), rootKey);

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

const field = (type: number, data: Buffer) => Buffer.concat([Buffer.from([type]), uvarint(data.length), data]);

export function encodeMacaroon(macaroon: Macaroon): Buffer {
  const parts = [Buffer.from([2])];
  if (macaroon.location) parts.push(field(FIELD_LOCATION, Buffer.from(macaroon.location)));
  parts.push(field(FIELD_IDENTIFIER, macaroon.identifier), Buffer.from([FIELD_EOS]));
  for (const caveat of macaroon.caveats) parts.push(field(FIELD_IDENTIFIER, caveat), Buffer.from([FIELD_EOS]));
  parts.push(Buffer.from([FIELD_EOS]), field(FIELD_SIGNATURE, macaroon.signature));
  return Buffer.concat(parts);
}

class Reader {
  offset = 0;
  constructor(private readonly bytes: Buffer) {}
  byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw new Error("packet too short");
    this.offset += 1;
    return value;
  }
  peek(): number | undefined {
    return this.bytes[this.offset];
  }
  field(): { type: number; data: Buffer } {
    const type = this.byte();
    if (type === FIELD_EOS) return { type, data: Buffer.alloc(0) };
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
      if (shift > 28) throw new Error("unmarshal v2: varint overflow");
    }
    if (this.offset + length > this.bytes.length) throw new Error("unmarshal v2: section extends past end of buffer");
    const data = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return { type, data };
  }
}

/** Parses a V2 binary macaroon; throws with go-macaroon's wording on malformed input. */
export function decodeMacaroon(bytes: Buffer): Macaroon {
  if (bytes.length < 4) throw new Error("packet too short");
  if (bytes[0] !== 2) throw new Error("unmarshal v1: packet too short");
  const reader = new Reader(bytes.subarray(1));
  let location = "";
  let next = reader.field();
  if (next.type === FIELD_LOCATION) {
    location = next.data.toString();
    next = reader.field();
  }
  if (next.type !== FIELD_IDENTIFIER) throw new Error("unmarshal v2: missing identifier");
  const identifier = Buffer.from(next.data);
  if (reader.field().type !== FIELD_EOS) throw new Error("unmarshal v2: unexpected field after identifier");
  const caveats: Buffer[] = [];
  while (reader.peek() !== FIELD_EOS) {
    let caveat = reader.field();
    if (caveat.type === FIELD_LOCATION) caveat = reader.field();
    if (caveat.type !== FIELD_IDENTIFIER) throw new Error("unmarshal v2: caveat without identifier");
    caveats.push(Buffer.from(caveat.data));
    let end = reader.field();
    if (end.type === FIELD_VID) end = reader.field();
    if (end.type !== FIELD_EOS) throw new Error("unmarshal v2: unterminated caveat");
  }
  reader.byte();
  const signature = reader.field();
  if (signature.type !== FIELD_SIGNATURE || signature.data.length !== 32)
    throw new Error("unmarshal v2: bad signature field");
  return { location, identifier, caveats, signature: Buffer.from(signature.data) };
}

// The bakery v3 identifier: version byte 3, then protobuf MacaroonId {nonce = 1, storageId = 2, ops = 3 {entity = 1,
// actions = 2}}. Written by hand because the message is tiny and no proto file for it ships in node_modules.
const protoBytes = (fieldNumber: number, data: Buffer) =>
  Buffer.concat([uvarint((fieldNumber << 3) | 2), uvarint(data.length), data]);

function encodeIdentifier(nonce: Buffer, storageId: string, permissions: Permission[]): Buffer {
  const byEntity = new Map<string, string[]>();
  for (const { entity, action } of permissions) byEntity.set(entity, [...(byEntity.get(entity) ?? []), action]);
  const ops = [...byEntity].map(([entity, actions]) =>
    protoBytes(
      3,
      Buffer.concat([
        protoBytes(1, Buffer.from(entity)),
        ...actions.map((action) => protoBytes(2, Buffer.from(action))),
      ]),
    ),
  );
  return Buffer.concat([Buffer.from([3]), protoBytes(1, nonce), protoBytes(2, Buffer.from(storageId)), ...ops]);
}

function decodeIdentifier(identifier: Buffer): { storageId: string; permissions: Permission[] } {
  if (identifier[0] !== 3) throw new Error("cannot get macaroon: unknown identifier version");
  const fields = (bytes: Buffer): Array<{ number: number; data: Buffer }> => {
    const reader = new Reader(bytes);
    const out: Array<{ number: number; data: Buffer }> = [];
    while (reader.peek() !== undefined) {
      const key = reader.byte();
      if ((key & 7) !== 2) throw new Error("cannot get macaroon: malformed identifier");
      let length = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = reader.byte();
        length += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) break;
      }
      const start = reader.offset;
      reader.offset += length;
      if (reader.offset > bytes.length) throw new Error("cannot get macaroon: malformed identifier");
      out.push({ number: key >> 3, data: bytes.subarray(start, start + length) });
    }
    return out;
  };
  let storageId = "";
  const permissions: Permission[] = [];
  for (const { number, data } of fields(identifier.subarray(1))) {
    if (number === 2) storageId = data.toString();
    if (number !== 3) continue;
    const op = fields(data);
    const entity = op.find((part) => part.number === 1)?.data.toString() ?? "";
    for (const action of op.filter((part) => part.number === 2))
      permissions.push({ entity, action: action.data.toString() });
  }
  return { storageId, permissions };
}

export const ADMIN_ENTITIES = [
  "address",
  "info",
  "invoices",
  "macaroon",
  "message",
  "offchain",
  "onchain",
  "peers",
  "signer",
];

/** Bakes a macaroon under `rootKey` granting `permissions`. */
export function bakeMacaroon(rootKey: Buffer, location: string, permissions: Permission[]): Buffer {
  const identifier = encodeIdentifier(randomBytes(16), ROOT_KEY_ID, permissions);
  return encodeMacaroon({ location, identifier, caveats: [], signature: hmac(derivedKey(rootKey), identifier) });
}

export class MacaroonError extends Error {}

/**
 * Checks the `macaroon` metadata values of one call the way lnd's interceptor does: exactly one hex macaroon,
 * issued under this daemon's root key, untampered, granting every permission the method requires.
 */
export function checkMacaroon(values: string[], rootKey: Buffer, required: Permission[]): void {
  if (values.length !== 1) throw new MacaroonError(`expected 1 macaroon, got ${values.length}`);
  const hex = values[0] ?? "";
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0)
    throw new MacaroonError(
      `encoding/hex: invalid byte: U+${hex.charCodeAt(bad).toString(16).toUpperCase().padStart(4, "0")} '${hex[bad]}'`,
    );
  if (hex.length % 2 === 1) throw new MacaroonError("encoding/hex: odd length hex string");
  let macaroon: Macaroon;
  try {
    macaroon = decodeMacaroon(Buffer.from(hex, "hex"));
  } catch (error) {
    throw new MacaroonError((error as Error).message);
  }
  let identity: ReturnType<typeof decodeIdentifier>;
  try {
    identity = decodeIdentifier(macaroon.identifier);
  } catch (error) {
    throw new MacaroonError((error as Error).message);
  }
  if (identity.storageId !== ROOT_KEY_ID) {
    throw new MacaroonError(`cannot get macaroon: root key with id ${identity.storageId} doesn't exist`);
  }
  let signature = hmac(derivedKey(rootKey), macaroon.identifier);
  for (const caveat of macaroon.caveats) signature = hmac(signature, caveat);
  if (!signature.equals(macaroon.signature)) {
    throw new MacaroonError("verification failed: signature mismatch after caveat verification");
  }
  // The simulators honour no first-party caveats (timeouts, IP locks); a macaroon carrying any is refused rather
  // than accepted with its restriction ignored.
  if (macaroon.caveats.length > 0) throw new MacaroonError(`caveat not satisfied: ${macaroon.caveats[0]?.toString()}`);
  const granted = new Set(identity.permissions.map((p) => `${p.entity}:${p.action}`));
  if (!required.every((p) => granted.has(`${p.entity}:${p.action}`))) throw new MacaroonError("permission denied");
}
