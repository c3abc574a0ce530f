// A small protobuf writer for the simulator's hottest answer (ListChannels for thousands of channels), where
// protobufjs's reflection-based fromObject + encode costs ~0.3 s per 10,000 channels. Proto3 rules: zero values
// are not written.

export class ProtoWriter {
  private buffer = Buffer.allocUnsafe(1024);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  private rawVarint(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.buffer[this.length++] = rest;
  }

  private rawVarintBig(value: bigint): void {
    this.reserve(10);
    let rest = BigInt.asUintN(64, value);
    while (rest >= 0x80n) {
      this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.length++] = Number(rest);
  }

  private key(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** int32/int64/uint32/uint64/bool/enum, from a number, bigint or decimal string. */
  varint(field: number, value: number | bigint | string | boolean): this {
    if (value === 0 || value === false || value === "0" || value === "" || value === 0n) return this;
    this.key(field, 0);
    if (typeof value === "boolean") this.rawVarint(1);
    else if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) this.rawVarint(value);
    // Decimal strings below 10^15 (every sats and count field) take the number path; BigInt is for the rest.
    else if (typeof value === "string" && value.length < 16 && value[0] !== "-") this.rawVarint(Number(value));
    else this.rawVarintBig(BigInt(value));
    return this;
  }

  string(field: number, value: string): this {
    if (value.length === 0) return this;
    const bytes = Buffer.byteLength(value);
    this.key(field, 2);
    this.rawVarint(bytes);
    this.reserve(bytes);
    this.length += this.buffer.write(value, this.length, "utf8");
    return this;
  }

  bytes(field: number, value: Buffer): this {
    if (value.length === 0) return this;
    this.key(field, 2);
    this.rawVarint(value.length);
    this.reserve(value.length);
    value.copy(this.buffer, this.length);
    this.length += value.length;
    return this;
  }

  /**
   * A nested message, written even when empty (a set sub-message is not a default value). Written in place after
   * a one-byte length, then moved right if its length needs more bytes: no buffer per sub-message.
   */
  message(field: number, write: (inner: ProtoWriter) => void): this {
    this.key(field, 2);
    this.reserve(1);
    const lengthAt = this.length;
    this.length += 1;
    write(this);
    const size = this.length - lengthAt - 1;
    let lengthBytes = 1;
    for (let rest = size; rest >= 0x80; rest = Math.floor(rest / 128)) lengthBytes += 1;
    if (lengthBytes > 1) {
      this.reserve(lengthBytes - 1);
      this.buffer.copyWithin(lengthAt + lengthBytes, lengthAt + 1, this.length);
      this.length += lengthBytes - 1;
    }
    let rest = size;
    for (let i = 0; i < lengthBytes; i += 1) {
      this.buffer[lengthAt + i] = i < lengthBytes - 1 ? (rest % 128) | 0x80 : rest;
      rest = Math.floor(rest / 128);
    }
    return this;
  }

  /** Bytes that are already protobuf fields. */
  raw(bytes: Buffer): this {
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
    return this;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
