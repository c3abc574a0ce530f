// The regtest faucet: btcd mines every block to a P2WPKH key this module holds (btcd has no wallet), and funding a
// node is a transaction spending mature coinbase outputs of that key, built and signed here (BIP 143 sighash,
// low-S DER ECDSA with Node's own secp256k1). Amounts are integer sats throughout: coinbase values are read from
// the raw transaction, never from btcd's JSON floats.
import { createECDH, createHash, createPrivateKey, randomBytes, sign, type KeyObject } from "node:crypto";
import { encodeSegwitAddress, scriptForAddress } from "./bech32.ts";
import type { BtcdRpc } from "./rpc.ts";

export const REGTEST_HRP = "bcrt";
const COINBASE_MATURITY = 100;
const FEE_RATE_SAT_PER_VBYTE = 5;
const DUST_SATS = 546;
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest();
const hash256 = (data: Buffer) => sha256(sha256(data));
const hash160 = (data: Buffer) => createHash("ripemd160").update(sha256(data)).digest();

export interface FaucetKey {
  privateKey: Buffer;
  publicKey: Buffer;
  address: string;
  script: Buffer;
  signer: KeyObject;
}

export class FaucetError extends Error {
  override name = "FaucetError";
}

export function newFaucetPrivateKey(): Buffer {
  for (;;) {
    const candidate = randomBytes(32);
    const value = BigInt(`0x${candidate.toString("hex")}`);
    if (value > 0n && value < CURVE_ORDER) return candidate;
  }
}

export function faucetKey(privateKey: Buffer): FaucetKey {
  const ecdh = createECDH("secp256k1");
  ecdh.setPrivateKey(privateKey);
  const publicKey = ecdh.getPublicKey(null, "compressed");
  const point = ecdh.getPublicKey();
  const b64 = (bytes: Buffer) => bytes.toString("base64url");
  const signer = createPrivateKey({
    key: { kty: "EC", crv: "secp256k1", d: b64(privateKey), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) },
    format: "jwk",
  });
  const program = hash160(publicKey);
  return {
    privateKey,
    publicKey,
    address: encodeSegwitAddress(REGTEST_HRP, 0, program),
    script: Buffer.concat([Buffer.from([0, 20]), program]),
    signer,
  };
}

function varint(n: number): Buffer {
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) return Buffer.from([0xfd, n & 0xff, n >> 8]);
  const out = Buffer.alloc(5);
  out[0] = 0xfe;
  out.writeUInt32LE(n, 1);
  return out;
}

const u32 = (n: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(n);
  return out;
};
const u64 = (n: bigint) => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(n);
  return out;
};
const withLength = (bytes: Buffer) => Buffer.concat([varint(bytes.length), bytes]);

export interface Coin {
  txid: string;
  vout: number;
  sats: bigint;
}

export interface TxOutput {
  script: Buffer;
  sats: bigint;
}

/** DER with S in the lower half of the curve order, as btcd's standardness rules require. */
function lowS(der: Buffer): Buffer {
  const rLength = der[3] as number;
  const r = der.subarray(4, 4 + rLength);
  const s = BigInt(`0x${der.subarray(6 + rLength).toString("hex")}`);
  const low = s > CURVE_ORDER / 2n ? CURVE_ORDER - s : s;
  const derInt = (bytes: Buffer) => {
    let trimmed = bytes;
    while (trimmed.length > 1 && trimmed[0] === 0 && ((trimmed[1] as number) & 0x80) === 0)
      trimmed = trimmed.subarray(1);
    if (((trimmed[0] as number) & 0x80) !== 0) trimmed = Buffer.concat([Buffer.from([0]), trimmed]);
    return Buffer.concat([Buffer.from([0x02, trimmed.length]), trimmed]);
  };
  const body = Buffer.concat([derInt(r), derInt(Buffer.from(low.toString(16).padStart(64, "0"), "hex"))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** A version 2 transaction spending P2WPKH coins of `key` to `outputs`, signed with SIGHASH_ALL. */
export function signedSpend(key: FaucetKey, coins: Coin[], outputs: TxOutput[]): Buffer {
  const outpoint = (coin: Coin) => Buffer.concat([Buffer.from(coin.txid, "hex").reverse(), u32(coin.vout)]);
  const sequence = u32(0xfffffffd);
  const serializedOutputs = outputs.map((output) => Buffer.concat([u64(output.sats), withLength(output.script)]));
  const hashPrevouts = hash256(Buffer.concat(coins.map(outpoint)));
  const hashSequence = hash256(Buffer.concat(coins.map(() => sequence)));
  const hashOutputs = hash256(Buffer.concat(serializedOutputs));
  const scriptCode = Buffer.concat([
    Buffer.from([0x19, 0x76, 0xa9, 0x14]),
    key.script.subarray(2),
    Buffer.from([0x88, 0xac]),
  ]);
  const witnesses = coins.map((coin) => {
    const preimage = Buffer.concat([
      u32(2),
      hashPrevouts,
      hashSequence,
      outpoint(coin),
      scriptCode,
      u64(coin.sats),
      sequence,
      hashOutputs,
      u32(0),
      u32(1),
    ]);
    // sign() hashes once more with SHA-256, so the signed digest is BIP 143's double SHA-256.
    const signature = Buffer.concat([lowS(sign("sha256", sha256(preimage), key.signer)), Buffer.from([1])]);
    return Buffer.concat([varint(2), withLength(signature), withLength(key.publicKey)]);
  });
  return Buffer.concat([
    u32(2),
    Buffer.from([0, 1]),
    varint(coins.length),
    ...coins.map((coin) => Buffer.concat([outpoint(coin), varint(0), sequence])),
    varint(outputs.length),
    ...serializedOutputs,
    ...witnesses,
    u32(0),
  ]);
}

/** The value of output `vout` of a raw transaction (legacy or segwit serialization). */
export function outputValue(raw: Buffer, vout: number): bigint {
  let at = 4;
  const readVarint = () => {
    const first = raw[at] as number;
    at += 1;
    if (first < 0xfd) return first;
    const size = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
    const value = Number(raw.readUIntLE(at, Math.min(size, 6)));
    at += size;
    return value;
  };
  if (raw[at] === 0 && raw[at + 1] === 1) at += 2;
  const inputs = readVarint();
  for (let i = 0; i < inputs; i++) {
    at += 36;
    const scriptLength = readVarint();
    at += scriptLength + 4;
  }
  const outputs = readVarint();
  if (vout >= outputs) throw new FaucetError(`transaction has no output ${vout}`);
  for (let i = 0; i < vout; i++) {
    at += 8;
    const scriptLength = readVarint();
    at += scriptLength;
  }
  return raw.readBigUInt64LE(at);
}

export class Faucet {
  readonly key: FaucetKey;
  private nextHeight = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly rpc: BtcdRpc,
    privateKey: Buffer,
  ) {
    this.key = faucetKey(privateKey);
  }

  /** Mines `blocks` blocks (to the faucet key, as btcd's --miningaddr says); returns their hashes. */
  mine(blocks: number): Promise<string[]> {
    if (!Number.isSafeInteger(blocks) || blocks < 1)
      throw new FaucetError(`mine: blocks must be a positive integer, got ${blocks}`);
    return this.rpc.call<string[]>("generate", [blocks], 120_000);
  }

  /** Pays each output from mature coinbase coins in one transaction (unconfirmed); returns its txid. */
  fund(payments: Array<{ address: string; sats: number }>): Promise<string> {
    const run = this.queue.then(() => this.fundNow(payments));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fundNow(payments: Array<{ address: string; sats: number }>): Promise<string> {
    if (payments.length === 0) throw new FaucetError("fund: nothing to pay");
    const outputs: TxOutput[] = payments.map(({ address, sats }) => {
      if (!Number.isSafeInteger(sats) || sats < DUST_SATS)
        throw new FaucetError(`fund: ${sats} sat to ${address} is not an integer above the dust limit (${DUST_SATS})`);
      return { script: scriptForAddress(REGTEST_HRP, address), sats: BigInt(sats) };
    });
    const total = outputs.reduce((sum, output) => sum + output.sats, 0n);
    const coins: Coin[] = [];
    let inputSats = 0n;
    const feeFor = (inputs: number) =>
      BigInt(
        Math.ceil(
          (11 +
            68 * inputs +
            [...outputs, { script: this.key.script }].reduce((sum, o) => sum + 9 + o.script.length, 0)) *
            FEE_RATE_SAT_PER_VBYTE,
        ),
      );
    while (inputSats < total + feeFor(coins.length + 1)) {
      const coin = await this.nextCoinbase();
      coins.push(coin);
      inputSats += coin.sats;
    }
    const change = inputSats - total - feeFor(coins.length);
    if (change > BigInt(DUST_SATS)) outputs.push({ script: this.key.script, sats: change });
    const raw = signedSpend(this.key, coins, outputs);
    return this.rpc.call<string>("sendrawtransaction", [raw.toString("hex")]);
  }

  /** The next unspent, mature coinbase output paying the faucet (scanning up from the last one used). */
  private async nextCoinbase(): Promise<Coin> {
    const tip = await this.rpc.call<number>("getblockcount");
    for (; this.nextHeight <= tip - COINBASE_MATURITY; this.nextHeight++) {
      const hash = await this.rpc.call<string>("getblockhash", [this.nextHeight]);
      const block = await this.rpc.call<{ tx: string[] }>("getblock", [hash, 1]);
      const txid = block.tx[0] as string;
      const unspent = await this.rpc.call<{ scriptPubKey?: { hex?: string } } | null>("gettxout", [txid, 0, true]);
      if (!unspent || unspent.scriptPubKey?.hex !== this.key.script.toString("hex")) continue;
      const raw = Buffer.from(await this.rpc.call<string>("getrawtransaction", [txid, 0]), "hex");
      this.nextHeight++;
      return { txid, vout: 0, sats: outputValue(raw, 0) };
    }
    throw new FaucetError(`no mature coinbase left for the faucet (tip ${tip}): mine more blocks`);
  }
}
