// What the simulated tapds share through the `dao` tapd's universe (their proof courier): every asset genesis and
// group ever minted, and every address handed out, so any simulated tapd can recognise an asset or decode an address.
import { decodeLongBech32m, encodeLongBech32m, newPublicKey, sha256 } from "./keys.ts";

export type AssetType = "NORMAL" | "COLLECTIBLE";

export interface AssetGenesis {
  assetId: Buffer;
  name: string;
  metaHash: Buffer;
  metaData: Buffer;
  type: AssetType;
  /** The first input of the minting transaction, "txid:vout". */
  genesisPoint: string;
  outputIndex: number;
  /** Tweaked group key, or null for an ungrouped asset. */
  groupKey: Buffer | null;
  decimalDisplay: number;
}

export interface AssetGroup {
  rawKey: Buffer;
  tweakedKey: Buffer;
  /** The tapd that holds the group's signing key and may reissue into it. */
  owner: string;
}

export interface TapAddress {
  encoded: string;
  version: "ADDR_VERSION_V0" | "ADDR_VERSION_V1" | "ADDR_VERSION_V2";
  assetId: Buffer | null;
  groupKey: Buffer | null;
  assetType: AssetType;
  /** 0 for a V2 address that lets the sender choose. */
  amount: bigint;
  scriptKey: Buffer;
  internalKey: Buffer;
  taprootOutputKey: Buffer;
  proofCourierAddr: string;
  owner: string;
  createdAt: number;
}

// TLV types of tapd's address encoding.
const TLV = {
  version: 0,
  assetVersion: 2,
  assetId: 4,
  groupKey: 5,
  scriptKey: 6,
  internalKey: 8,
  amount: 10,
  courier: 12,
};

// Every value here is short, so each BigSize type and length is one byte.
function tlv(type: number, value: Buffer): Buffer {
  if (value.length >= 253) throw new Error("tap address field too long");
  return Buffer.concat([Buffer.from([type, value.length]), value]);
}

function amountBytes(amount: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(amount);
  return out;
}

/** The asset id tapd derives: sha256(genesis outpoint || sha256(tag) || meta hash || output index || type). */
export function deriveAssetId(
  genesisPoint: string,
  name: string,
  metaHash: Buffer,
  outputIndex: number,
  type: AssetType,
): Buffer {
  const [txid = "", vout = "0"] = genesisPoint.split(":");
  const index = Buffer.alloc(4);
  index.writeUInt32BE(outputIndex);
  const point = Buffer.alloc(4);
  point.writeUInt32BE(Number(vout));
  return sha256(
    Buffer.concat([
      Buffer.from(txid, "hex"),
      point,
      sha256(name),
      metaHash,
      index,
      Buffer.from([type === "NORMAL" ? 0 : 1]),
    ]),
  );
}

export class Universe {
  readonly assets = new Map<string, AssetGenesis>();
  readonly groups = new Map<string, AssetGroup>();
  readonly addresses = new Map<string, TapAddress>();
  /** The `dao` tapd's universe RPC, which every simulated tapd names as its proof courier. */
  courierAddr = "";

  registerAsset(genesis: AssetGenesis): void {
    this.assets.set(genesis.assetId.toString("hex"), genesis);
  }

  newGroup(owner: string): AssetGroup {
    const group = { rawKey: newPublicKey(), tweakedKey: newPublicKey(), owner };
    this.groups.set(group.tweakedKey.toString("hex"), group);
    return group;
  }

  newAddress(
    fields: Omit<
      TapAddress,
      "encoded" | "scriptKey" | "internalKey" | "taprootOutputKey" | "proofCourierAddr" | "createdAt"
    >,
  ): TapAddress {
    const scriptKey = newPublicKey();
    const internalKey = newPublicKey();
    const versionByte = { ADDR_VERSION_V0: 0, ADDR_VERSION_V1: 1, ADDR_VERSION_V2: 2 }[fields.version];
    const payload = Buffer.concat([
      tlv(TLV.version, Buffer.from([versionByte])),
      tlv(TLV.assetVersion, Buffer.from([0])),
      fields.assetId ? tlv(TLV.assetId, fields.assetId) : tlv(TLV.groupKey, fields.groupKey ?? Buffer.alloc(33)),
      tlv(TLV.scriptKey, scriptKey),
      tlv(TLV.internalKey, internalKey),
      tlv(TLV.amount, amountBytes(fields.amount)),
      tlv(TLV.courier, Buffer.from(this.courierAddr)),
    ]);
    const address: TapAddress = {
      ...fields,
      encoded: encodeLongBech32m("taprt", payload),
      scriptKey,
      internalKey,
      taprootOutputKey: newPublicKey().subarray(1),
      proofCourierAddr: this.courierAddr,
      createdAt: Math.floor(Date.now() / 1000),
    };
    this.addresses.set(address.encoded, address);
    return address;
  }

  /** Decodes an address the simulators issued; anything else fails the way tapd fails on a bad address. */
  decode(encoded: string): TapAddress {
    let prefix: string;
    try {
      prefix = decodeLongBech32m(encoded).prefix;
    } catch (error) {
      throw new Error(`unable to decode address: ${(error as Error).message}`);
    }
    if (prefix !== "taprt") throw new Error(`unable to decode address: invalid hrp ${prefix} for regtest`);
    const address = this.addresses.get(encoded);
    if (!address) throw new Error("unable to decode address: address not issued by a simulated tapd");
    return address;
  }
}
