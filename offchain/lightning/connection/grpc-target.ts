// The address gRPC dials for a configured host:port. grpc-js sends the target's host as the TLS ServerName, and an
// IP address there is not allowed by RFC 6066 (Node warns, DEP0123, and will reject it). lnd's and tapd's
// certificates always name `localhost`, so a loopback address is dialled by that name; the certificate stays pinned
// either way. Any other host is dialled as given (give a remote daemon by a name its certificate carries).
import { isIP } from "node:net";

const isLoopback = (host: string): boolean =>
  (isIP(host) === 4 && host.startsWith("127.")) || (isIP(host) === 6 && /^(0*:)*:?0*1$/.test(host));

/** `socket` (host:port, IPv6 in brackets) with a loopback IP address replaced by `localhost`. */
export function grpcTarget(socket: string): string {
  const colon = socket.lastIndexOf(":");
  const host = socket.slice(0, colon).replace(/^\[(.*)\]$/, "$1");
  return isLoopback(host) ? `localhost${socket.slice(colon)}` : socket;
}
