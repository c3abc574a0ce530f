// startLoopSim: the loopd REST simulator. Lightning Labs' swap server is closed source and loopd cannot run on
// regtest without it, so this serves loopd's REST API itself (a TLS certificate and a macaroon, as loopd writes
// them) and carries out swaps as real payments between the client's lnd (`dao`) and the server's (`peer`); see
// swaps.ts. It talks to lnd only through `lightning` calls, so it runs unchanged over real lnd (the regtest
// harness) and over the lnd simulators (offchain/regtest/lnd-tapd-sim).
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuthenticatedLnd } from "lightning";
import type { StackNode } from "../../lightning/connection/stack-file.ts";
import { bakeMacaroon } from "../lnd-tapd-sim/macaroon.ts";
import { createSelfSignedCert } from "../lnd-tapd-sim/tls.ts";
import { DEFAULT_PRICING, type SwapPricing } from "./pricing.ts";
import { loopRoutes, LOOP_PERMISSIONS, serveLoopRest } from "./server.ts";
import { SwapEngine } from "./swaps.ts";

export const LOOP_SIM_BANNER =
  "SIMULATED loopd (lvdao loop simulator: swaps are real payments between dao and peer, not Lightning Labs' server)";

export interface LoopSimOptions {
  /** dao: the client whose loopd this is; peer: the swap server. */
  lnd: { dao: AuthenticatedLnd; peer: AuthenticatedLnd };
  nodes: { dao: StackNode; peer: StackNode; contributor?: StackNode };
  /** The simulator writes tls.cert, tls.key and loop.macaroon under `<stateDir>/loop`, and deletes them on stop. */
  stateDir: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  pricing?: SwapPricing;
  /** Confirmations of a swap's on-chain payment before it is SUCCESS. Default 1. */
  confirmations?: number;
  /** How often a swap waiting for a confirmation looks again. Default 250 ms. */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface LoopSimHandle {
  restUrl: string;
  certPath: string;
  macaroonPath: string;
  macaroonHex: string;
  /** PEM, what a client pins. */
  cert: string;
  engine: SwapEngine;
  stop(): Promise<void>;
}

export async function startLoopSim(options: LoopSimOptions): Promise<LoopSimHandle> {
  const host = options.host ?? "127.0.0.1";
  const dir = join(options.stateDir, "loop");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tls = createSelfSignedCert("lvdao loop simulator");
  const rootKey = randomBytes(32);
  const macaroon = bakeMacaroon(rootKey, "loop", LOOP_PERMISSIONS);
  const certPath = join(dir, "tls.cert");
  const macaroonPath = join(dir, "loop.macaroon");
  writeFileSync(certPath, tls.certPem);
  writeFileSync(join(dir, "tls.key"), tls.keyPem, { mode: 0o600 });
  writeFileSync(macaroonPath, macaroon, { mode: 0o600 });
  const pricing = options.pricing ?? DEFAULT_PRICING;
  const engine = new SwapEngine({
    client: options.lnd.dao,
    server: options.lnd.peer,
    pricing,
    confirmations: options.confirmations ?? 1,
    pollMs: options.pollMs ?? 250,
    log: options.log ?? (() => undefined),
  });
  let server: Awaited<ReturnType<typeof serveLoopRest>>;
  try {
    server = await serveLoopRest({
      host,
      port: options.port ?? 0,
      certPem: tls.certPem,
      keyPem: tls.keyPem,
      rootKey,
      routes: loopRoutes(engine, pricing, options.nodes.peer.pubkey),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | null = null;
  return {
    restUrl: `https://${host}:${server.port}`,
    certPath,
    macaroonPath,
    macaroonHex: macaroon.toString("hex"),
    cert: tls.certPem,
    engine,
    stop: () =>
      (stopped ??= (async () => {
        await engine.stop();
        server.server.closeAllConnections();
        await new Promise<void>((resolve) => server.server.close(() => resolve()));
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}
