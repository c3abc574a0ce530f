// One unary gRPC call with a deadline, its failure classified. Used for tapd and for the few lnd calls the
// `lightning` package does not cover (or covers in a way that loses precision).
import * as grpc from "@grpc/grpc-js";
import { fromGrpcError, type Daemon } from "../errors.ts";

// biome-ignore lint/suspicious/noExplicitAny: proto-loader messages are dynamic; each method's mapper validates them
export type Message = Record<string, any>;

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface CallOptions {
  daemon: Daemon;
  action: string;
  timeoutMs?: number;
}

export function unaryCall(
  client: grpc.Client,
  method: string,
  request: Message,
  options: CallOptions,
): Promise<Message> {
  const fn = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== "function")
    return Promise.reject(
      fromGrpcError(
        { code: grpc.status.UNIMPLEMENTED, details: `client has no method ${method}` },
        options.daemon,
        options.action,
      ),
    );
  const deadline = new Date(Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  return new Promise((resolve, reject) => {
    // No Metadata argument: `lightning` brings its own copy of grpc-js, whose clients would not recognise ours.
    (
      fn as (request: Message, options: grpc.CallOptions, callback: (error: unknown, response: Message) => void) => void
    ).call(client, request, { deadline }, (error, response) =>
      error ? reject(fromGrpcError(error, options.daemon, options.action)) : resolve(response),
    );
  });
}

/** Collects a server stream until it ends or `until(update)` says stop (the call is then cancelled). */
export function streamCall(
  client: grpc.Client,
  method: string,
  request: Message,
  options: CallOptions & { until?: (update: Message) => boolean },
): Promise<Message[]> {
  const fn = (client as unknown as Record<string, unknown>)[method];
  if (typeof fn !== "function")
    return Promise.reject(
      fromGrpcError(
        { code: grpc.status.UNIMPLEMENTED, details: `client has no method ${method}` },
        options.daemon,
        options.action,
      ),
    );
  const deadline = new Date(Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  return new Promise((resolve, reject) => {
    const updates: Message[] = [];
    let settled = false;
    const call = (fn as (request: Message, options: grpc.CallOptions) => grpc.ClientReadableStream<Message>).call(
      client,
      request,
      { deadline },
    );
    call.on("data", (update: Message) => {
      updates.push(update);
      if (!settled && options.until?.(update)) {
        settled = true;
        call.cancel();
        resolve(updates);
      }
    });
    call.on("error", (error: grpc.ServiceError) => {
      if (settled) return;
      settled = true;
      reject(fromGrpcError(error, options.daemon, options.action));
    });
    call.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(updates);
    });
  });
}
