// Brings one simulated daemon onto the network: its TLS certificate and macaroons written like lnd/tapd write
// them (tls.cert, admin.macaroon, readonly.macaroon), its gRPC services on a free loopback port, and for lnd a
// listening P2P port (and a watchtower port on the tower node) so hosts in nodes.json are real sockets.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { startGrpcServer, type ServiceSpec } from "./grpc-server.ts";
import { channelMethods } from "./lnd-channel-handlers.ts";
import { routingMethods } from "./lnd-routing-handlers.ts";
import type { LndContext } from "./lnd-context.ts";
import { infoMethods, towerClientMethods, towerServerMethods } from "./lnd-info-handlers.ts";
import { paymentMethods, routerMethods } from "./lnd-payment-handlers.ts";
import { chainNotifierMethods, invoicesMethods } from "./lnd-subscription-handlers.ts";
import { walletKitMethods, walletMethods } from "./lnd-wallet-handlers.ts";
import { ADMIN_ENTITIES, bakeMacaroon, type Permission } from "./macaroon.ts";
import { mintMethods, taprootAssetsMethods, TAPD_ENTITIES, type TapdContext } from "./tapd-handlers.ts";
import { createSelfSignedCert } from "./tls.ts";

const require = createRequire(import.meta.url);
const LND_PROTOS = join(dirname(require.resolve("lightning/package.json")), "grpc", "protos");
const TAPD_PROTOS = join(dirname(require.resolve("@lightningpolar/tapd-api/package.json")), "protos");

export interface DaemonFiles {
  socket: string;
  certPath: string;
  macaroonPath: string;
  readonlyMacaroonPath: string;
  certPem: string;
  macaroonHex: string;
}

export interface RunningDaemon extends DaemonFiles {
  stop(): Promise<void>;
}

const grant = (entities: string[], actions: string[]): Permission[] =>
  entities.flatMap((entity) => actions.map((action) => ({ entity, action })));

async function serve(options: {
  dir: string;
  host: string;
  location: "lnd" | "tapd";
  entities: string[];
  services: ServiceSpec[];
}): Promise<RunningDaemon> {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const tls = createSelfSignedCert(`lvdao simulator (${options.location})`);
  const rootKey = randomBytes(32);
  const admin = bakeMacaroon(rootKey, options.location, grant(options.entities, ["read", "write", "generate"]));
  const readonly = bakeMacaroon(rootKey, options.location, grant(options.entities, ["read"]));
  const certPath = join(options.dir, "tls.cert");
  const macaroonPath = join(options.dir, "admin.macaroon");
  const readonlyMacaroonPath = join(options.dir, "readonly.macaroon");
  writeFileSync(certPath, tls.certPem);
  writeFileSync(macaroonPath, admin, { mode: 0o600 });
  writeFileSync(readonlyMacaroonPath, readonly, { mode: 0o600 });
  const server = await startGrpcServer({ host: options.host, tls, rootKey, services: options.services });
  return {
    socket: `${options.host}:${server.port}`,
    certPath,
    macaroonPath,
    readonlyMacaroonPath,
    certPem: tls.certPem,
    macaroonHex: admin.toString("hex"),
    stop: server.stop,
  };
}

export function startLndDaemon(context: LndContext, dir: string, host: string): Promise<RunningDaemon> {
  const lnd = (file: string, service: string, methods: ServiceSpec["methods"]): ServiceSpec => ({
    proto: join(LND_PROTOS, file),
    includeDirs: [LND_PROTOS],
    service,
    methods,
  });
  return serve({
    dir,
    host,
    location: "lnd",
    entities: ADMIN_ENTITIES,
    services: [
      lnd("lightning.proto", "lnrpc.Lightning", {
        ...infoMethods(context),
        ...channelMethods(context),
        ...routingMethods(context),
        ...walletMethods(context),
        ...paymentMethods(context),
      }),
      lnd("router.proto", "routerrpc.Router", routerMethods(context)),
      lnd("invoices.proto", "invoicesrpc.Invoices", invoicesMethods(context)),
      lnd("chainnotifier.proto", "chainrpc.ChainNotifier", chainNotifierMethods(context)),
      lnd("wtclient.proto", "wtclientrpc.WatchtowerClient", towerClientMethods(context)),
      lnd("watchtower.proto", "watchtowerrpc.Watchtower", towerServerMethods(context)),
      lnd("walletkit.proto", "walletrpc.WalletKit", walletKitMethods()),
      lnd("verrpc.proto", "verrpc.Versioner", {
        GetVersion: {
          permissions: [{ entity: "info", action: "read" }],
          unary: () => ({
            commit: "lvdao-simulator",
            commit_hash: "0".repeat(40),
            version: context.version,
            app_major: 0,
            app_minor: 20,
            app_patch: 0,
            app_pre_release: "beta",
            build_tags: [
              "signrpc",
              "walletrpc",
              "chainrpc",
              "invoicesrpc",
              "routerrpc",
              "peersrpc",
              "watchtowerrpc",
              "lvdao-simulator",
            ],
            go_version: "none (TypeScript simulator)",
          }),
        },
      }),
    ],
  });
}

export function startTapdDaemon(context: TapdContext, dir: string, host: string): Promise<RunningDaemon> {
  const tapd = (file: string, service: string, methods: ServiceSpec["methods"]): ServiceSpec => ({
    proto: join(TAPD_PROTOS, file),
    includeDirs: [TAPD_PROTOS],
    service,
    methods,
  });
  return serve({
    dir,
    host,
    location: "tapd",
    entities: TAPD_ENTITIES,
    services: [
      tapd("taprootassets.proto", "taprpc.TaprootAssets", taprootAssetsMethods(context)),
      tapd("mintrpc/mint.proto", "mintrpc.Mint", mintMethods(context)),
    ],
  });
}

/** A TCP listener that accepts and drops connections: the node's P2P or watchtower port. */
export async function listenPlaceholder(host: string): Promise<{ address: string; close(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { address: `${host}:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
