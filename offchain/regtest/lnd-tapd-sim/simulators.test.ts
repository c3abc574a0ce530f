// The simulated daemons as a client meets them: the nodes.json contract, TLS pinning, lnd's macaroon refusals,
// UNIMPLEMENTED for what is not simulated, channels opening only after confirmations, hold invoices (held, settled,
// cancelled), and a clean stop.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import {
  cancelHodlInvoice,
  createHodlInvoice,
  createInvoice,
  getChannelBalance,
  getChannels,
  getInvoice,
  getPendingChannels,
  getWalletInfo,
  openChannel,
  pay,
  settleHodlInvoice,
  subscribeToBlocks,
  subscribeToInvoice,
} from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLightningStack } from "../../lightning/connection/stack-file.ts";
import { createSelfSignedCert } from "./tls.ts";
import { startSimulators, type SimulatorHandle } from "./index.ts";

const require = createRequire(import.meta.url);
const protos = join(require.resolve("lightning/package.json"), "..", "grpc", "protos");
const Lightning = (
  grpc.loadPackageDefinition(
    protoLoader.loadSync(join(protos, "lightning.proto"), {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
    }),
  ) as unknown as AnyService
).lnrpc.Lightning;

// A client built from a loaded proto has one method per RPC, which TypeScript cannot see.
type Rpc = (request: object, callback: (error: grpc.ServiceError | null) => void) => void;
type Untyped = { getInfo: Rpc; signMessage: Rpc };
type AnyService = {
  lnrpc: {
    Lightning: new (
      address: string,
      credentials: grpc.ChannelCredentials,
    ) => grpc.Client & {
      getInfo: (
        request: object,
        options: object,
        callback: Rpc extends (r: object, c: infer C) => void ? C : never,
      ) => void;
    };
  };
};

let sim: SimulatorHandle;
let stateDir: string;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "lvdao-sim-"));
  sim = await startSimulators({ stateDir });
});

afterAll(async () => {
  await sim?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function rawClient(certPem: string, macaroonHex: string | null): grpc.Client {
  const ssl = grpc.credentials.createSsl(Buffer.from(certPem));
  const credentials = macaroonHex
    ? grpc.credentials.combineChannelCredentials(
        ssl,
        grpc.credentials.createFromMetadataGenerator((_, callback) => {
          const metadata = new grpc.Metadata();
          metadata.add("macaroon", macaroonHex);
          callback(null, metadata);
        }),
      )
    : ssl;
  return new Lightning(sim.nodes.dao.lnd_socket, credentials);
}

const getInfo = (client: grpc.Client) =>
  new Promise<{ code: number; details: string } | null>((resolve) =>
    (client as unknown as Untyped).getInfo({}, (error: grpc.ServiceError | null) =>
      resolve(error ? { code: error.code, details: error.details } : null),
    ),
  );

describe("nodes.json", () => {
  it("describes the three nodes, two tapds and the chain in the shared shape, with files that exist", () => {
    const written = JSON.parse(readFileSync(sim.stackFile, "utf8"));
    const stack = parseLightningStack(written);
    expect(stack.mode).toBe("simulator");
    expect(stack.bitcoin.network).toBe("regtest");
    for (const node of Object.values(stack.nodes)) {
      expect(node.lnd_socket).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(node.p2p_host).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(existsSync(node.lnd_cert_path) && existsSync(node.lnd_macaroon_path)).toBe(true);
    }
    expect(stack.nodes.dao.tapd_socket && stack.nodes.contributor.tapd_socket).toBeTruthy();
    expect(written.nodes.peer.tapd_socket).toBeUndefined();
  });

  it("has the loopd simulator exactly when offchain/regtest/loopd-sim exists", () => {
    const present = existsSync(join(import.meta.dirname, "..", "loopd-sim", "index.ts"));
    expect(sim.loop !== null).toBe(present);
    expect(sim.stack.loop !== null).toBe(present);
  });
});

describe("TLS and macaroons", () => {
  const cert = () => readFileSync(sim.nodes.dao.lnd_cert_path, "utf8");
  const macaroon = () => readFileSync(sim.nodes.dao.lnd_macaroon_path).toString("hex");

  it("answers a client that pins its certificate and sends its macaroon", async () => {
    expect(await getInfo(rawClient(cert(), macaroon()))).toBeNull();
  });

  it("refuses a call without a macaroon as lnd does (UNKNOWN, expected 1 macaroon, got 0)", async () => {
    expect(await getInfo(rawClient(cert(), null))).toEqual({
      code: grpc.status.UNKNOWN,
      details: "expected 1 macaroon, got 0",
    });
  });

  it("refuses another node's macaroon", async () => {
    const other = readFileSync(sim.nodes.peer.lnd_macaroon_path).toString("hex");
    expect(await getInfo(rawClient(cert(), other))).toEqual({
      code: grpc.status.UNKNOWN,
      details: "verification failed: signature mismatch after caveat verification",
    });
  });

  it("cannot be reached by a client that pins another certificate", async () => {
    const error = await getInfo(rawClient(createSelfSignedCert("stranger").certPem, macaroon()));
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("answers UNIMPLEMENTED for a method it does not simulate", async () => {
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      (rawClient(cert(), macaroon()) as unknown as Untyped).signMessage({ msg: Buffer.from("x") }, resolve),
    );
    expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
  });
});

describe("simulated lnd", () => {
  it("labels itself a simulator in getinfo", async () => {
    const info = await getWalletInfo({ lnd: sim.lnd.peer });
    expect(info.alias).toBe("peer (lvdao simulator)");
    expect(info.version).toContain("lvdao-simulator");
  });

  it("keeps a channel pending until its funding transaction has three confirmations", async () => {
    const { transaction_id } = await openChannel({
      lnd: sim.lnd.contributor,
      partner_public_key: sim.nodes.dao.pubkey,
      partner_socket: sim.nodes.dao.p2p_host,
      local_tokens: 250_000,
    });
    const isPending = async () =>
      (await getPendingChannels({ lnd: sim.lnd.contributor })).pending_channels.some(
        (c) => c.transaction_id === transaction_id,
      );
    const isOpen = async () =>
      (await getChannels({ lnd: sim.lnd.dao })).channels.some((c) => c.transaction_id === transaction_id);
    expect([await isPending(), await isOpen()]).toEqual([true, false]);
    await sim.mine(2);
    expect([await isPending(), await isOpen()]).toEqual([true, false]);
    await sim.mine(1);
    expect([await isPending(), await isOpen()]).toEqual([false, true]);
  });
});

describe("subscriptions", () => {
  it("streams the best block, then each new one", async () => {
    const heights: number[] = [];
    const subscription = subscribeToBlocks({ lnd: sim.lnd.dao });
    const seen = new Promise<void>((resolve) =>
      subscription.on("block", ({ height }: { height: number }) => {
        heights.push(height);
        if (heights.length === 3) resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const start = sim.simulation.chain.height;
    await sim.mine(2);
    await seen;
    subscription.removeAllListeners();
    expect(heights).toEqual([start, start + 1, start + 2]);
  });

  it("streams an invoice's updates until it settles", async () => {
    const invoice = await createInvoice({ lnd: sim.lnd.peer, tokens: 1000 });
    const states: boolean[] = [];
    const subscription = subscribeToInvoice({ lnd: sim.lnd.peer, id: invoice.id });
    const settled = new Promise<void>((resolve) =>
      subscription.on("invoice_updated", (update: { is_confirmed: boolean }) => {
        states.push(update.is_confirmed);
        if (update.is_confirmed) resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pay({ lnd: sim.lnd.dao, request: invoice.request, max_fee: 10 });
    await settled;
    expect(states).toEqual([false, true]);
  });

  it("cancels an open invoice, which can then not be paid", async () => {
    const invoice = await createInvoice({ lnd: sim.lnd.peer, tokens: 500 });
    await cancelHodlInvoice({ lnd: sim.lnd.peer, id: invoice.id });
    const error = await pay({ lnd: sim.lnd.dao, request: invoice.request, max_fee: 10 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).not.toBeNull();
  });
});

describe("hold invoices", () => {
  const secret = () => randomBytes(32).toString("hex");
  const hashOf = (preimage: string) => createHash("sha256").update(Buffer.from(preimage, "hex")).digest("hex");
  const heldOn = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      if ((await getInvoice({ lnd: sim.lnd.peer, id })).is_held) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  };

  it("holds the HTLC until settled with the preimage; the payer's payment completes then", async () => {
    const preimage = secret();
    const invoice = await createHodlInvoice({ lnd: sim.lnd.peer, id: hashOf(preimage), tokens: 700 });
    const before = (await getChannelBalance({ lnd: sim.lnd.dao })).channel_balance;
    let done = false;
    const payment = pay({ lnd: sim.lnd.dao, request: invoice.request, max_fee: 10 }).finally(() => (done = true));
    expect(await heldOn(invoice.id)).toBe(true);
    expect([done, (await getChannelBalance({ lnd: sim.lnd.dao })).channel_balance]).toEqual([false, before]);
    await settleHodlInvoice({ lnd: sim.lnd.peer, secret: preimage });
    expect((await payment).secret).toBe(preimage);
    expect((await getInvoice({ lnd: sim.lnd.peer, id: invoice.id })).is_confirmed).toBe(true);
    expect((await getChannelBalance({ lnd: sim.lnd.dao })).channel_balance).toBe(before - 700);
  });

  it("a held HTLC cancelled fails back: the payer's balance is as before", async () => {
    const preimage = secret();
    const invoice = await createHodlInvoice({ lnd: sim.lnd.peer, id: hashOf(preimage), tokens: 800 });
    const before = (await getChannelBalance({ lnd: sim.lnd.dao })).channel_balance;
    const payment = pay({ lnd: sim.lnd.dao, request: invoice.request, max_fee: 10 }).then(
      () => "paid",
      () => "failed",
    );
    expect(await heldOn(invoice.id)).toBe(true);
    await cancelHodlInvoice({ lnd: sim.lnd.peer, id: invoice.id });
    expect(await payment).toBe("failed");
    expect((await getInvoice({ lnd: sim.lnd.peer, id: invoice.id })).is_canceled).toBe(true);
    expect((await getChannelBalance({ lnd: sim.lnd.dao })).channel_balance).toBe(before);
  });

  it("refuses a preimage that is not the invoice's", async () => {
    const preimage = secret();
    const invoice = await createHodlInvoice({ lnd: sim.lnd.peer, id: hashOf(preimage), tokens: 300 });
    const payment = pay({ lnd: sim.lnd.dao, request: invoice.request, max_fee: 10 }).catch(() => undefined);
    expect(await heldOn(invoice.id)).toBe(true);
    const wrong = await settleHodlInvoice({ lnd: sim.lnd.peer, secret: secret() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(wrong).not.toBeNull();
    await cancelHodlInvoice({ lnd: sim.lnd.peer, id: invoice.id });
    await payment;
  });
});

describe("stop", () => {
  it("closes every port and removes nodes.json, certificates and macaroons", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lvdao-sim-"));
    const other = await startSimulators({ stateDir: dir, fundAndConnect: false });
    const socket = other.nodes.dao.lnd_socket;
    const cert = readFileSync(other.nodes.dao.lnd_cert_path);
    await other.stop();
    expect(existsSync(other.stackFile)).toBe(false);
    expect(existsSync(other.nodes.dao.lnd_macaroon_path)).toBe(false);
    const client = new Lightning(socket, grpc.credentials.createSsl(cert));
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.getInfo({}, { deadline: Date.now() + 5000 }, resolve),
    );
    client.close();
    // Nothing answers: refused at once, or (on a loaded machine) no connection before the deadline.
    expect([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED], `${error?.code} ${error?.details}`).toContain(
      error?.code,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
