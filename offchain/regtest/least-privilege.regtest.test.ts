// Least privilege on real lnd: a macaroon baked (lnd's BakeMacaroon) with exactly the URIs `lvdao macaroon bake
// --kinds channel-open,fee-policy` prints carries the relay's own lnd calls for those kinds and its monitors
// (through the relay's lnd adapter, as the relay makes them), and lnd refuses a call outside it. With the same
// macaroon, docs/relay.md's lncli recipe recomputes the fee-policy evidence the adapter returned.
import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "../lightning/connection/grpc-call.ts";
import { LightningError, connectLnd, createAddress, listTowers, sendCoins } from "../lightning/index.ts";
import { Secret } from "../relay/config.ts";
import { LightningLnd } from "../relay/daemons/lnd.ts";
import { relayPermissions } from "../relay/daemons/permissions.ts";
import { runFeePolicyRecipe } from "../relay/test/fee-policy-recipe.ts";
import { findBinaries } from "./harness/binaries.ts";
import { startRegtest, type RegtestHandle } from "./harness/index.ts";
import type { Client } from "@grpc/grpc-js";

const KINDS = ["channel-open", "fee-policy"] as const;
let stack: RegtestHandle;
let dir: string;
let baked: string;
let relayLnd: LightningLnd;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "lvdao-least-privilege-"));
  stack = await startRegtest({ progress: () => undefined });
  const permissions = relayPermissions(KINDS).lnd.map((uri) => ({ entity: "uri", action: uri }));
  const answer = await unaryCall(
    stack.lnd.dao.default as unknown as Client,
    "bakeMacaroon",
    { permissions, root_key_id: "0" },
    { daemon: "lnd", action: "bakeMacaroon" },
  );
  baked = String(answer.macaroon);
  writeFileSync(join(dir, "relay.macaroon"), Buffer.from(baked, "hex"));
  const dao = stack.nodes.dao;
  relayLnd = LightningLnd.connect({
    socket: dao.lnd_socket,
    certPem: readFileSync(dao.lnd_cert_path, "utf8"),
    macaroon: new Secret(baked),
  });
});
afterAll(async () => {
  relayLnd?.close();
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a macaroon baked from `lvdao macaroon bake --kinds channel-open,fee-policy`", () => {
  let channel: { txid: string; vout: number };
  let evidenceText: string;

  it("carries channel-open's calls: list, connect, open, list once open", async () => {
    const peer = stack.nodes.peer;
    await relayLnd.listChannels();
    await relayLnd.connectPeer({ pubkey: peer.pubkey, host: peer.p2p_host });
    channel = await relayLnd.openChannel({
      pubkey: peer.pubkey,
      localSats: 1_000_000n,
      pushSats: 0n,
      private: false,
      memo: "lvdao:least-privilege",
      baseFeeMsat: 1000n,
      feePpm: 100n,
    });
    await stack.mine(6);
    let open = false;
    for (let i = 0; i < 60 && !open; i++) {
      open = (await relayLnd.listChannels()).some(
        (c) => c.outpoint.txid === channel.txid && c.outpoint.vout === channel.vout && c.state === "open",
      );
      if (!open) await new Promise((done) => setTimeout(done, 500));
    }
    expect(open).toBe(true);
  });

  it("carries fee-policy's call on every channel (channel-open's settle makes the same one)", async () => {
    let result: Awaited<ReturnType<LightningLnd["applyPolicy"]>> | undefined;
    for (let i = 0; i < 20 && !result; i++) {
      // lnd lists a channel open a moment before its own graph has the edge the policy read needs.
      result = await relayLnd
        .applyPolicy({
          target: "all",
          policy: {
            baseFeeMsat: 2000n,
            feeRatePpm: 250,
            cltvDelta: 80,
            inboundBaseDiscountMsat: 0,
            inboundFeeRateDiscountPpm: 25,
          },
        })
        .catch((error: Error) => {
          if (!/edge not found|not found/i.test(error.message)) throw error;
          return undefined;
        });
      if (!result) await new Promise((done) => setTimeout(done, 500));
    }
    expect(result?.failures).toEqual([]);
    expect(result?.applied.map((p) => `${p.channel.txid}:${p.channel.vout}`)).toContain(
      `${channel.txid}:${channel.vout}`,
    );
    evidenceText = result?.canonical ?? "";
    expect(evidenceText).toContain(`"${channel.txid}:${channel.vout}"`);
  });

  it("carries the monitors' and /channels' calls", async () => {
    await relayLnd.scanChannels();
    await relayLnd.chainBalanceSats();
    await relayLnd.forwards(new Date(Date.now() - 86_400_000), new Date());
    expect((await relayLnd.channelPolicies()).length).toBeGreaterThan(0);
  });

  it("is refused a call outside it: a new address, a send, the watchtower list", async () => {
    const dao = stack.nodes.dao;
    const lnd = connectLnd({ socket: dao.lnd_socket, certPath: dao.lnd_cert_path, macaroonHex: baked });
    const refusals = await Promise.all(
      [
        () => createAddress({ lnd, format: "p2wpkh" }),
        () => sendCoins({ lnd, address: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", sats: 10_000, label: "x" }),
        () => listTowers({ lnd }),
      ].map((call) =>
        call().then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );
    for (const refusal of refusals) {
      expect(refusal).toBeInstanceOf(LightningError);
      expect((refusal as LightningError).code).toBe("PERMISSION_DENIED");
    }
  });

  it("lets docs/relay.md's lncli recipe recompute the fee-policy evidence", () => {
    const dao = stack.nodes.dao;
    const bin = mkdtempSync(join(dir, "bin-"));
    // The recipe calls plain `lncli`, as an operator's configured one; this one points it at dao with the macaroon.
    writeFileSync(
      join(bin, "lncli"),
      `#!/bin/sh\nexec ${findBinaries().lncli} --network regtest --rpcserver ${dao.lnd_socket} ` +
        `--tlscertpath ${dao.lnd_cert_path} --macaroonpath ${join(dir, "relay.macaroon")} "$@"\n`,
    );
    chmodSync(join(bin, "lncli"), 0o755);
    // The recipe walks every open channel, as the policy above (target none: every channel) did.
    const recipe = runFeePolicyRecipe(bin);
    expect(recipe).toMatch(/^[0-9a-f]{64}$/);
    expect(recipe).toBe(createHash("sha256").update(evidenceText).digest("hex"));
  });
});
