// Which failures the relay may retry: a table of daemon and transport failures and how each is classified.
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { fromGrpcError, fromLightningPackageError, fromRestError, LightningError, withTimeout } from "./errors.ts";

describe("fromGrpcError", () => {
  const cases: Array<[string, { code: number; details: string }, string, boolean]> = [
    ["unreachable daemon", { code: status.UNAVAILABLE, details: "No connection established" }, "UNAVAILABLE", true],
    ["deadline", { code: status.DEADLINE_EXCEEDED, details: "Deadline exceeded" }, "TIMEOUT", true],
    [
      "lnd still starting (plain error)",
      {
        code: status.UNKNOWN,
        details: "the RPC server is in the process of starting up, but not yet ready to accept calls",
      },
      "UNAVAILABLE",
      true,
    ],
    [
      "wallet locked",
      { code: status.UNKNOWN, details: "wallet locked, unlock it to enable full RPC access" },
      "UNAVAILABLE",
      true,
    ],
    ["missing macaroon", { code: status.UNKNOWN, details: "expected 1 macaroon, got 0" }, "PERMISSION_DENIED", false],
    ["read-only macaroon", { code: status.UNKNOWN, details: "permission denied" }, "PERMISSION_DENIED", false],
    [
      "lnd refuses (funds)",
      { code: status.UNKNOWN, details: "insufficient funds available to construct transaction" },
      "DAEMON_REFUSED",
      false,
    ],
    [
      "invalid argument",
      { code: status.INVALID_ARGUMENT, details: "cannot set both FeeRate and FeeRatePpm at the same time" },
      "DAEMON_REFUSED",
      false,
    ],
    ["unknown invoice", { code: status.NOT_FOUND, details: "unable to locate invoice" }, "NOT_FOUND", false],
    [
      "not simulated / too old",
      { code: status.UNIMPLEMENTED, details: "unknown service wtclientrpc.WatchtowerClient" },
      "UNIMPLEMENTED",
      false,
    ],
    [
      "open refused while dao's wallet is a block behind",
      { code: status.UNKNOWN, details: "channels cannot be created before the wallet is fully synced" },
      "UNAVAILABLE",
      true,
    ],
    [
      "open refused by a peer a block behind",
      { code: status.UNKNOWN, details: "received funding error from 03ab: chan_id=00, err=Synchronizing blockchain" },
      "UNAVAILABLE",
      true,
    ],
    ["peer offline", { code: status.UNKNOWN, details: "peer 03ab is not online" }, "UNAVAILABLE", true],
  ];
  it.each(cases)("%s", (_name, error, code, retryable) => {
    const classified = fromGrpcError(error, "lnd", "test");
    expect([classified.code, classified.retryable, classified.reason]).toEqual([code, retryable, error.details]);
  });
});

describe("fromLightningPackageError", () => {
  const cases: Array<[string, unknown, string, boolean]> = [
    [
      "a nested unreachable gRPC error decides",
      [503, "UnexpectedErrorUpdatingRoutingFees", { err: { code: status.UNAVAILABLE, details: "Connection dropped" } }],
      "UNAVAILABLE",
      true,
    ],
    [
      "a nested refusal decides",
      [
        503,
        "UnexpectedErrorAddingPeer",
        { err: { code: status.UNKNOWN, details: "dial tcp 127.0.0.1:9: connect: connection refused" } },
      ],
      "DAEMON_REFUSED",
      false,
    ],
    ["the package's own connect failure", [503, "FailedToConnectToDaemon"], "UNAVAILABLE", true],
    ["lnd locked", [503, "LndLocked"], "UNAVAILABLE", true],
    ["the package rejected lnd's answer", [503, "ExpectedChannelsArray"], "UNEXPECTED_RESPONSE", false],
    ["the package rejected our arguments", [400, "ExpectedIdOfChannelToClose"], "INVALID_ARGUMENT", false],
    ["not found", [404, "FullChannelDetailsNotFound"], "NOT_FOUND", false],
    ["unsupported", [501, "CreationOfTaprootAddressesUnsupported"], "UNIMPLEMENTED", false],
    ["a payment failure", [503, "PaymentPathfindingFailedToFindPossibleRoute"], "DAEMON_REFUSED", false],
    ["open refused while dao's wallet is a block behind", [503, "WalletNotFullySynced"], "UNAVAILABLE", true],
    ["open refused by a peer a block behind", [503, "RemoteNodeSyncing"], "UNAVAILABLE", true],
    ["open: peer offline", [503, "PeerIsNotOnline"], "UNAVAILABLE", true],
    ["open: peer disconnected", [503, "RemotePeerDisconnected"], "UNAVAILABLE", true],
    ["open: peer exiting", [503, "RemotePeerExited"], "UNAVAILABLE", true],
    [
      "open: peer has too many pending channels",
      [503, "PeerPendingChannelsExceedMaximumAllowable"],
      "UNAVAILABLE",
      true,
    ],
    ["open: the outcome could not be read", [503, "UnknownChannelOpenStatus"], "UNAVAILABLE", true],
    ["connect: peer still syncing", [503, "FailedToAddPeerBecausePeerStillSyncing"], "UNAVAILABLE", true],
    [
      "open refused for a reason lnd names",
      [503, "FailedToOpenChannel", { err: "channel too large" }],
      "DAEMON_REFUSED",
      false,
    ],
  ];
  it.each(cases)("%s", (_name, error, code, retryable) => {
    const classified = fromLightningPackageError(error, "test");
    expect([classified.code, classified.retryable]).toEqual([code, retryable]);
    expect(classified.daemon).toBe("lnd");
  });

  it("keeps both the package's name for the failure and lnd's reason", () => {
    const error = fromLightningPackageError(
      [503, "UnexpectedErrorAddingPeer", { err: { code: 2, details: "peer refused" } }],
      "connectPeer",
    );
    expect(error.reason).toBe("UnexpectedErrorAddingPeer: peer refused");
    expect(error.message).toBe("lnd connectPeer: DAEMON_REFUSED: UnexpectedErrorAddingPeer: peer refused");
  });
});

describe("fromRestError", () => {
  const cases: Array<[string, Parameters<typeof fromRestError>[0], string, boolean]> = [
    [
      "connection refused",
      { error: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) },
      "UNAVAILABLE",
      true,
    ],
    [
      "a certificate loopd did not present",
      { error: Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }) },
      "CONFIGURATION",
      false,
    ],
    [
      "grpc-gateway body with UNAVAILABLE",
      { status: 503, body: { code: 14, message: "swap server unavailable" } },
      "UNAVAILABLE",
      true,
    ],
    [
      "grpc-gateway body with a refusal",
      { status: 500, body: { code: 2, message: "max_swap_fee too low" } },
      "DAEMON_REFUSED",
      false,
    ],
    ["bad gateway without body", { status: 502, body: null }, "UNAVAILABLE", true],
    ["missing macaroon", { status: 401, body: null }, "PERMISSION_DENIED", false],
    ["unknown swap", { status: 404, body: { code: 5, message: "swap not found" } }, "NOT_FOUND", false],
  ];
  it.each(cases)("%s", (_name, failure, code, retryable) => {
    const classified = fromRestError(failure, "test");
    expect([classified.code, classified.retryable, classified.daemon]).toEqual([code, retryable, "loopd"]);
  });
});

describe("withTimeout", () => {
  it("turns silence into a retryable TIMEOUT", async () => {
    const error = await withTimeout(new Promise(() => undefined), 20, "tapd", "listAssets").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LightningError);
    expect(error).toMatchObject({ code: "TIMEOUT", retryable: true, daemon: "tapd", action: "listAssets" });
  });

  it("passes an answer through", async () => {
    expect(await withTimeout(Promise.resolve(7), 1000, "lnd", "x")).toBe(7);
  });
});
