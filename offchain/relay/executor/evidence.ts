// Evidence encodings for report-success (DESIGN.md section 4), each at most 256 bytes:
//   channel-open      36 bytes: funding txid (32, display order) + vout (uint32 big-endian)
//   channel-close     32 bytes: closing txid
//   fee-policy        32 bytes: sha256 of the canonical applied policy set (canonicalPolicySet)
//   rebalance-policy  32 bytes: sha256 of the payload as queued
//   loop-out/loop-in  32 bytes: swap hash
//   lv-transfer       32 bytes: anchor txid
//   watchtower        32 bytes: sha256 of "<pubkey hex>@<host>"
import { createHash } from "node:crypto";
import { outpointKey, type ChannelPolicy, type Outpoint } from "../ports.ts";

export const sha256 = (data: string | Uint8Array): Uint8Array => new Uint8Array(createHash("sha256").update(data).digest());

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

/** One line per channel, sorted by outpoint, every field lnd keeps; the same set always hashes the same. */
export function canonicalPolicySet(policies: ChannelPolicy[]): string {
  return [...policies]
    .sort((a, b) => (outpointKey(a.outpoint) < outpointKey(b.outpoint) ? -1 : 1))
    .map(
      (p) =>
        `${outpointKey(p.outpoint)} base_fee_msat=${p.baseFeeMsat} fee_ppm=${p.feePpm} cltv_delta=${p.cltvDelta} ` +
        `inbound_base_fee_msat=${p.inboundBaseFeeMsat} inbound_fee_ppm=${p.inboundFeePpm} ` +
        `min_htlc_msat=${p.minHtlcMsat} max_htlc_msat=${p.maxHtlcMsat}`,
    )
    .join("\n");
}

export const watchtowerEvidence = (pubkey: string, host: string): Uint8Array => sha256(`${pubkey}@${host}`);
