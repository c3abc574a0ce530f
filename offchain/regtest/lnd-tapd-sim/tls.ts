// A self-signed TLS certificate for the simulators, made the way lnd makes its own: an ECDSA P-256 key, the cert
// marked as a CA (so clients can pin it as their only root), and SANs for localhost, 127.0.0.1 and ::1.
// Node's crypto makes and signs keys but cannot build an X.509 certificate, so the DER is assembled here.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";

export interface SelfSignedCert {
  /** PEM certificate: what a client pins (lnd's tls.cert). */
  certPem: string;
  /** PEM PKCS#8 private key (lnd's tls.key); stays in memory and in the git-ignored state directory. */
  keyPem: string;
}

const tag = (type: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([type]), derLength(body.length), body]);
};

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (...parts: Buffer[]) => tag(0x30, ...parts);
const set = (...parts: Buffer[]) => tag(0x31, ...parts);
const utf8 = (text: string) => tag(0x0c, Buffer.from(text, "utf8"));
const octets = (bytes: Buffer) => tag(0x04, bytes);
const bitString = (bytes: Buffer) => tag(0x03, Buffer.from([0]), bytes);
const explicit = (n: number, inner: Buffer) => tag(0xa0 + n, inner);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

/** A non-negative DER INTEGER from big-endian bytes, in DER's one minimal form (OpenSSL refuses any other). */
export function derInteger(bytes: Buffer): Buffer {
  // Redundant leading zero bytes are "illegal padding": a random serial starting 0x00 made 1 certificate in 256
  // unreadable. Then, DER integers being signed, a leading 1 bit needs a zero byte in front to stay positive.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  const positive = (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal;
  return tag(0x02, positive);
}
const integer = derInteger;

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift(value % 128);
      if (value < 128) break;
    }
    bytes.push(...groups.map((group, index) => (index < groups.length - 1 ? group | 0x80 : group)));
  }
  return tag(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.000Z
  const text =
    iso.slice(2, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    "Z";
  return tag(0x17, Buffer.from(text, "ascii"));
}

const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [TRUE] : []), octets(value));

/** Makes a fresh certificate valid from an hour ago for 14 months (lnd's default lifetime). */
export function createSelfSignedCert(organization: string, hostname = "localhost"): SelfSignedCert {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const spki = publicKey.export({ type: "spki", format: "der" });
  const ecdsaWithSha256 = sequence(oid("1.2.840.10045.4.3.2"));
  const name = sequence(
    set(sequence(oid("2.5.4.10"), utf8(organization))),
    set(sequence(oid("2.5.4.3"), utf8(hostname))),
  );
  const now = Date.now();
  const validity = sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 425 * 86_400_000)));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  // keyUsage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5) -> 1010 0100, 2 unused bits.
  const keyUsage = tag(0x03, Buffer.from([0x02, 0xa4]));
  const serverAuth = sequence(oid("1.3.6.1.5.5.7.3.1"));
  const altNames = sequence(
    tag(0x82, Buffer.from(hostname, "ascii")),
    tag(0x87, Buffer.from([127, 0, 0, 1])),
    tag(0x87, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
  );
  const extensions = sequence(
    extension("2.5.29.15", true, keyUsage),
    extension("2.5.29.37", false, serverAuth),
    extension("2.5.29.19", true, sequence(TRUE)),
    extension("2.5.29.17", false, altNames),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaWithSha256,
    name,
    validity,
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = sequence(tbs, ecdsaWithSha256, bitString(signature));
  const body = der
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return {
    certPem: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    keyPem: createPrivateKey(privateKey.export({ type: "pkcs8", format: "pem" }))
      .export({ type: "pkcs8", format: "pem" })
      .toString(),
  };
}
