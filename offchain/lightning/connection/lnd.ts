// Connection to lnd through the `lightning` package: an authenticated object holding one gRPC client per lnd
// service (default, router, tower_client, tower_server, wallet, ...), pinned to lnd's self-signed certificate.
import { authenticatedLndGrpc, type AuthenticatedLnd } from "lightning";
import { LightningError } from "../errors.ts";
import { Checker } from "../validation.ts";
import { loadCredentials, type CredentialSource } from "./credentials.ts";
import { grpcTarget } from "./grpc-target.ts";

export type { AuthenticatedLnd };

export interface LndConnectionOptions extends CredentialSource {
  /** host:port of lnd's gRPC listener. */
  socket: string;
}

export function connectLnd(options: LndConnectionOptions): AuthenticatedLnd {
  const socket = new Checker("lnd", "connect").socket("socket", options.socket);
  const { certPem, macaroonHex } = loadCredentials("lnd", options);
  try {
    return authenticatedLndGrpc({
      cert: Buffer.from(certPem).toString("base64"),
      macaroon: macaroonHex,
      socket: grpcTarget(socket),
    }).lnd;
  } catch (error) {
    throw new LightningError("CONFIGURATION", (error as Error).message, "lnd", "connect");
  }
}
