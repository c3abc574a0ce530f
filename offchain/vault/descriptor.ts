// The vault's policy and its Taproot descriptor. Three leaves, written in miniscript and checked sane for
// tapscript by @bitcoinerlab/miniscript: the everyday 2-of-2 (relay AND co-signer) at depth 1, where it is cheapest,
// and the two timelocked recovery leaves at depth 2. The internal key is BIP-341's NUMS point H, so there is no key
// path: every spend shows which leaf, and so which parties, signed it.
//
// The descriptor text and the address come from @bitcoinerlab/descriptors; the leaf scripts, control blocks and
// output key that the spend builders need come from bitcoinjs-lib's p2tr over the same compiled leaves. The two
// are cross-checked in vault.test.ts.
import { Output, checksum, networks as descriptorNetworks } from "@bitcoinerlab/descriptors";
import { analyzeMiniscript, compileMiniscript } from "@bitcoinerlab/miniscript";
import * as ecc from "@bitcoinerlab/secp256k1";
import { sha256 } from "@noble/hashes/sha256";
import type { HDKey } from "@scure/bip32";
import { initEccLib, opcodes, payments, script as bscript } from "bitcoinjs-lib";
import { type Network, type VaultKeys, VaultError, bitcoinNetwork, parseXpub, validateVaultKeys } from "./keys.ts";

initEccLib(ecc);

/** BIP-341's provably unspendable internal key H = lift_x(sha256(uncompressed G)). */
export const NUMS_INTERNAL_KEY = "50929b74c1a04954b78b4b6035e97a5e078a5a0f28ec96d547bfee9ace803ac0";
export const TAPSCRIPT_LEAF_VERSION = 0xc0;
const NUMS_BYTES = Uint8Array.from(Buffer.from(NUMS_INTERNAL_KEY, "hex"));

export type SpendPath = "everyday" | "recovery" | "last-resort";
export const SPEND_PATHS: readonly SpendPath[] = ["everyday", "recovery", "last-resort"];
/** Depth of each leaf in the tap tree `{everyday,{recovery,last-resort}}`. */
export const LEAF_DEPTH: Record<SpendPath, number> = { everyday: 1, recovery: 2, "last-resort": 2 };

export type Branch = 0 | 1;

function guardianName(i: number): string {
  return `@guardian${i}`;
}

/** Each leaf's miniscript with `@name` key placeholders. */
function leafTemplates(keys: VaultKeys): Record<SpendPath, string> {
  const guardians = keys.guardians.map((_, i) => guardianName(i)).join(",");
  return {
    everyday: "and_v(v:pk(@relay),pk(@cosigner))",
    recovery: `and_v(v:multi_a(${keys.guardianThreshold},${guardians}),older(${keys.recoveryOlder}))`,
    "last-resort": `and_v(v:pk(@lastResort),older(${keys.lastResortOlder}))`,
  };
}

function tree(leaves: Record<SpendPath, string>): string {
  return `{${leaves.everyday},{${leaves.recovery},${leaves["last-resort"]}}}`;
}

/** The policy as a miniscript tap tree with named keys (`@relay`, `@cosigner`, `@guardian0..`, `@lastResort`). */
export function vaultPolicy(keys: VaultKeys): string {
  return tree(leafTemplates(keys));
}

function placeholders(keys: VaultKeys): [string, string][] {
  // Longest names first, so `@guardian1` is never read as `@guardian1` + `0`.
  const names: [string, string][] = [
    ["@relay", keys.relay],
    ["@cosigner", keys.cosigner],
    ["@lastResort", keys.lastResort],
    ...keys.guardians.map((g, i): [string, string] => [guardianName(i), g]),
  ];
  return names.sort((a, b) => b[0].length - a[0].length);
}

function substitute(template: string, names: [string, string][], value: (key: string) => string): string {
  let text = template;
  for (const [name, key] of names) text = text.replaceAll(name, value(key));
  return text;
}

function checkSane(keys: VaultKeys): void {
  for (const [path, leaf] of Object.entries(leafTemplates(keys))) {
    const analysis = analyzeMiniscript(leaf, { tapscript: true });
    if (!analysis.issane) throw new Error(`the ${path} leaf is not sane miniscript: ${analysis.error ?? "?"}`);
  }
}

function descriptorNetwork(network: Network) {
  if (network === "mainnet") return descriptorNetworks.bitcoin;
  if (network === "testnet") return descriptorNetworks.testnet;
  return descriptorNetworks.regtest;
}

/** `tr(H,{...})#checksum` with ranged keys `xpub/<branch>/*`: branch 0 receives, branch 1 takes change. */
export function vaultDescriptor(keys: VaultKeys, network: Network, branch: Branch): string {
  validateVaultKeys(keys, network);
  checkBranch(branch);
  checkSane(keys);
  const tree = substitute(vaultPolicy(keys), placeholders(keys), (k) => `${k}/${branch}/*`);
  const body = `tr(${NUMS_INTERNAL_KEY},${tree})`;
  return `${body}#${checksum(body)}`;
}

/** sha256 of the descriptor text's UTF-8 bytes: what `vault-set`'s `descriptor-hash` holds. */
export function descriptorHash(descriptorText: string): Uint8Array {
  return sha256(new TextEncoder().encode(descriptorText));
}

/** The hash the DAO registers: that of the receive (branch 0) descriptor, checksum included. */
export function vaultDescriptorHash(keys: VaultKeys, network: Network): Uint8Array {
  return descriptorHash(vaultDescriptor(keys, network, 0));
}

function checkBranch(branch: number): void {
  if (branch !== 0 && branch !== 1) throw new VaultError("bad-index", `branch ${branch} is neither 0 nor 1`);
}

export function checkIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= 0x80000000) {
    throw new VaultError("bad-index", `address index ${index} is not an unhardened BIP-32 index`);
  }
}

function descriptorOutput(keys: VaultKeys, network: Network, index: number, branch: Branch) {
  checkIndex(index);
  return new Output({ descriptor: vaultDescriptor(keys, network, branch), index, network: descriptorNetwork(network) });
}

/** The vault's address at `index` on `branch`, from the descriptor library. */
export function vaultAddress(keys: VaultKeys, network: Network, index: number, branch: Branch = 0): string {
  return descriptorOutput(keys, network, index, branch).getAddress();
}

export function vaultOutputScript(keys: VaultKeys, network: Network, index: number, branch: Branch = 0): Uint8Array {
  return descriptorOutput(keys, network, index, branch).getScriptPubKey();
}

export interface VaultLeaf {
  path: SpendPath;
  script: Uint8Array;
  controlBlock: Uint8Array;
  /** the x-only keys of this leaf, each with the BIP-32 node it was derived from */
  signers: { pubkey: Uint8Array; parent: HDKey; path: string }[];
}

export interface VaultTaproot {
  outputScript: Uint8Array;
  address: string;
  leaves: Record<SpendPath, VaultLeaf>;
}

/** Parsed keys, reused across many indexes (a coin scan or a 100-input spend derives each key once per branch). */
export class VaultKeyring {
  private readonly nodes = new Map<string, HDKey>();
  private readonly parents = new Map<string, HDKey>();
  constructor(
    readonly keys: VaultKeys,
    readonly network: Network,
  ) {
    validateVaultKeys(keys, network);
    checkSane(keys);
    for (const [, xpub] of placeholders(keys)) {
      const node = parseXpub(xpub, network);
      this.parents.set(xpub, node);
      for (const branch of [0, 1]) this.nodes.set(`${xpub}/${branch}`, node.deriveChild(branch));
    }
  }

  private readonly children = new Map<string, { node: HDKey; xonly: Uint8Array }>();

  /** Public derivation is the costly step of every address, so each child is derived once per keyring. */
  private child(xpub: string, branch: Branch, index: number): { node: HDKey; xonly: Uint8Array } {
    const key = `${xpub}/${branch}/${index}`;
    const cached = this.children.get(key);
    if (cached !== undefined) return cached;
    const parent = this.nodes.get(`${xpub}/${branch}`);
    if (parent === undefined) throw new Error("key not in the keyring");
    const node = parent.deriveChild(index);
    if (node.publicKey === null) throw new Error("derived key has no public key");
    const derived = { node, xonly: node.publicKey.subarray(1) };
    this.children.set(key, derived);
    return derived;
  }

  /** The x-only co-signer key at `index`/`branch`: how a co-signer recognises its own inputs. */
  cosignerKey(index: number, branch: Branch): Uint8Array {
    checkIndex(index);
    checkBranch(branch);
    return this.child(this.keys.cosigner, branch, index).xonly;
  }

  private tree(index: number, branch: Branch) {
    checkIndex(index);
    checkBranch(branch);
    const names = placeholders(this.keys);
    const derived = new Map(names.map(([, xpub]) => [xpub, this.child(xpub, branch, index)]));
    const templates = leafTemplates(this.keys);
    const scripts = {} as Record<SpendPath, Uint8Array>;
    for (const path of SPEND_PATHS) {
      const miniscript = substitute(templates[path], names, (k) => hex(derived.get(k)?.xonly));
      scripts[path] = asmToScript(compileMiniscript(miniscript, { tapscript: true }).asm);
    }
    const scriptTree: [{ output: Uint8Array }, [{ output: Uint8Array }, { output: Uint8Array }]] = [
      { output: scripts.everyday },
      [{ output: scripts.recovery }, { output: scripts["last-resort"] }],
    ];
    return { derived, scripts, scriptTree, net: bitcoinNetwork(this.network) };
  }

  /** Only the output script at `index`/`branch` (what a scan for change compares). */
  outputScript(index: number, branch: Branch): Uint8Array {
    const { scriptTree, net } = this.tree(index, branch);
    const output = payments.p2tr({ internalPubkey: NUMS_BYTES, scriptTree, network: net }).output;
    if (output === undefined) throw new Error("p2tr produced no output");
    return output;
  }

  /** The output at `index`/`branch` built directly with bitcoinjs-lib: leaf scripts, control blocks, address. */
  taproot(index: number, branch: Branch): VaultTaproot {
    const { derived, scripts, scriptTree, net } = this.tree(index, branch);
    const internalPubkey = NUMS_BYTES;
    const base = payments.p2tr({ internalPubkey, scriptTree, network: net });
    if (base.output === undefined || base.address === undefined) throw new Error("p2tr produced no output");
    const leafKeys: Record<SpendPath, string[]> = {
      everyday: [this.keys.relay, this.keys.cosigner],
      recovery: this.keys.guardians,
      "last-resort": [this.keys.lastResort],
    };
    const leaves = {} as Record<SpendPath, VaultLeaf>;
    for (const path of SPEND_PATHS) {
      const spend = payments.p2tr({
        internalPubkey,
        scriptTree,
        redeem: { output: scripts[path], redeemVersion: TAPSCRIPT_LEAF_VERSION },
        network: net,
      });
      const controlBlock = spend.witness?.at(-1);
      if (controlBlock === undefined) throw new Error("p2tr produced no control block");
      leaves[path] = {
        path,
        script: scripts[path],
        controlBlock,
        signers: leafKeys[path].map((xpub) => {
          const parent = this.parents.get(xpub);
          const child = derived.get(xpub);
          if (child === undefined || parent === undefined) throw new Error("key not derived");
          return { pubkey: child.xonly, parent, path: `m/${branch}/${index}` };
        }),
      };
    }
    return { outputScript: base.output, address: base.address, leaves };
  }
}

function hex(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) throw new Error("missing key");
  return Buffer.from(bytes).toString("hex");
}

/** The compiler's ASM as script bytes: `<hex>` is pushed data (keys, script numbers), a bare integer is OP_0..OP_16. */
function asmToScript(asm: string): Uint8Array {
  const chunks = asm
    .split(" ")
    .filter((t) => t.length > 0)
    .map((token): number | Uint8Array => {
      const bracketed = /^<([0-9a-f]*)>$/i.exec(token)?.[1];
      if (bracketed !== undefined) return Uint8Array.from(Buffer.from(bracketed, "hex"));
      if (/^\d+$/.test(token)) return bscript.number.encode(Number(token));
      const op = (opcodes as unknown as Record<string, number | undefined>)[token];
      if (op === undefined) throw new Error(`unknown token ${token} in compiled miniscript`);
      return op;
    });
  return bscript.compile(chunks);
}
