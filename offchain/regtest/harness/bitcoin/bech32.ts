// Segwit addresses (BIP 173 bech32 for version 0, BIP 350 bech32m for version 1+): the faucet's own P2WPKH address
// and the scripts of the addresses it pays. Small enough to keep here rather than add a dependency for it.
const CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;

export class AddressError extends Error {
  override name = "AddressError";
}

function polymod(values: number[]): number {
  const generators = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generators[i] as number;
  }
  return chk >>> 0;
}

const hrpExpand = (hrp: string) => [
  ...[...hrp].map((c) => c.charCodeAt(0) >> 5),
  0,
  ...[...hrp].map((c) => c.charCodeAt(0) & 31),
];

function convertBits(data: Iterable<number>, from: number, to: number, pad: boolean): number[] {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  const maxAcc = (1 << (from + to - 1)) - 1;
  for (const value of data) {
    acc = ((acc << from) | value) & maxAcc;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad && bits > 0) out.push((acc << (to - bits)) & maxv);
  else if (!pad && (bits >= from || ((acc << (to - bits)) & maxv) !== 0))
    throw new AddressError("invalid padding in address data");
  return out;
}

export function encodeSegwitAddress(hrp: string, version: number, program: Uint8Array): string {
  const data = [version, ...convertBits(program, 8, 5, true)];
  const constant = version === 0 ? BECH32_CONST : BECH32M_CONST;
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ constant;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => CHARSET[v]).join("")}`;
}

export function decodeSegwitAddress(expectedHrp: string, address: string): { version: number; program: Buffer } {
  if (address !== address.toLowerCase() && address !== address.toUpperCase())
    throw new AddressError(`${address}: mixed case`);
  const text = address.toLowerCase();
  const separator = text.lastIndexOf("1");
  const hrp = text.slice(0, separator);
  if (hrp !== expectedHrp) throw new AddressError(`${address} is not a ${expectedHrp} address`);
  const data = [...text.slice(separator + 1)].map((c) => {
    const value = CHARSET.indexOf(c);
    if (value < 0) throw new AddressError(`${address}: invalid character ${c}`);
    return value;
  });
  if (data.length < 7) throw new AddressError(`${address} is too short`);
  const version = data[0] as number;
  const check = polymod([...hrpExpand(hrp), ...data]);
  if (check !== (version === 0 ? BECH32_CONST : BECH32M_CONST)) throw new AddressError(`${address}: bad checksum`);
  const program = Buffer.from(convertBits(data.slice(1, -6), 5, 8, false));
  if (version > 16 || program.length < 2 || program.length > 40)
    throw new AddressError(`${address}: invalid witness program`);
  if (version === 0 && program.length !== 20 && program.length !== 32)
    throw new AddressError(`${address}: invalid version 0 program length`);
  return { version, program };
}

/** The output script paying `address`: OP_n <program>. */
export function scriptForAddress(hrp: string, address: string): Buffer {
  const { version, program } = decodeSegwitAddress(hrp, address);
  return Buffer.concat([Buffer.from([version === 0 ? 0 : 0x50 + version, program.length]), program]);
}
