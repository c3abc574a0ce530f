// docs/relay.md's recipe recomputes a fee-policy's evidence from `lncli` output: run on JSON shaped as lncli prints
// it (int64 as strings, int32 and uint32 as numbers, zeros printed), it gives the sha256 of canonicalPolicySet for
// the same policies. The real-lncli run is in offchain/regtest/least-privilege.regtest.test.ts.
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalPolicySet, type AppliedPolicy } from "../../lightning/index.ts";
import { runFeePolicyRecipe } from "./fee-policy-recipe.ts";

const ME = `02${"aa".repeat(32)}`;
const PEER = `03${"bb".repeat(32)}`;
const dir = mkdtempSync(join(tmpdir(), "lvdao-recipe-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const policy = (txid: string, vout: number, over: Partial<AppliedPolicy> = {}): AppliedPolicy => ({
  channel: { txid, vout },
  baseFeeMsat: 1000n,
  feeRatePpm: 250,
  cltvDelta: 80,
  minHtlcMsat: 1000n,
  maxHtlcMsat: 990_000_000n,
  inboundBaseFeeMsat: 0,
  inboundFeeRatePpm: -25,
  ...over,
});

/** lnd's RoutingPolicy as lncli prints it. */
const lncliPolicy = (p: AppliedPolicy) => ({
  time_lock_delta: p.cltvDelta,
  min_htlc: p.minHtlcMsat.toString(),
  fee_base_msat: p.baseFeeMsat.toString(),
  fee_rate_milli_msat: String(p.feeRatePpm),
  disabled: false,
  max_htlc_msat: p.maxHtlcMsat.toString(),
  last_update: 1_700_000_000,
  custom_records: {},
  inbound_fee_base_msat: p.inboundBaseFeeMsat,
  inbound_fee_rate_milli_msat: p.inboundFeeRatePpm,
});
const peerPolicy = lncliPolicy(policy("00".repeat(32), 0, { baseFeeMsat: 7n, feeRatePpm: 7, inboundFeeRatePpm: 0 }));

/** A stand-in lncli answering getinfo, listchannels and getchaninfo --chan_point from files. */
function fakeLncli(policies: { policy: AppliedPolicy; weAreNode1: boolean }[]): string {
  const bin = mkdtempSync(join(dir, "bin-"));
  writeFileSync(join(bin, "getinfo.json"), JSON.stringify({ identity_pubkey: ME, alias: "dao" }));
  const points = policies.map(({ policy: p }) => `${p.channel.txid}:${p.channel.vout}`);
  writeFileSync(
    join(bin, "listchannels.json"),
    JSON.stringify({ channels: points.map((channel_point) => ({ channel_point, active: true })) }, null, 4),
  );
  policies.forEach(({ policy: p, weAreNode1 }, index) => {
    const ours = lncliPolicy(p);
    writeFileSync(
      join(bin, `chan-${points[index]?.replace(":", "_")}.json`),
      JSON.stringify(
        {
          channel_id: "0",
          chan_point: points[index],
          node1_pub: weAreNode1 ? ME : PEER,
          node2_pub: weAreNode1 ? PEER : ME,
          capacity: "1000000",
          node1_policy: weAreNode1 ? ours : peerPolicy,
          node2_policy: weAreNode1 ? peerPolicy : ours,
        },
        null,
        4,
      ),
    );
  });
  writeFileSync(
    join(bin, "lncli"),
    `#!/bin/sh\nD=$(dirname "$0")\ncase "$1" in\n  getinfo) cat "$D/getinfo.json" ;;\n` +
      `  listchannels) cat "$D/listchannels.json" ;;\n` +
      `  getchaninfo) cat "$D/chan-$(echo "$3" | tr : _).json" ;;\n  *) exit 1 ;;\nesac\n`,
  );
  chmodSync(join(bin, "lncli"), 0o755);
  return bin;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the documented fee-policy evidence recipe", () => {
  it.each([
    ["one channel, ours is node1", [{ policy: policy("cd".repeat(32), 1), weAreNode1: true }]],
    ["one channel, ours is node2", [{ policy: policy("cd".repeat(32), 1), weAreNode1: false }]],
    [
      "three channels listed out of order, vout 10 before 2 as text, a large max HTLC and a positive inbound fee",
      [
        { policy: policy("ef".repeat(32), 2, { maxHtlcMsat: 9_007_199_254_740_993n }), weAreNode1: false },
        { policy: policy("ef".repeat(32), 10, { inboundBaseFeeMsat: -1000, inboundFeeRatePpm: 5 }), weAreNode1: true },
        { policy: policy("01".repeat(32), 0, { feeRatePpm: 0, baseFeeMsat: 0n }), weAreNode1: false },
      ],
    ],
  ])("%s: gives the sha256 of canonicalPolicySet", (_, policies) => {
    const expected = sha256(canonicalPolicySet(policies.map((p) => p.policy)));
    expect(runFeePolicyRecipe(fakeLncli(policies))).toBe(expected);
  });

  it("a policy that differs in one field gives another hash", () => {
    const applied = policy("cd".repeat(32), 1);
    const live = { ...applied, cltvDelta: 81 };
    expect(runFeePolicyRecipe(fakeLncli([{ policy: live, weAreNode1: true }]))).not.toBe(
      sha256(canonicalPolicySet([applied])),
    );
  });
});
