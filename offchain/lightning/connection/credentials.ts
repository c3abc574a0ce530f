// Reading a daemon's TLS certificate and macaroon, from files (the normal way) or given inline. A bad path or a
// file that is not what it should be is a CONFIGURATION error naming the file; macaroon bytes never reach a message.
import { readFileSync } from "node:fs";
import { LightningError, type Daemon } from "../errors.ts";

export interface CredentialSource {
  /** PEM certificate text, or the path of the daemon's tls.cert. */
  cert?: string;
  certPath?: string;
  /** Macaroon as hex, or the path of the (binary) macaroon file. */
  macaroonHex?: string;
  macaroonPath?: string;
}

export interface Credentials {
  certPem: string;
  macaroonHex: string;
}

function readFile(daemon: Daemon, what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new LightningError(
      "CONFIGURATION",
      `cannot read ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      daemon,
      "connect",
    );
  }
}

export function loadCredentials(daemon: Daemon, source: CredentialSource): Credentials {
  const certPem =
    source.cert ??
    (source.certPath ? readFile(daemon, "TLS certificate", source.certPath).toString("utf8") : undefined);
  if (!certPem)
    throw new LightningError("CONFIGURATION", "a TLS certificate (cert or certPath) is required", daemon, "connect");
  if (!certPem.includes("-----BEGIN CERTIFICATE-----")) {
    throw new LightningError(
      "CONFIGURATION",
      `TLS certificate ${source.certPath ?? "(inline)"} is not a PEM certificate`,
      daemon,
      "connect",
    );
  }
  let macaroonHex = source.macaroonHex;
  if (!macaroonHex && source.macaroonPath)
    macaroonHex = readFile(daemon, "macaroon", source.macaroonPath).toString("hex");
  if (!macaroonHex)
    throw new LightningError(
      "CONFIGURATION",
      "a macaroon (macaroonHex or macaroonPath) is required",
      daemon,
      "connect",
    );
  // lnd, tapd and loopd all write version-2 binary macaroons, which start with the byte 0x02.
  if (
    !/^[0-9a-f]+$/i.test(macaroonHex) ||
    macaroonHex.length % 2 !== 0 ||
    macaroonHex.length < 8 ||
    !macaroonHex.startsWith("02")
  ) {
    throw new LightningError(
      "CONFIGURATION",
      `macaroon ${source.macaroonPath ?? "(inline)"} is not a binary macaroon`,
      daemon,
      "connect",
    );
  }
  return { certPem, macaroonHex: macaroonHex.toLowerCase() };
}
