// Connection to tapd: gRPC clients for the TaprootAssets and Mint services built from the tapd 0.7 protos that
// ship in @lightningpolar/tapd-api, over TLS pinned to tapd's certificate, with the macaroon on every call.
// (The package's own TapClient logs on every construction and camel-cases fields; this keeps tapd's names.)
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { LightningError } from "../errors.ts";
import { Checker } from "../validation.ts";
import { loadCredentials, type CredentialSource } from "./credentials.ts";
import { grpcTarget } from "./grpc-target.ts";

const require = createRequire(import.meta.url);
const PROTOS = join(dirname(require.resolve("@lightningpolar/tapd-api/package.json")), "protos");
const LOAD_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTOS],
};

export interface TapdClient {
  socket: string;
  /** taprpc.TaprootAssets */
  assets: grpc.Client;
  /** mintrpc.Mint */
  mint: grpc.Client;
  close(): void;
}

export interface TapdConnectionOptions extends CredentialSource {
  socket: string;
}

type ClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
) => grpc.Client;
let constructors: { assets: ClientConstructor; mint: ClientConstructor } | undefined;

function loadConstructors() {
  if (!constructors) {
    const definition = grpc.loadPackageDefinition(
      protoLoader.loadSync([join(PROTOS, "taprootassets.proto"), join(PROTOS, "mintrpc/mint.proto")], LOAD_OPTIONS),
    ) as unknown as {
      taprpc: { TaprootAssets: ClientConstructor };
      mintrpc: { Mint: ClientConstructor };
    };
    constructors = { assets: definition.taprpc.TaprootAssets, mint: definition.mintrpc.Mint };
  }
  return constructors;
}

export function connectTapd(options: TapdConnectionOptions): TapdClient {
  const socket = new Checker("tapd", "connect").socket("socket", options.socket);
  const { certPem, macaroonHex } = loadCredentials("tapd", options);
  let credentials: grpc.ChannelCredentials;
  try {
    const macaroon = grpc.credentials.createFromMetadataGenerator((_, callback) => {
      const metadata = new grpc.Metadata();
      metadata.add("macaroon", macaroonHex);
      callback(null, metadata);
    });
    credentials = grpc.credentials.combineChannelCredentials(
      grpc.credentials.createSsl(Buffer.from(certPem)),
      macaroon,
    );
  } catch (error) {
    throw new LightningError(
      "CONFIGURATION",
      `unusable tapd TLS certificate: ${(error as Error).message}`,
      "tapd",
      "connect",
    );
  }
  const { assets, mint } = loadConstructors();
  const params = { "grpc.max_receive_message_length": -1, "grpc.max_send_message_length": -1 };
  const target = grpcTarget(socket);
  const clients = { assets: new assets(target, credentials, params), mint: new mint(target, credentials, params) };
  return {
    socket,
    ...clients,
    close: () => {
      clients.assets.close();
      clients.mint.close();
    },
  };
}
