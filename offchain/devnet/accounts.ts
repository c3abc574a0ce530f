// Devnet accounts: the test wallets of a Clarinet project's settings/Devnet.toml, with their keys derived the way
// Stacks wallets derive them (BIP-39 seed, BIP-32 path m/44'/5757'/0'/0/0), so the emulated node can sign the
// deployment plan's transactions and tests can sign as any wallet. These mnemonics are public test fixtures.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english";
import { privateKeyToAddress } from "@stacks/transactions";
import { parse as parseToml } from "smol-toml";

export interface DevnetAccount {
  name: string;
  address: string;
  /** Hex private key with the compression suffix 01, as @stacks/transactions expects. */
  privateKey: string;
  /** Genesis balance in micro-STX. */
  balance: bigint;
}

export class DevnetSettingsError extends Error {
  override name = "DevnetSettingsError";
}

const STACKS_DERIVATION_PATH = "m/44'/5757'/0'/0/0";

export function privateKeyFromMnemonic(mnemonic: string): string {
  if (!validateMnemonic(mnemonic, wordlist)) throw new DevnetSettingsError("invalid BIP-39 mnemonic");
  const child = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic)).derive(STACKS_DERIVATION_PATH);
  if (!child.privateKey) throw new DevnetSettingsError("mnemonic derivation produced no private key");
  return `${Buffer.from(child.privateKey).toString("hex")}01`;
}

/** Reads `settings/Devnet.toml` of a Clarinet project. */
export async function loadDevnetAccounts(projectDir: string): Promise<DevnetAccount[]> {
  const path = join(projectDir, "settings", "Devnet.toml");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new DevnetSettingsError(`cannot read ${path}: ${(cause as Error).message}`);
  }
  const doc = parseToml(text) as { accounts?: Record<string, { mnemonic?: unknown; balance?: unknown }> };
  const accounts: DevnetAccount[] = [];
  for (const [name, entry] of Object.entries(doc.accounts ?? {})) {
    if (typeof entry.mnemonic !== "string") throw new DevnetSettingsError(`account ${name} has no mnemonic`);
    const privateKey = privateKeyFromMnemonic(entry.mnemonic);
    const balance = typeof entry.balance === "bigint" || typeof entry.balance === "number" ? BigInt(entry.balance) : 0n;
    accounts.push({ name, address: privateKeyToAddress(privateKey, "testnet"), privateKey, balance });
  }
  if (accounts.length === 0) throw new DevnetSettingsError(`${path} defines no [accounts.*]`);
  return accounts;
}
