import { HDKey } from "@scure/bip32";
import { describe, expect, it } from "vitest";
import { SPEND_PATHS, type SpendPath, VaultKeyring } from "./descriptor.ts";
import { type VaultKeys, hdVersions } from "./keys.ts";
import { finalizeEveryday, finalizeSpend, serializedWitnessBytes, signEveryday, signVault } from "./sign.ts";
import {
  DUST_SATS,
  EVERYDAY_SEQUENCE,
  type VaultUtxo,
  buildLastResortPsbt,
  buildRecoveryPsbt,
  buildSpendPsbt,
} from "./spend.ts";
import { FUNDING_SCRIPT, KEYS, XPRV, XPUB, signaturesValid, txid } from "./test/fixtures.ts";
import { txWeight, witnessBytes } from "./weights.ts";

const coin = (n: number, sats: bigint, index = n, branch: 0 | 1 = 0): VaultUtxo => ({
  txid: txid(n),
  vout: n % 3,
  sats,
  index,
  branch,
});

const GUARDIAN_XPRVS = [XPRV.guardian0, XPRV.guardian1, XPRV.guardian2];

function signers(path: SpendPath): string[] {
  if (path === "everyday") return [XPRV.relay, XPRV.cosigner];
  if (path === "recovery") return GUARDIAN_XPRVS.slice(0, KEYS.guardianThreshold);
  return [XPRV.lastResort];
}

function build(path: SpendPath, utxos: VaultUtxo[], keys: VaultKeys = KEYS) {
  const args = { keys, network: "regtest" as const, utxos, feeRateSatVb: 3n };
  if (path === "everyday")
    return buildSpendPsbt({ ...args, outputs: [{ script: FUNDING_SCRIPT, sats: 450_000n }], changeIndex: 4 });
  if (path === "recovery") return buildRecoveryPsbt({ ...args, destination: FUNDING_SCRIPT });
  return buildLastResortPsbt({ ...args, destination: FUNDING_SCRIPT });
}

describe("witness sizes", () => {
  const keyring = new VaultKeyring(KEYS, "regtest");

  it("the estimates for the fixture vault (2-of-3 guardians)", () => {
    expect(SPEND_PATHS.map((p) => witnessBytes(keyring, p))).toEqual([266, 339, 203]);
  });

  it.each(SPEND_PATHS)("%s: every finalized input's witness and the tx weight equal the estimates", (path) => {
    const psbt = build(path, [coin(1, 400_000n), coin(2, 90_000n, 9, 1)]);
    for (const xprv of signers(path)) expect(signVault(psbt, xprv)).toBe(2);
    expect(signaturesValid(psbt)).toBe(true);
    const tx = finalizeSpend(psbt);
    for (const input of tx.ins) expect(serializedWitnessBytes(input.witness)).toBe(witnessBytes(keyring, path));
    const outputs = tx.outs.map((o) => o.script.length);
    expect(tx.weight()).toBe(txWeight(keyring, path, tx.ins.length, outputs));
  });

  it.each([
    [1, 1],
    [3, 5],
    [7, 7],
  ])("recovery %i-of-%i: witness size measured on the finalized tx equals the estimate", (k, n) => {
    const guardians = Array.from({ length: n }, (_, i) => guardianKey(i));
    const keys: VaultKeys = { ...KEYS, guardians: guardians.map((g) => g.xpub), guardianThreshold: k };
    const psbt = build("recovery", [coin(3, 100_000n)], keys);
    for (const g of guardians) signVault(psbt, g.xprv);
    const tx = finalizeSpend(psbt);
    expect(serializedWitnessBytes(tx.ins[0]?.witness ?? [])).toBe(
      witnessBytes(new VaultKeyring(keys, "regtest"), "recovery"),
    );
  });
});

function guardianKey(i: number): { xpub: string; xprv: string } {
  const node = HDKey.fromMasterSeed(new Uint8Array(32).fill(100 + i), hdVersions("regtest"));
  return { xpub: node.publicExtendedKey, xprv: node.privateExtendedKey };
}

describe("timelocks", () => {
  it.each([
    ["everyday", EVERYDAY_SEQUENCE],
    ["recovery", 144],
    ["last-resort", 4320],
  ] as [SpendPath, number][])("%s inputs carry nSequence %i in a version-2 transaction", (path, sequence) => {
    const psbt = build(path, [coin(1, 400_000n), coin(2, 90_000n)]);
    expect(psbt.version).toBe(2);
    expect(psbt.locktime).toBe(0);
    expect(psbt.txInputs.map((i) => i.sequence)).toEqual([sequence, sequence]);
  });
});

describe("buildSpendPsbt", () => {
  const keyring = new VaultKeyring(KEYS, "regtest");

  it("selects the largest coin first and returns exact change to branch 1 at the change index", () => {
    const utxos = [coin(1, 100_000n), coin(2, 500_000n), coin(3, 300_000n)];
    const psbt = buildSpendPsbt({
      keys: KEYS,
      network: "regtest",
      utxos,
      outputs: [{ script: FUNDING_SCRIPT, sats: 350_000n }],
      feeRateSatVb: 7n,
      changeIndex: 4,
    });
    expect(psbt.txInputs.map((i) => Buffer.from(i.hash).reverse().toString("hex"))).toEqual([txid(2)]);
    const fee = BigInt(Math.ceil(txWeight(keyring, "everyday", 1, [34, 34]) / 4)) * 7n;
    expect(psbt.txOutputs.map((o) => [Buffer.from(o.script).toString("hex"), o.value])).toEqual([
      [Buffer.from(FUNDING_SCRIPT).toString("hex"), 350_000n],
      [Buffer.from(keyring.taproot(4, 1).outputScript).toString("hex"), 500_000n - 350_000n - fee],
    ]);
    signEveryday(psbt, XPRV.relay);
    signEveryday(psbt, XPRV.cosigner);
    const tx = finalizeEveryday(psbt);
    expect(fee).toBe(7n * BigInt(tx.virtualSize()));
  });

  it("adds coins until the outputs and the fee are covered", () => {
    const psbt = build("everyday", [coin(1, 300_000n), coin(2, 200_000n), coin(3, 100_000n)]);
    expect(psbt.txInputs).toHaveLength(2);
  });

  it("gives change below the dust limit to the fee instead of making an output", () => {
    const fee = BigInt(Math.ceil(txWeight(keyring, "everyday", 1, [34]) / 4)) * 3n;
    const psbt = build("everyday", [coin(1, 450_000n + fee + DUST_SATS - 1n)]);
    expect(psbt.txOutputs.map((o) => o.value)).toEqual([450_000n]);
  });

  it.each([
    ["not enough coins", { utxos: [coin(1, 150_000n)] }, /^insufficient-funds: the vault holds 150000 sats in 1 coins/],
    ["a zero fee rate", { feeRateSatVb: 0n }, /^bad-fee-rate: /],
    ["a dust output", { outputs: [{ script: FUNDING_SCRIPT, sats: 329n }] }, /^bad-amount: output 0 pays 329 sats/],
    ["no outputs", { outputs: [] }, /^bad-output: /],
    ["a coin listed twice", { utxos: [coin(1, 900_000n), coin(1, 900_000n)] }, /^bad-output: utxo .* is listed twice/],
    ["a bad change index", { changeIndex: -1 }, /^bad-index: /],
  ])("refuses %s", (_, change, error) => {
    const args = {
      keys: KEYS,
      network: "regtest" as const,
      utxos: [coin(1, 900_000n)],
      outputs: [{ script: FUNDING_SCRIPT, sats: 150_000n }],
      feeRateSatVb: 2n,
      changeIndex: 0,
      ...change,
    };
    expect(() => buildSpendPsbt(args)).toThrow(error);
  });
});

describe("signing and finalizing", () => {
  it("signing twice with the same key adds nothing the second time", () => {
    const psbt = build("everyday", [coin(1, 400_000n), coin(2, 90_000n)]);
    expect(signEveryday(psbt, XPRV.relay)).toBe(2);
    const once = psbt.toBase64();
    expect(signEveryday(psbt, XPRV.relay)).toBe(0);
    expect(psbt.toBase64()).toBe(once);
  });

  it("a key that is not in the vault signs nothing", () => {
    const psbt = build("everyday", [coin(1, 900_000n)]);
    expect(signEveryday(psbt, guardianKey(9).xprv)).toBe(0);
    expect(signEveryday(psbt, XPRV.guardian0)).toBe(0);
  });

  it("the relay's signature alone does not finalize", () => {
    const psbt = build("everyday", [coin(1, 900_000n)]);
    signEveryday(psbt, XPRV.relay);
    expect(() => finalizeEveryday(psbt)).toThrow(/^missing-signatures: input 0 has 1 of the 2 signatures/);
  });

  it("one guardian short of the threshold does not finalize; all three use exactly two", () => {
    const psbt = build("recovery", [coin(1, 400_000n)]);
    signVault(psbt, XPRV.guardian2);
    expect(() => finalizeSpend(psbt.clone())).toThrow(/^missing-signatures: input 0 has 1 of the 2/);
    signVault(psbt, XPRV.guardian0);
    signVault(psbt, XPRV.guardian1);
    const tx = finalizeSpend(psbt);
    const witness = tx.ins[0]?.witness ?? [];
    expect(witness.slice(0, 3).map((w) => w.length)).toEqual([0, 64, 64]);
  });

  it("an xpub is refused as a signing key", () => {
    const psbt = build("everyday", [coin(1, 900_000n)]);
    expect(() => signEveryday(psbt, XPUB.relay)).toThrow(/^bad-key: /);
  });
});
