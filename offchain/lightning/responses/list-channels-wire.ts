// A lean reader for lnd's ListChannelsResponse straight from its protobuf bytes, keeping only the fields a liquidity
// scan needs. Decoding all ~37 fields of 10,000 channels into objects (what `lightning` does, via protobufjs) costs
// ~200 ms; skipping what the scan ignores costs a few. Field numbers are lnd's lightning.proto (lnrpc.Channel):
// 1 active, 2 remote_pubkey, 3 channel_point, 4 chan_id, 5 capacity, 6 local_balance, 7 remote_balance, 17 private.
import { AnswerReader } from "../validation.ts";
import type { LiquidityChannel, LiquidityScan } from "./lnd-channels.ts";

const CHANNELS_FIELD = 11;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const TWO_32 = 4_294_967_296;

class WireReader {
  offset: number;

  constructor(
    readonly bytes: Buffer,
    start: number,
    readonly end: number,
    readonly answers: AnswerReader,
  ) {
    this.offset = start;
  }

  /** A varint as a JS number; throws past 2^53 (never reached by sats, counts and flags). */
  varint(): number {
    const first = this.bytes[this.offset] as number;
    if (first < 0x80 && this.offset < this.end) {
      this.offset += 1;
      return first;
    }
    let result = 0;
    let scale = 1;
    for (let shift = 0; shift < 64; shift += 7) {
      if (this.offset >= this.end) this.answers.fail("truncated varint in ListChannels answer");
      const byte = this.bytes[this.offset++] as number;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(result)) this.answers.fail("integer beyond 2^53 in ListChannels answer");
        return result;
      }
      scale *= 128;
    }
    return this.answers.fail("varint longer than 10 bytes in ListChannels answer");
  }

  /** A uint64 varint as its two 32-bit halves (short channel ids exceed 2^53 on mainnet). */
  varint64(): { hi: number; lo: number } {
    let lo = 0;
    let hi = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.offset >= this.end) this.answers.fail("truncated varint in ListChannels answer");
      const byte = this.bytes[this.offset++] as number;
      const bits = byte & 0x7f;
      if (shift < 28) lo += bits * 2 ** shift;
      else if (shift === 28) {
        lo += (bits & 0x0f) * 2 ** 28;
        hi += bits >>> 4;
      } else hi += bits * 2 ** (shift - 32);
      if (byte < 0x80) return { hi: hi % TWO_32, lo };
    }
    return this.answers.fail("varint longer than 10 bytes in ListChannels answer");
  }

  length(): number {
    const length = this.varint();
    if (this.offset + length > this.end)
      this.answers.fail("length-delimited field runs past the end of the ListChannels answer");
    return length;
  }

  skip(wireType: number): void {
    if (wireType === WIRE_VARINT) {
      while (this.offset < this.end && (this.bytes[this.offset] as number) >= 0x80) this.offset += 1;
      this.offset += 1;
    } else if (wireType === WIRE_LENGTH) {
      // Read the length first: `this.offset += this.length()` would add it to the offset from before the prefix.
      const length = this.length();
      this.offset += length;
    } else if (wireType === WIRE_FIXED64) this.offset += 8;
    else if (wireType === WIRE_FIXED32) this.offset += 4;
    else this.answers.fail(`unknown protobuf wire type ${wireType} in ListChannels answer`);
    if (this.offset > this.end) this.answers.fail("field runs past the end of the ListChannels answer");
  }
}

/** lnd's standard channel id format ("block x tx x output") from the uint64 short channel id. */
function standardId(hi: number, lo: number): string {
  const block = Math.floor(hi / 256);
  const tx = (hi % 256) * 65_536 + Math.floor(lo / 65_536);
  return `${block}x${tx}x${lo % 65_536}`;
}

// Lowercase hex digits, checked on the bytes before any string is made.
const HEX = new Uint8Array(256);
for (const c of "0123456789abcdef") HEX[c.charCodeAt(0)] = 1;
const COLON = 0x3a;

function isHex(bytes: Buffer, start: number, length: number): boolean {
  for (let i = start; i < start + length; i += 1) if (HEX[bytes[i] as number] !== 1) return false;
  return true;
}

function readChannel(wire: WireReader, r: AnswerReader, index: number): LiquidityChannel {
  const bytes = wire.bytes;
  let active = false;
  let isPrivate = false;
  let pubkeyAt = -1;
  let pubkeyLength = 0;
  let pointAt = -1;
  let pointLength = 0;
  let id = "";
  let capacity = 0;
  let local = 0;
  let remote = 0;
  while (wire.offset < wire.end) {
    const key = wire.varint();
    const field = key >>> 3;
    const type = key & 7;
    if (field === 1 && type === WIRE_VARINT) active = wire.varint() !== 0;
    else if (field === 17 && type === WIRE_VARINT) isPrivate = wire.varint() !== 0;
    else if (field === 2 && type === WIRE_LENGTH) {
      pubkeyLength = wire.length();
      pubkeyAt = wire.offset;
      wire.offset += pubkeyLength;
    } else if (field === 3 && type === WIRE_LENGTH) {
      pointLength = wire.length();
      pointAt = wire.offset;
      wire.offset += pointLength;
    } else if (field === 4 && type === WIRE_VARINT) {
      const { hi, lo } = wire.varint64();
      id = standardId(hi, lo);
    } else if (field === 5 && type === WIRE_VARINT) capacity = wire.varint();
    else if (field === 6 && type === WIRE_VARINT) local = wire.varint();
    else if (field === 7 && type === WIRE_VARINT) remote = wire.varint();
    else wire.skip(type);
  }
  const firstKeyByte = bytes[pubkeyAt];
  if (
    pubkeyLength !== 66 ||
    firstKeyByte !== 0x30 ||
    (bytes[pubkeyAt + 1] !== 0x32 && bytes[pubkeyAt + 1] !== 0x33) ||
    !isHex(bytes, pubkeyAt, 66)
  ) {
    r.fail(`channels[${index}].remote_pubkey is not a compressed public key`);
  }
  if (pointLength < 66 || pointLength > 75 || bytes[pointAt + 64] !== COLON || !isHex(bytes, pointAt, 64))
    r.fail(`channels[${index}].channel_point is not txid:vout`);
  let vout = 0;
  for (let i = pointAt + 65; i < pointAt + pointLength; i += 1) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) r.fail(`channels[${index}].channel_point is not txid:vout`);
    vout = vout * 10 + digit;
  }
  if (vout > 4_294_967_295) r.fail(`channels[${index}].channel_point output index is out of range`);
  if (id === "") r.fail(`channels[${index}] has no chan_id`);
  return {
    id,
    channel: { txid: bytes.toString("latin1", pointAt, pointAt + 64), vout },
    peerPubkey: bytes.toString("latin1", pubkeyAt, pubkeyAt + 66),
    capacitySats: capacity,
    localSats: local,
    remoteSats: remote,
    isActive: active,
    isPrivate,
  };
}

/** ListChannelsResponse bytes -> the liquidity scan, channels in lnd's order. */
export function liquidityFromListChannelsBytes(bytes: Buffer, action = "scanLiquidity"): LiquidityScan {
  const r = new AnswerReader("lnd", action);
  if (!Buffer.isBuffer(bytes)) r.fail("expected the ListChannels answer as bytes");
  const top = new WireReader(bytes, 0, bytes.length, r);
  const channels: LiquidityChannel[] = [];
  let localSats = 0;
  let remoteSats = 0;
  let capacitySats = 0;
  let activeChannels = 0;
  while (top.offset < top.end) {
    const key = top.varint();
    if (Math.floor(key / 8) !== CHANNELS_FIELD || key % 8 !== WIRE_LENGTH) {
      top.skip(key % 8);
      continue;
    }
    const length = top.length();
    const channel = readChannel(new WireReader(bytes, top.offset, top.offset + length, r), r, channels.length);
    top.offset += length;
    channels.push(channel);
    localSats += channel.localSats;
    remoteSats += channel.remoteSats;
    capacitySats += channel.capacitySats;
    if (channel.isActive) activeChannels += 1;
  }
  return { channels, localSats, remoteSats, capacitySats, activeChannels };
}
