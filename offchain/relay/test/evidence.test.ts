// The evidence each kind reports with report-success: encodings and their guards.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  hex32,
  outpointEvidence,
  parseOutpoint,
  policySetHash,
  sha256,
  watchtowerEvidence,
} from "../executor/evidence.ts";

const TXID = "0a".repeat(31) + "ff";
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("evidence", () => {
  it.each([
    { vout: 0, tail: "00000000" },
    { vout: 1, tail: "00000001" },
    { vout: 0x01020304, tail: "01020304" },
    { vout: 0xffffffff, tail: "ffffffff" },
  ])("a funding outpoint with vout $vout is the txid and the vout as uint32 big-endian", ({ vout, tail }) => {
    const evidence = outpointEvidence({ txid: TXID, vout });
    expect(evidence).toHaveLength(36);
    expect(hex(evidence)).toBe(TXID + tail);
  });

  it.each([
    [`${TXID}:0`, { txid: TXID, vout: 0 }],
    [`${TXID.toUpperCase()}:17`, { txid: TXID, vout: 17 }],
  ])("parses %s", (text, outpoint) => {
    expect(parseOutpoint(text)).toEqual(outpoint);
  });

  it.each([`${TXID}`, `${TXID}:`, `${TXID}:x`, `${TXID.slice(2)}:0`, `zz${TXID.slice(2)}:0`])(
    "refuses %s as an outpoint",
    (text) => {
      expect(() => parseOutpoint(text)).toThrow(/not an outpoint/);
    },
  );

  it.each([
    [TXID, TXID],
    [TXID.toUpperCase(), TXID],
  ])("takes 32 bytes of hex: %s", (value, expected) => {
    expect(hex(hex32(value, "swap hash"))).toBe(expected);
  });

  it.each(["", "ab", TXID + "00", TXID.slice(1) + "g"])("refuses %j as 32 bytes, naming what it is", (value) => {
    expect(() => hex32(value, "closing txid")).toThrow(/^closing txid is not 32 bytes of hex/);
  });

  it("hashes a fee-policy's canonical text and a watchtower's pubkey@host with sha256", () => {
    const text =
      `${TXID}:0 base_fee_msat=1 fee_ppm=2 cltv_delta=40 inbound_base_fee_msat=0 inbound_fee_ppm=0 ` +
      "min_htlc_msat=1000 max_htlc_msat=990000";
    expect(policySetHash(text)).toBe(sha(text));
    expect(hex(watchtowerEvidence("02ab", "tower:9911"))).toBe(sha("02ab@tower:9911"));
    expect(hex(sha256(new Uint8Array([1, 2, 3])))).toBe(
      createHash("sha256")
        .update(Buffer.from([1, 2, 3]))
        .digest("hex"),
    );
  });
});
