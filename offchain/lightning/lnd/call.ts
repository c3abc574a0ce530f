// How lnd actions call lnd: through the `lightning` package (its errors classified) or, where it falls short, one
// raw gRPC method on the authenticated object's per-service clients; both under a deadline.
import type { AuthenticatedLnd } from "lightning";
import { fromLightningPackageError, withTimeout } from "../errors.ts";
import { DEFAULT_TIMEOUT_MS, unaryCall, type Message } from "../connection/grpc-call.ts";
import type { Client } from "@grpc/grpc-js";

export interface LndCallOptions {
  /** Default 30 s. */
  timeoutMs?: number;
}

export async function viaLightning<T>(
  action: string,
  work: () => Promise<T>,
  options: LndCallOptions = {},
): Promise<T> {
  try {
    return await withTimeout(work(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "lnd", action);
  } catch (error) {
    throw fromLightningPackageError(error, action);
  }
}

/** A unary call on one of lnd's services, e.g. ("default", "updateChannelPolicy"). */
export function viaGrpc(
  lnd: AuthenticatedLnd,
  service: keyof AuthenticatedLnd,
  method: string,
  request: Message,
  action: string,
  options: LndCallOptions = {},
): Promise<Message> {
  return unaryCall(lnd[service] as Client, method, request, { daemon: "lnd", action, timeoutMs: options.timeoutMs });
}
