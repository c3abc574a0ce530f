// Every failure of the Lightning client layer is a LightningError: a stable code, the daemon's own reason, and
// whether trying again later can help. The relay reports retryable failures with `retryable true` and turns the
// rest into permanent failures, so the split must be right: unreachable daemons, timeouts and gRPC UNAVAILABLE are
// retryable; a daemon refusing the request is not.
import { status as grpcStatus } from "@grpc/grpc-js";

export type Daemon = "lnd" | "tapd" | "loopd";

export type LightningErrorCode =
  /** Our own input check failed before any daemon call. */
  | "INVALID_ARGUMENT"
  /** The daemon could not be reached, or is starting up or locked. */
  | "UNAVAILABLE"
  /** No answer within the deadline. */
  | "TIMEOUT"
  /** The daemon does not know the thing asked about. */
  | "NOT_FOUND"
  /** Missing, wrong or insufficient macaroon. */
  | "PERMISSION_DENIED"
  /** The daemon does not implement the call (an older version, or a simulator gap). */
  | "UNIMPLEMENTED"
  /** The daemon answered with an error of its own (insufficient funds, peer offline, policy refused...). */
  | "DAEMON_REFUSED"
  /** The daemon's answer did not have the shape we rely on. */
  | "UNEXPECTED_RESPONSE"
  /** Local configuration is unusable: unreadable cert or macaroon file, bad socket. */
  | "CONFIGURATION"
  /** The daemon's price (a swap quote) is above the cap the caller set; nothing was started. */
  | "FEE_CAP_EXCEEDED";

const RETRYABLE: ReadonlySet<LightningErrorCode> = new Set(["UNAVAILABLE", "TIMEOUT"]);

export class LightningError extends Error {
  readonly retryable: boolean;

  constructor(
    readonly code: LightningErrorCode,
    /** The daemon's own message, or ours for local checks. Never contains secrets. */
    readonly reason: string,
    readonly daemon: Daemon,
    /** The action that failed, e.g. "openChannel". */
    readonly action: string,
  ) {
    super(`${daemon} ${action}: ${code}: ${reason}`);
    this.name = "LightningError";
    this.retryable = RETRYABLE.has(code);
  }
}

export const invalidArgument = (daemon: Daemon, action: string, reason: string) =>
  new LightningError("INVALID_ARGUMENT", reason, daemon, action);
export const unexpectedResponse = (daemon: Daemon, action: string, reason: string) =>
  new LightningError("UNEXPECTED_RESPONSE", reason, daemon, action);

// lnd and tapd answer these as plain errors (status UNKNOWN) while they start, unlock or sync.
// lnd also refuses to open a channel while its wallet, or the peer's, is a block behind the chain (for a moment
// after every block), while the peer is offline or has too many pending channels: nothing was funded, and
// the same request passes a moment later.
const TRANSIENT_MESSAGE =
  /in the process of starting|not yet ready to accept calls|waiting to start|wallet locked|LndLocked|server is still in the process|chain backend is still syncing|FailedToConnect|ConnectionFailure|Connect Failed|No connection established|TRANSIENT_FAILURE|before the wallet is fully synced|Synchronizing blockchain|is not online|pending channels exceed maximum/i;
// The `lightning` package's names for those same refusals (it drops lnd's text; lnd_methods/onchain/open_channel.js),
// and for an open whose outcome it could not read: retrying is safe, the relay reconciles by memo before acting again.
const TRANSIENT_PACKAGE_NAME =
  /^(WalletNotFullySynced|RemoteNodeSyncing|PeerIsNotOnline|RemotePeerDisconnected|RemotePeerExited|PeerPendingChannelsExceedMaximumAllowable|FailedToAddPeerBecausePeerStillSyncing|UnknownChannelOpenStatus)$/;
const MACAROON_MESSAGE = /macaroon|permission denied|verification failed|root key|caveat/i;

interface GrpcLike {
  code?: number;
  details?: string;
  message?: string;
}

/** Classifies a gRPC error from @grpc/grpc-js. */
export function fromGrpcError(error: unknown, daemon: Daemon, action: string): LightningError {
  if (error instanceof LightningError) return error;
  const grpc = (error ?? {}) as GrpcLike;
  const reason = grpc.details || grpc.message || String(error);
  switch (grpc.code) {
    case grpcStatus.UNAVAILABLE:
    case grpcStatus.CANCELLED:
    case grpcStatus.ABORTED:
    case grpcStatus.RESOURCE_EXHAUSTED:
      return new LightningError("UNAVAILABLE", reason, daemon, action);
    case grpcStatus.DEADLINE_EXCEEDED:
      return new LightningError("TIMEOUT", reason, daemon, action);
    case grpcStatus.NOT_FOUND:
      return new LightningError("NOT_FOUND", reason, daemon, action);
    case grpcStatus.UNAUTHENTICATED:
    case grpcStatus.PERMISSION_DENIED:
      return new LightningError("PERMISSION_DENIED", reason, daemon, action);
    case grpcStatus.UNIMPLEMENTED:
      return new LightningError("UNIMPLEMENTED", reason, daemon, action);
    case grpcStatus.INVALID_ARGUMENT:
    case grpcStatus.OUT_OF_RANGE:
      return new LightningError("DAEMON_REFUSED", reason, daemon, action);
    default:
      if (TRANSIENT_MESSAGE.test(reason)) return new LightningError("UNAVAILABLE", reason, daemon, action);
      if (MACAROON_MESSAGE.test(reason)) return new LightningError("PERMISSION_DENIED", reason, daemon, action);
      return new LightningError("DAEMON_REFUSED", reason, daemon, action);
  }
}

/**
 * Classifies an error from the `lightning` package, which rejects with `[httpLikeCode, "MessageName", {err}]`:
 * the nested gRPC error, when present, decides; otherwise the code and message name do.
 */
export function fromLightningPackageError(error: unknown, action: string): LightningError {
  if (error instanceof LightningError) return error;
  if (!Array.isArray(error)) return fromGrpcError(error, "lnd", action);
  const [code, message, extra] = error as [number, string, { err?: GrpcLike } | undefined];
  const nested = extra?.err;
  if (nested && typeof nested === "object" && (nested.code !== undefined || nested.details)) {
    const classified = fromGrpcError(nested, "lnd", action);
    return new LightningError(classified.code, `${message}: ${classified.reason}`, "lnd", action);
  }
  if (TRANSIENT_MESSAGE.test(message) || TRANSIENT_PACKAGE_NAME.test(message))
    return new LightningError("UNAVAILABLE", message, "lnd", action);
  if (code === 404) return new LightningError("NOT_FOUND", message, "lnd", action);
  if (code === 501) return new LightningError("UNIMPLEMENTED", message, "lnd", action);
  if (code >= 400 && code < 500) return new LightningError("INVALID_ARGUMENT", message, "lnd", action);
  // 503 without a gRPC error: the package rejected lnd's answer, or lnd refused in a way it names.
  if (/^Expected|^Unexpected/.test(message)) return new LightningError("UNEXPECTED_RESPONSE", message, "lnd", action);
  return new LightningError("DAEMON_REFUSED", message, "lnd", action);
}

const NETWORK_ERRORS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Classifies a failed HTTP exchange with loopd's REST API (a transport error, or a status with grpc-gateway's body). */
export function fromRestError(
  failure: { status?: number; body?: { code?: number; message?: string } | null; error?: NodeJS.ErrnoException },
  action: string,
): LightningError {
  if (failure.error) {
    const code = failure.error.code ?? "";
    const reason = `${code} ${failure.error.message}`.trim();
    return new LightningError(NETWORK_ERRORS.has(code) ? "UNAVAILABLE" : "CONFIGURATION", reason, "loopd", action);
  }
  const reason = failure.body?.message || `HTTP ${failure.status}`;
  if (failure.body?.code !== undefined && failure.body.code !== 0) {
    return fromGrpcError({ code: failure.body.code, details: reason }, "loopd", action);
  }
  if (failure.status === 502 || failure.status === 503 || failure.status === 504)
    return new LightningError("UNAVAILABLE", reason, "loopd", action);
  if (failure.status === 404) return new LightningError("NOT_FOUND", reason, "loopd", action);
  if (failure.status === 401 || failure.status === 403)
    return new LightningError("PERMISSION_DENIED", reason, "loopd", action);
  return new LightningError("DAEMON_REFUSED", reason, "loopd", action);
}

/** Runs `work`, turning a missing answer after `timeoutMs` into a retryable TIMEOUT. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, daemon: Daemon, action: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new LightningError("TIMEOUT", `no answer within ${timeoutMs} ms`, daemon, action)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
