// `lvdao vault keygen` and `lvdao vault descriptor`: the key ceremony and the auditor's check (docs/vault.md).
// keygen makes one party's key: a fresh random seed, its BIP-87 account key m/87'/coin'/0', the xprv written to a
// new 0600 file, the xpub and its 78 bytes (what `vault-set` carries) printed. descriptor prints the vault's
// descriptors and the hash the DAO registers, from the chain or from given xpubs; read from the chain, it also
// checks the registered descriptor-hash and exits 3 when it differs.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { HDKey } from "@scure/bip32";
import { ContractChain, NodeReader } from "../../cosigner/chain.ts";
import {
  type Network,
  type VaultKeys,
  descriptorHash,
  hdVersions,
  vaultDescriptor,
  vaultKeysFromChain,
  xpubBytes,
} from "../../vault/index.ts";
import { DRIFT_EXIT, type Io, UsageError } from "./io.ts";

export const VAULT_KEYS_USAGE = `  lvdao vault keygen --network <regtest|testnet|mainnet> --out <file.xprv>
      make one vault party's key: write its xprv to a new 0600 file, print the xpub and its vault-set bytes
  lvdao vault descriptor --network <net> (--node <url> --deployer <address> [--stacks-network devnet]
                         | --relay <xpub> --cosigner <xpub> --guardian <xpub>... --threshold <k>
                           --recovery-older <N> --last-resort <xpub> --last-resort-older <M>)
      print the vault's receive and change descriptors and the descriptor-hash; read from the chain, check it`;

const NETWORKS = ["regtest", "testnet", "mainnet"] as const;

function network(value: string | undefined): Network {
  if (value === undefined || !(NETWORKS as readonly string[]).includes(value)) {
    throw new UsageError(`--network must be one of ${NETWORKS.join(", ")}`);
  }
  return value as Network;
}

function keygen(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    options: { network: { type: "string" }, out: { type: "string" } },
    strict: true,
  });
  const net = network(values.network);
  if (!values.out) throw new UsageError("vault keygen needs --out <file.xprv>");
  const coin = net === "mainnet" ? 0 : 1;
  const account = HDKey.fromMasterSeed(randomBytes(32), hdVersions(net)).derive(`m/87'/${coin}'/0'`);
  // "wx": never overwrite a key file; 0600: only its owner reads it.
  writeFileSync(values.out, `${account.privateExtendedKey}\n`, { mode: 0o600, flag: "wx" });
  io.out(`xprv written to ${values.out} (mode 0600); back it up, it is the only copy`);
  io.out(`xpub ${account.publicExtendedKey}`);
  io.out(`vault-set bytes 0x${Buffer.from(xpubBytes(account.publicExtendedKey)).toString("hex")}`);
  return 0;
}

function printDescriptors(keys: VaultKeys, net: Network, io: Io): string {
  const receive = vaultDescriptor(keys, net, 0);
  const hash = Buffer.from(descriptorHash(receive)).toString("hex");
  io.out(`receive ${receive}`);
  io.out(`change  ${vaultDescriptor(keys, net, 1)}`);
  io.out(`descriptor-hash 0x${hash}`);
  return hash;
}

async function descriptor(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      network: { type: "string" },
      node: { type: "string" },
      deployer: { type: "string" },
      "stacks-network": { type: "string" },
      relay: { type: "string" },
      cosigner: { type: "string" },
      guardian: { type: "string", multiple: true },
      threshold: { type: "string" },
      "recovery-older": { type: "string" },
      "last-resort": { type: "string" },
      "last-resort-older": { type: "string" },
    },
    strict: true,
  });
  const net = network(values.network);
  if (values.node !== undefined) {
    if (!values.deployer) throw new UsageError("vault descriptor --node needs --deployer <address>");
    const stacksNetwork = (values["stacks-network"] ?? "devnet") as "mainnet" | "testnet" | "devnet";
    const reader = new NodeReader(values.node, stacksNetwork, values.deployer);
    const vault = await new ContractChain(reader, values.deployer).vault();
    if (vault === undefined) {
      io.err("no vault is registered (dao-settings.get-vault is none)");
      return 1;
    }
    const hash = printDescriptors(vaultKeysFromChain(vault), net, io);
    const registered = vault.descriptorHash.replace(/^0x/, "").toLowerCase();
    if (registered !== hash) {
      io.out(`DIFFERS: the chain registers descriptor-hash 0x${registered}`);
      return DRIFT_EXIT;
    }
    io.out("matches the descriptor-hash registered on-chain");
    return 0;
  }
  const required = ["relay", "cosigner", "threshold", "recovery-older", "last-resort", "last-resort-older"] as const;
  const missing = required.filter((k) => values[k] === undefined);
  if (missing.length > 0 || !values.guardian?.length) {
    throw new UsageError(
      `vault descriptor needs --node and --deployer, or every key: missing ${missing.join(", ") || "--guardian"}`,
    );
  }
  const keys: VaultKeys = {
    relay: values.relay as string,
    cosigner: values.cosigner as string,
    guardians: values.guardian,
    guardianThreshold: Number(values.threshold),
    recoveryOlder: Number(values["recovery-older"]),
    lastResort: values["last-resort"] as string,
    lastResortOlder: Number(values["last-resort-older"]),
  };
  printDescriptors(keys, net, io);
  return 0;
}

export async function vaultKeysCommand(command: string | undefined, args: string[], io: Io): Promise<number> {
  if (command === "keygen") return keygen(args, io);
  if (command === "descriptor") return await descriptor(args, io);
  throw new UsageError(`unknown vault command: ${command ?? "(none)"}`);
}
