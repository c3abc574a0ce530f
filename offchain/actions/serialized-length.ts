// How many bytes a serialized Clarity value claims to span, read from its type prefixes and length fields alone.
// @stacks/transactions reads past the end of cut-short input (and then names an "undefined" type, or pads a number
// or a string with nothing), so a truncated payload is recognised here first and reported as truncated.

/** The byte length the value at the start of `bytes` needs, or null when a type prefix is unknown. */
export function serializedLength(bytes: Uint8Array): number | null {
  const view = (at: number): number => bytes[at] ?? 0;
  const u32 = (at: number): number =>
    ((view(at) << 24) >>> 0) + (view(at + 1) << 16) + (view(at + 2) << 8) + view(at + 3);
  // The end of the value starting at `at`; past bytes.length when the input is cut short.
  const end = (at: number): number | null => {
    if (at >= bytes.length) return at + 1;
    const body = at + 1;
    switch (bytes[at]) {
      case 0x00: // int
      case 0x01: // uint
        return body + 16;
      case 0x03: // true
      case 0x04: // false
      case 0x09: // none
        return body;
      case 0x02: // buff
      case 0x0d: // string-ascii
      case 0x0e: // string-utf8
        return body + 4 + u32(body);
      case 0x05: // standard principal: version, hash160
        return body + 21;
      case 0x06: // contract principal: version, hash160, name length, name
        return body + 22 + view(body + 21);
      case 0x07: // ok
      case 0x08: // err
      case 0x0a: // some
        return end(body);
      case 0x0b: {
        // list: count, items
        let next: number | null = body + 4;
        for (let i = u32(body); i > 0 && next !== null && next <= bytes.length; i--) next = end(next);
        return next;
      }
      case 0x0c: {
        // tuple: count, then (name length, name, value) each
        let next: number | null = body + 4;
        for (let i = u32(body); i > 0 && next !== null && next <= bytes.length; i--) next = end(next + 1 + view(next));
        return next;
      }
      default:
        return null;
    }
  };
  return end(0);
}
