import { Output, networks } from "@bitcoinerlab/descriptors";
import * as ecc from "@bitcoinerlab/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { payments } from "bitcoinjs-lib";
import { describe, expect, it } from "vitest";
import {
  NUMS_INTERNAL_KEY,
  VaultKeyring,
  descriptorHash,
  vaultAddress,
  vaultDescriptor,
  vaultDescriptorHash,
  vaultOutputScript,
  vaultPolicy,
} from "./descriptor.ts";
import {
  type VaultErrorCode,
  type VaultKeys,
  type VaultOnChain,
  vaultKeysFromChain,
  xpubBytes,
  xpubFromBytes,
} from "./keys.ts";
import { KEYS, XPRV, XPUB } from "./test/fixtures.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

const DESCRIPTOR_0 =
  `tr(${NUMS_INTERNAL_KEY},{and_v(v:pk(${XPUB.relay}/0/*),pk(${XPUB.cosigner}/0/*)),` +
  `{and_v(v:multi_a(2,${XPUB.guardian0}/0/*,${XPUB.guardian1}/0/*,${XPUB.guardian2}/0/*),older(144)),` +
  `and_v(v:pk(${XPUB.lastResort}/0/*),older(4320))}})#dmw20qz9`;

describe("BIP-341 and BIP-86 vectors", () => {
  it("the internal key is H = lift_x(sha256(uncompressed G)), a valid x-only point", () => {
    const g =
      "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798" +
      "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
    expect(hex(sha256(Buffer.from(g, "hex")))).toBe(NUMS_INTERNAL_KEY);
    expect(ecc.isXOnlyPoint(Buffer.from(NUMS_INTERNAL_KEY, "hex"))).toBe(true);
  });

  it("BIP-86's first receive address comes out the same from both libraries", () => {
    const seed = mnemonicToSeedSync(`${"abandon ".repeat(11)}about`);
    const account = HDKey.fromMasterSeed(seed).derive("m/86'/0'/0'");
    expect(account.privateExtendedKey).toBe(
      "xprv9xgqHN7yz9MwCkxsBPN5qetuNdQSUttZNKw1dcYTV4mkaAFiBVGQziHs3NRSWMkCzvgjEe3n9xV8oYywvM8at9yRqyaZVz6TYYhX98VjsUk",
    );
    const internal = account.derive("m/0/0").publicKey?.subarray(1);
    expect(hex(internal ?? new Uint8Array())).toBe("cc8a4bc64d897bddc5fbc2f670f7a8ba0b386779106cf1223c6fc5d7cd6fc115");
    const bip86 = "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr";
    expect(payments.p2tr({ internalPubkey: internal }).address).toBe(bip86);
    const descriptor = `tr(${account.publicExtendedKey}/0/*)`;
    expect(new Output({ descriptor, index: 0, network: networks.bitcoin, checksumRequired: false }).getAddress()).toBe(
      bip86,
    );
  });
});

describe("vaultPolicy and vaultDescriptor", () => {
  it("the policy names the keys and carries the threshold and timelocks", () => {
    expect(vaultPolicy(KEYS)).toBe(
      "{and_v(v:pk(@relay),pk(@cosigner)),{and_v(v:multi_a(2,@guardian0,@guardian1,@guardian2),older(144))," +
        "and_v(v:pk(@lastResort),older(4320))}}",
    );
  });

  it("prints the fixed descriptor for branch 0 and the same with /1/* for branch 1", () => {
    expect(vaultDescriptor(KEYS, "regtest", 0)).toBe(DESCRIPTOR_0);
    const change = vaultDescriptor(KEYS, "regtest", 1);
    expect(change.split("#")[0]).toBe(DESCRIPTOR_0.split("#")[0]?.replaceAll("/0/*", "/1/*"));
  });

  it("the registered hash is sha256 of the branch-0 text with its checksum", () => {
    expect(hex(descriptorHash(DESCRIPTOR_0))).toBe("65a5e45360ee8fe4580875fdb9bbdcd8b59bf248de48dd21fbdca6a54ecd839c");
    expect(hex(vaultDescriptorHash(KEYS, "regtest"))).toBe(hex(descriptorHash(DESCRIPTOR_0)));
  });

  it("a fixed first receive address; testnet keys are refused on mainnet", () => {
    expect(vaultAddress(KEYS, "regtest", 0, 0)).toBe(
      "bcrt1pfhact8kaf6e0m2r3rqtakqncux3hk9f8w6nt5wcp6ce5j2nu9feswtk7hp",
    );
    expect(vaultAddress(KEYS, "regtest", 1, 1)).toBe(new VaultKeyring(KEYS, "regtest").taproot(1, 1).address);
    expect(() => vaultAddress(KEYS, "mainnet", 0, 0)).toThrow(/^wrong-network-key: /);
  });

  it.each([0, 1, 2, 7, 1000])(
    "index %i: the descriptor library and bitcoinjs-lib's p2tr agree on both branches",
    (i) => {
      const keyring = new VaultKeyring(KEYS, "regtest");
      for (const branch of [0, 1] as const) {
        const taproot = keyring.taproot(i, branch);
        expect(taproot.address).toBe(vaultAddress(KEYS, "regtest", i, branch));
        expect(hex(taproot.outputScript)).toBe(hex(vaultOutputScript(KEYS, "regtest", i, branch)));
      }
    },
  );

  it("a mainnet vault of mainnet keys derives bc1p addresses", () => {
    const main = (seed: number) =>
      HDKey.fromMasterSeed(new Uint8Array(32).fill(seed)).derive("m/48'/0'/0'/2'").publicExtendedKey;
    const keys: VaultKeys = {
      ...KEYS,
      relay: main(1),
      cosigner: main(2),
      guardians: [main(3)],
      guardianThreshold: 1,
      lastResort: main(4),
    };
    expect(vaultAddress(keys, "mainnet", 3, 1)).toBe(new VaultKeyring(keys, "mainnet").taproot(3, 1).address);
  });
});

describe("refusals", () => {
  const cases: [string, Partial<VaultKeys>, VaultErrorCode][] = [
    ["no guardians", { guardians: [], guardianThreshold: 1 }, "bad-guardian-count"],
    ["eight guardians", { guardians: Array.from({ length: 8 }, (_, i) => mainnetLike(i)) }, "bad-guardian-count"],
    ["a guardian twice", { guardians: [XPUB.guardian0, XPUB.guardian0] }, "duplicate-key"],
    ["a guardian equal to the relay key", { guardians: [XPUB.relay, XPUB.guardian1] }, "duplicate-key"],
    ["the co-signer equal to the relay", { cosigner: XPUB.relay }, "duplicate-key"],
    ["threshold 0", { guardianThreshold: 0 }, "bad-threshold"],
    ["threshold above n", { guardianThreshold: 4 }, "bad-threshold"],
    ["threshold not whole", { guardianThreshold: 1.5 }, "bad-threshold"],
    ["recovery older below 144", { recoveryOlder: 143 }, "bad-recovery-older"],
    ["recovery older above 52560", { recoveryOlder: 52_561, lastResortOlder: 60_000 }, "bad-recovery-older"],
    ["last resort not after recovery", { lastResortOlder: 144 }, "bad-last-resort-older"],
    ["last resort above 65535", { lastResortOlder: 65_536 }, "bad-last-resort-older"],
    ["a private key", { relay: XPRV.relay }, "private-key"],
    ["a mainnet key on regtest", { relay: mainnetLike(1) }, "wrong-network-key"],
    ["garbage", { cosigner: "tpubnotakey" }, "bad-key"],
  ];
  it.each(cases)("%s is refused with %s", (_, change, code) => {
    expect(() => vaultDescriptor({ ...KEYS, ...change }, "regtest", 0)).toThrow(new RegExp(`^${code}: `));
  });

  it("an index outside BIP-32's unhardened range is refused", () => {
    expect(() => vaultAddress(KEYS, "regtest", -1)).toThrow(/^bad-index: /);
    expect(() => vaultAddress(KEYS, "regtest", 0x80000000)).toThrow(/^bad-index: /);
  });
});

function mainnetLike(seed: number): string {
  return HDKey.fromMasterSeed(new Uint8Array(32).fill(seed + 40)).publicExtendedKey;
}

describe("vaultKeysFromChain", () => {
  it("turns the 78-byte keys get-vault returns back into the registered xpubs", () => {
    const bytes = (x: string) => hex(xpubBytes(x));
    const onChain: VaultOnChain = {
      descriptorHash: hex(vaultDescriptorHash(KEYS, "regtest")),
      relayKey: bytes(XPUB.relay),
      cosignerKey: bytes(XPUB.cosigner),
      guardianKeys: KEYS.guardians.map(bytes),
      guardianThreshold: 2n,
      recoveryOlder: 144n,
      lastResortKey: bytes(XPUB.lastResort),
      lastResortOlder: 4320n,
      maxFeeRate: 50n,
      setAt: 7n,
    };
    expect(vaultKeysFromChain(onChain)).toEqual(KEYS);
    expect(xpubBytes(XPUB.relay)).toHaveLength(78);
  });

  it("a key of the wrong length or checksum is refused", () => {
    expect(() => xpubFromBytes(new Uint8Array(77))).toThrow(/^bad-key: an extended key is 78 bytes, not 77/);
    const broken = `${XPUB.relay.slice(0, -1)}${XPUB.relay.endsWith("z") ? "y" : "z"}`;
    expect(() => xpubBytes(broken)).toThrow(/^bad-key: /);
  });
});
