// The price oracle's TLS identity, made and kept the way lnd keeps its tls.cert: on first start a P-256 key and a
// self-signed certificate (CA flag set, so a client can pin it as its own root) for localhost, 127.0.0.1, ::1
// and any extra names; later starts load the same pair. Built with node:crypto and a small DER writer, so no
// openssl binary or X.509 package is needed. The simulators' lnd and tapd use the same certificate maker.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  X509Certificate,
} from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { dirname } from "node:path";

export interface TlsIdentity {
  certPem: string;
  keyPem: string;
  /** true when this call made the pair */
  created: boolean;
}

/** About 14 months, like lnd's default: long enough to pin, short enough that a leaked key ages out. */
const VALIDITY_DAYS = 420;

const der = (tag: number, body: Buffer): Buffer => {
  const length =
    body.length < 0x80
      ? Buffer.from([body.length])
      : body.length < 0x100
        ? Buffer.from([0x81, body.length])
        : Buffer.from([0x82, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, body]);
};
const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
/** A non-negative DER INTEGER from big-endian bytes, in DER's one minimal form (OpenSSL refuses any other). */
export function derInteger(bytes: Buffer): Buffer {
  // Redundant leading zero bytes are "illegal padding": a random serial starting 0x00 would make 1 certificate in
  // 256 unreadable. Then, DER integers being signed, a leading 1 bit needs a zero byte in front to stay positive.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  return der(0x02, (minimal[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}
const integer = derInteger;
const oid = (dotted: string): Buffer => {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const groups = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
};
const utf8 = (text: string) => der(0x0c, Buffer.from(text, "utf8"));
const generalizedTime = (date: Date) =>
  der(0x18, Buffer.from(`${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`, "ascii"));
const explicit = (n: number, body: Buffer) => der(0xa0 + n, body);
const bitString = (bytes: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), bytes]));
const octetString = (bytes: Buffer) => der(0x04, bytes);
const BOOLEAN_TRUE = Buffer.from([0x01, 0x01, 0xff]);

const ECDSA_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));

function altNames(hosts: string[]): Buffer {
  return sequence(
    ...hosts.map((host) => {
      if (isIP(host) === 4) return der(0x87, Buffer.from(host.split(".").map(Number)));
      if (isIP(host) === 6) return der(0x87, ipv6Bytes(host));
      return der(0x82, Buffer.from(host, "ascii"));
    }),
  );
}

function ipv6Bytes(host: string): Buffer {
  const [head = "", tail = ""] = host.split("::");
  const words = (part: string) => (part ? part.split(":").map((w) => Number.parseInt(w, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = host.includes("::") ? [...left, ...new Array(8 - left.length - right.length).fill(0), ...right] : left;
  const out = Buffer.alloc(16);
  for (const [i, word] of all.entries()) out.writeUInt16BE(word, 2 * i);
  return out;
}

/** A fresh P-256 key and a self-signed certificate naming `hosts` (DNS names or IP addresses). */
export function makeSelfSigned(
  hosts: string[],
  commonName = "lvdao price oracle",
  now = new Date(),
  organization = "lvdao",
): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = sequence(
    set(sequence(oid("2.5.4.10"), utf8(organization))),
    set(sequence(oid("2.5.4.3"), utf8(commonName))),
  );
  // lnd backdates by an hour so a client whose clock runs slow still accepts a fresh certificate.
  const notBefore = new Date(now.getTime() - 3_600_000);
  const notAfter = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const extensions = sequence(
    // keyUsage: digitalSignature, keyEncipherment, keyCertSign (critical)
    sequence(oid("2.5.29.15"), BOOLEAN_TRUE, octetString(der(0x03, Buffer.from([0x02, 0xa4])))),
    // extKeyUsage: serverAuth
    sequence(oid("2.5.29.37"), octetString(sequence(oid("1.3.6.1.5.5.7.3.1")))),
    // basicConstraints: CA (critical), so the certificate can be its own trust anchor
    sequence(oid("2.5.29.19"), BOOLEAN_TRUE, octetString(sequence(BOOLEAN_TRUE))),
    sequence(oid("2.5.29.17"), octetString(altNames(hosts))),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name,
    sequence(generalizedTime(notBefore), generalizedTime(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = sequence(tbs, ECDSA_SHA256, bitString(signature));
  const base64Lines = (cert.toString("base64").match(/.{1,64}/g) ?? []).join("\n");
  const certPem = `-----BEGIN CERTIFICATE-----\n${base64Lines}\n-----END CERTIFICATE-----\n`;
  return { certPem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }) as string, created: true };
}

/**
 * The pair at certPath/keyPath, made there first if neither exists. One without the other, an expired
 * certificate or a key that does not match it is refused rather than silently replaced: a client may have
 * pinned the old certificate, so replacing it is the operator's decision (delete both files).
 */
export function loadOrCreateTlsIdentity(certPath: string, keyPath: string, hosts: string[]): TlsIdentity {
  const haveCert = existsSync(certPath);
  const haveKey = existsSync(keyPath);
  if (!haveCert && !haveKey) {
    const identity = makeSelfSigned(hosts);
    for (const path of [certPath, keyPath]) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(keyPath, identity.keyPem, { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    writeFileSync(certPath, identity.certPem, { mode: 0o644 });
    return identity;
  }
  if (!haveCert || !haveKey)
    throw new Error(
      `price oracle TLS: ${haveCert ? keyPath : certPath} is missing but ${haveCert ? certPath : keyPath} exists; ` +
        "restore it, or delete both to make a new pair",
    );
  const certPem = readFileSync(certPath, "utf8");
  const keyPem = readFileSync(keyPath, "utf8");
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch (error) {
    throw new Error(`price oracle TLS: ${certPath} is not a PEM certificate: ${(error as Error).message}`);
  }
  if (new Date(cert.validTo).getTime() <= Date.now())
    throw new Error(`price oracle TLS: ${certPath} expired on ${cert.validTo}; delete it and ${keyPath} to renew`);
  const matches =
    createPublicKey(createPrivateKey(keyPem)).export({ type: "spki", format: "der" }).toString("hex") ===
    cert.publicKey.export({ type: "spki", format: "der" }).toString("hex");
  if (!matches) throw new Error(`price oracle TLS: ${keyPath} is not the key of ${certPath}`);
  return { certPem, keyPem, created: false };
}
