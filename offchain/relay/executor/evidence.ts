// Evidence encodings for report-success (docs/design.md section 4), each at most 256 bytes:
//   channel-open      36 bytes: funding txid (32, display order) + vout (uint32 big-endian)
//   channel-close     32 bytes: closing txid
//   fee-policy        32 bytes: sha256 of the canonical text of the applied policy set (docs/relay.md)
//   rebalance-policy  32 bytes: sha256 of the payload as queued
//   loop-out/loop-in  32 bytes: swap hash
//   lv-transfer       32 bytes: anchor txid
//   watchtower        32 bytes: sha256 of "<pubkey hex>@<host>"
import { createHash } from "node:crypto";
import type { Outpoint } from "../daemons/ports.ts";

export const sha256 = (data: string | Uint8Array): Uint8Array =>
  new Uint8Array(createHash("sha256").update(data).digest());

export function hex32(value: string, what: string): Uint8Array {
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new Error(`${what} is not 32 bytes of hex: ${value}`);
  return new Uint8Array(Buffer.from(value, "hex"));
}

export function outpointEvidence(outpoint: Outpoint): Uint8Array {
  const out = new Uint8Array(36);
  out.set(hex32(outpoint.txid, "funding txid"), 0);
  new DataView(out.buffer).setUint32(32, outpoint.vout, false);
  return out;
}

export function parseOutpoint(text: string): Outpoint {
  const match = /^([0-9a-f]{64}):(\d+)$/i.exec(text);
  if (!match) throw new Error(`not an outpoint: ${text}`);
  return { txid: match[1]!.toLowerCase(), vout: Number(match[2]) };
}

/** Evidence for a fee-policy: sha256 of the applied set's canonical text (the lnd port gives it with the result). */
export const policySetHash = (canonical: string): string => Buffer.from(sha256(canonical)).toString("hex");

export const watchtowerEvidence = (pubkey: string, host: string): Uint8Array => sha256(`${pubkey}@${host}`);
