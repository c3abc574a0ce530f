// Keys, hashes and encodings the simulated daemons need to hand out values that real clients accept: secp256k1
// node keys, BOLT 11 payment requests signed by the node key, regtest segwit addresses, and tapd-style addresses.
import { createHash, randomBytes } from "node:crypto";
import * as secp from "@noble/secp256k1";
import { bech32, bech32m } from "bech32";
import { createSignedRequest, createUnsignedRequest } from "invoices";

export const sha256 = (data: Buffer | string): Buffer => createHash("sha256").update(data).digest();
export const hash160 = (data: Buffer): Buffer => createHash("ripemd160").update(sha256(data)).digest();
export const randomHex = (bytes: number): string => randomBytes(bytes).toString("hex");
/** A transaction id: 32 random bytes shown in the usual (reversed) hex. */
export const newTxid = (): string => randomHex(32);

export interface KeyPair {
  privateKey: Uint8Array;
  /** 33-byte compressed public key, hex. */
  publicKey: string;
}

export function newKeyPair(): KeyPair {
  const privateKey = secp.utils.randomPrivateKey();
  return { privateKey, publicKey: Buffer.from(secp.getPublicKey(privateKey, true)).toString("hex") };
}

/** A fresh compressed public key, for script keys, internal keys and group keys. */
export const newPublicKey = (): Buffer => Buffer.from(newKeyPair().publicKey, "hex");

export interface PaymentRequestFields {
  destination: KeyPair;
  paymentHash: string;
  paymentSecret: string;
  mtokens: bigint;
  description: string;
  createdAt: Date;
  expirySeconds: number;
  cltvDelta: number;
}

/** A BOLT 11 request on regtest (lnbcrt), signed by the destination node key like lnd's invoices. */
export async function encodePaymentRequest(fields: PaymentRequestFields): Promise<string> {
  const unsigned = createUnsignedRequest({
    cltv_delta: fields.cltvDelta,
    created_at: fields.createdAt.toISOString(),
    description: fields.description,
    destination: fields.destination.publicKey,
    expires_at: new Date(fields.createdAt.getTime() + fields.expirySeconds * 1000).toISOString(),
    // var_onion_optin (9), payment_secret (15): the features lnd sets on every invoice.
    features: [{ bit: 9 }, { bit: 15 }],
    id: fields.paymentHash,
    ...(fields.mtokens > 0n ? { mtokens: fields.mtokens.toString() } : {}),
    network: "regtest",
    payment: fields.paymentSecret,
  });
  const signature = await secp.sign(Buffer.from(unsigned.hash, "hex"), fields.destination.privateKey, { der: false });
  return createSignedRequest({
    destination: fields.destination.publicKey,
    hrp: unsigned.hrp,
    signature: Buffer.from(signature).toString("hex"),
    tags: unsigned.tags,
  }).request;
}

export type AddressKind = "p2wpkh" | "p2tr" | "p2wsh";

/** A regtest segwit address (bcrt1...) for a fresh key. */
export function newAddress(kind: AddressKind): string {
  switch (kind) {
    case "p2wpkh":
      return bech32.encode("bcrt", [0, ...bech32.toWords(hash160(newPublicKey()))]);
    case "p2wsh":
      return bech32.encode("bcrt", [0, ...bech32.toWords(sha256(randomBytes(32)))]);
    case "p2tr":
      return bech32m.encode("bcrt", [1, ...bech32m.toWords(newPublicKey().subarray(1))]);
  }
}

/**
 * Checks an on-chain address the way btcutil's DecodeAddress does for lnd on regtest; returns the error message lnd
 * gives, or null when the address is usable. Only segwit addresses are accepted (all the simulated wallets make).
 */
export function chainAddressError(address: string): string | null {
  const lower = address.toLowerCase();
  const hrp = lower.slice(0, Math.max(0, lower.lastIndexOf("1")));
  if (hrp === "bc" || hrp === "tb") return `address ${address} is not intended for use on regtest`;
  for (const codec of [bech32, bech32m]) {
    try {
      const decoded = codec.decode(lower);
      if (decoded.prefix !== "bcrt") return "decoded address is of unknown format";
      const [version, ...words] = decoded.words;
      const program = codec.fromWords(words);
      if (version === 0 && codec === bech32 && (program.length === 20 || program.length === 32)) return null;
      if (version === 1 && codec === bech32m && program.length === 32) return null;
    } catch {
      // try the other checksum
    }
  }
  return "decoded address is of unknown format";
}

/** bech32m with the long-string limit tapd addresses need (they are well over 90 characters). */
export function encodeLongBech32m(prefix: string, data: Buffer): string {
  return bech32m.encode(prefix, bech32m.toWords(data), 1023);
}

export function decodeLongBech32m(text: string): { prefix: string; data: Buffer } {
  const decoded = bech32m.decode(text, 1023);
  return { prefix: decoded.prefix, data: Buffer.from(bech32m.fromWords(decoded.words)) };
}
