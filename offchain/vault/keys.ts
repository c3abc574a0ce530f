// The vault's keys: four roles of BIP-32 extended public keys and the timelocks between them, checked against
// the same bounds the chain's `vault-set` validator enforces, so a key set this module accepts is one the DAO can
// register, and one it refuses names the rule it broke.
import { HDKey } from "@scure/bip32";
import { sha256 } from "@noble/hashes/sha256";
import { networks as bitcoinNetworks, type Network as BitcoinNetwork } from "bitcoinjs-lib";

/** The networks the relay's configuration can name. */
export type Network = "regtest" | "testnet" | "mainnet";

export interface VaultKeys {
  relay: string;
  cosigner: string;
  guardians: string[];
  guardianThreshold: number;
  recoveryOlder: number;
  lastResort: string;
  lastResortOlder: number;
}

/** The on-chain bounds of a `vault-set` payload (the action validator holds the same numbers). */
export const VAULT_BOUNDS = {
  maxGuardians: 7,
  minRecoveryOlder: 144,
  maxRecoveryOlder: 52_560,
  maxLastResortOlder: 65_535,
} as const;

export type VaultErrorCode =
  | "bad-key"
  | "private-key"
  | "wrong-network-key"
  | "duplicate-key"
  | "bad-guardian-count"
  | "bad-threshold"
  | "bad-recovery-older"
  | "bad-last-resort-older"
  | "bad-index"
  | "bad-amount"
  | "bad-fee-rate"
  | "bad-output"
  | "insufficient-funds"
  | "not-vault-input"
  | "missing-signatures";

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    reason: string,
  ) {
    super(`${code}: ${reason}`);
    this.name = "VaultError";
  }
}

interface HdVersions {
  public: number;
  private: number;
}
const MAINNET_VERSIONS: HdVersions = { public: 0x0488b21e, private: 0x0488ade4 };
const TEST_VERSIONS: HdVersions = { public: 0x043587cf, private: 0x04358394 };

export function hdVersions(network: Network): HdVersions {
  return network === "mainnet" ? MAINNET_VERSIONS : TEST_VERSIONS;
}

export function bitcoinNetwork(network: Network): BitcoinNetwork {
  if (network === "mainnet") return bitcoinNetworks.bitcoin;
  if (network === "testnet") return bitcoinNetworks.testnet;
  return bitcoinNetworks.regtest;
}

/** An extended public key for `network`; a private key, another network's key or a malformed one is refused. */
export function parseXpub(xpub: string, network: Network, role = "key"): HDKey {
  let node: HDKey;
  try {
    node = HDKey.fromExtendedKey(xpub, hdVersions(network));
  } catch (error) {
    const other = network === "mainnet" ? TEST_VERSIONS : MAINNET_VERSIONS;
    try {
      HDKey.fromExtendedKey(xpub, other);
    } catch {
      throw new VaultError("bad-key", `the ${role} is not an extended public key (${(error as Error).message})`);
    }
    throw new VaultError("wrong-network-key", `the ${role} is an extended key of another network than ${network}`);
  }
  if (node.privateKey !== null) {
    throw new VaultError("private-key", `the ${role} is an extended private key; only xpubs go into the vault`);
  }
  return node;
}

/** An extended private key for `network` (the relay's, the co-signer's or a guardian's signing key). */
export function parseXprv(xprv: string, network: Network): HDKey {
  let node: HDKey;
  try {
    node = HDKey.fromExtendedKey(xprv.trim(), hdVersions(network));
  } catch (error) {
    throw new VaultError("bad-key", `not an extended private key of ${network} (${(error as Error).message})`);
  }
  if (node.privateKey === null) throw new VaultError("bad-key", "an extended public key where a private key belongs");
  return node;
}

function inRange(value: number, low: number, high: number): boolean {
  return Number.isInteger(value) && value >= low && value <= high;
}

/** Every rule `vault-set` holds on-chain, checked off-chain with the same bounds. */
export function validateVaultKeys(keys: VaultKeys, network: Network): void {
  const roles: [string, string][] = [
    ["relay key", keys.relay],
    ["co-signer key", keys.cosigner],
    ["last-resort key", keys.lastResort],
    ...keys.guardians.map((g, i): [string, string] => [`guardian key ${i}`, g]),
  ];
  if (keys.guardians.length < 1 || keys.guardians.length > VAULT_BOUNDS.maxGuardians) {
    throw new VaultError(
      "bad-guardian-count",
      `${keys.guardians.length} guardian keys; the vault takes 1 to ${VAULT_BOUNDS.maxGuardians}`,
    );
  }
  const seen = new Map<string, string>();
  for (const [role, xpub] of roles) {
    const node = parseXpub(xpub, network, role);
    const id = node.publicExtendedKey;
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new VaultError("duplicate-key", `the ${role} is the same key as the ${earlier}`);
    seen.set(id, role);
  }
  if (!inRange(keys.guardianThreshold, 1, keys.guardians.length)) {
    throw new VaultError(
      "bad-threshold",
      `guardian threshold ${keys.guardianThreshold} is not between 1 and ${keys.guardians.length}`,
    );
  }
  if (!inRange(keys.recoveryOlder, VAULT_BOUNDS.minRecoveryOlder, VAULT_BOUNDS.maxRecoveryOlder)) {
    throw new VaultError(
      "bad-recovery-older",
      `recovery older(${keys.recoveryOlder}) is outside ` +
        `${VAULT_BOUNDS.minRecoveryOlder}..${VAULT_BOUNDS.maxRecoveryOlder} blocks`,
    );
  }
  if (!inRange(keys.lastResortOlder, keys.recoveryOlder + 1, VAULT_BOUNDS.maxLastResortOlder)) {
    throw new VaultError(
      "bad-last-resort-older",
      `last-resort older(${keys.lastResortOlder}) must be above recovery older(${keys.recoveryOlder}) ` +
        `and at most ${VAULT_BOUNDS.maxLastResortOlder}`,
    );
  }
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  let text = "";
  while (n > 0n) {
    text = BASE58[Number(n % 58n)] + text;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    text = `1${text}`;
  }
  return text;
}

/** The xpub string of the 78 serialized bytes the chain stores (base58check adds the 4-byte checksum). */
export function xpubFromBytes(bytes: Uint8Array): string {
  if (bytes.length !== 78) throw new VaultError("bad-key", `an extended key is 78 bytes, not ${bytes.length}`);
  const check = sha256(sha256(bytes)).subarray(0, 4);
  const full = new Uint8Array(82);
  full.set(bytes);
  full.set(check, 78);
  return base58(full);
}

/** The 78 serialized bytes of an xpub, as `vault-set` carries it. */
export function xpubBytes(xpub: string): Uint8Array {
  let n = 0n;
  for (const c of xpub) {
    const digit = BASE58.indexOf(c);
    if (digit < 0) throw new VaultError("bad-key", `'${c}' is not a base58 character`);
    n = n * 58n + BigInt(digit);
  }
  const full = new Uint8Array(82);
  for (let i = 81; i >= 0; i--) {
    full[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  if (n !== 0n) throw new VaultError("bad-key", "longer than an extended key");
  const bytes = full.subarray(0, 78);
  if (xpubFromBytes(bytes) !== xpub) throw new VaultError("bad-key", "the extended key's checksum does not match");
  return bytes;
}

function hexBytes(hex: string, what: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (!/^([0-9a-f]{2})*$/i.test(clean)) throw new VaultError("bad-key", `${what} is not hex`);
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

/** `(dao-settings.get-vault)` as read from the chain (buffers as hex, the Clarity reader's convention). */
export interface VaultOnChain {
  descriptorHash: string;
  relayKey: string;
  cosignerKey: string;
  guardianKeys: string[];
  guardianThreshold: bigint;
  recoveryOlder: bigint;
  lastResortKey: string;
  lastResortOlder: bigint;
  maxFeeRate: bigint;
  setAt: bigint;
}

export function vaultKeysFromChain(v: VaultOnChain): VaultKeys {
  return {
    relay: xpubFromBytes(hexBytes(v.relayKey, "relay-key")),
    cosigner: xpubFromBytes(hexBytes(v.cosignerKey, "cosigner-key")),
    guardians: v.guardianKeys.map((g, i) => xpubFromBytes(hexBytes(g, `guardian-keys[${i}]`))),
    guardianThreshold: Number(v.guardianThreshold),
    recoveryOlder: Number(v.recoveryOlder),
    lastResort: xpubFromBytes(hexBytes(v.lastResortKey, "last-resort-key")),
    lastResortOlder: Number(v.lastResortOlder),
  };
}
