// A self-signed TLS certificate for the simulators, made the way lnd makes its own: an ECDSA P-256 key, the cert
// marked as a CA (so clients can pin it as their only root), and SANs for localhost, 127.0.0.1 and ::1. The
// certificate maker is the relay's own (offchain/market/tls-cert.ts, which its price oracle uses).
import { makeSelfSigned } from "../../market/tls-cert.ts";

export interface SelfSignedCert {
  /** PEM certificate: what a client pins (lnd's tls.cert). */
  certPem: string;
  /** PEM PKCS#8 private key (lnd's tls.key); stays in memory and in the git-ignored state directory. */
  keyPem: string;
}

/** Makes a fresh certificate valid from an hour ago for 14 months (lnd's default lifetime). */
export function createSelfSignedCert(organization: string, hostname = "localhost"): SelfSignedCert {
  const { certPem, keyPem } = makeSelfSigned([hostname, "127.0.0.1", "::1"], hostname, new Date(), organization);
  return { certPem, keyPem };
}
