// lnd's PSBT funding flow on real lnd (startRegtest): a channel started with openChannelForPsbt, funded by a
// transaction built outside the channel open (here lnd's own wallet builds and signs it, standing in for the vault),
// found by its memo, closed cooperatively to the upfront shutdown address; a cancelled pending channel cannot be
// funded; bad input is refused before any call.
import { fundPsbt, signPsbt } from "lightning";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRegtest, type RegtestHandle } from "../regtest/harness/index.ts";
import * as L from "./index.ts";
import { eventually } from "./test/stack.ts";

let stack: RegtestHandle;

beforeAll(async () => {
  stack = await startRegtest();
});

afterAll(async () => {
  await stack?.stop();
});

/** lnd's wallet pays the pending channel's funding output: a signed, finalized PSBT in hex. */
async function walletFunding(pending: L.PendingChannel): Promise<string> {
  const funded = await fundPsbt({
    lnd: stack.lnd.dao,
    outputs: [{ address: pending.fundingAddress, tokens: pending.fundingSats }],
    fee_tokens_per_vbyte: 2,
  });
  const signed = await signPsbt({ lnd: stack.lnd.dao, psbt: funded.psbt });
  return signed.psbt;
}

describe("a channel funded through lnd's PSBT flow", () => {
  const memo = L.channelMemo(5_001);
  let closeAddress: string;
  let funding: L.Outpoint;

  it("is pending under the answered address and amount, then opening with its memo once funded", async () => {
    closeAddress = await stack.newAddress("contributor");
    const pending = await L.openChannelForPsbt({
      lnd: stack.lnd.dao,
      peerPubkey: stack.nodes.peer.pubkey,
      localSats: 1_500_000,
      pushSats: 0,
      isPrivate: false,
      memo,
      closeAddress,
    });
    expect(pending.fundingSats).toBe(1_500_000);
    // A P2WSH 2-of-2 (anchor channels), not the vault's Taproot.
    expect(pending.fundingAddress).toMatch(/^bcrt1q[02-9ac-hj-np-z]{58}$/);
    expect(await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo })).toEqual([]);
    await L.fundPendingChannel({
      lnd: stack.lnd.dao,
      pendingChannelId: pending.pendingChannelId,
      signedPsbtHex: await walletFunding(pending),
    });
    const opening = await eventually(
      async () => {
        const found = await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo });
        return found.length > 0 ? found : undefined;
      },
      { what: "the funded channel to be listed" },
    );
    expect(opening.map((c) => [c.state, c.capacitySats, c.memo])).toEqual([["opening", 1_500_000, memo]]);
    funding = opening[0]!.channel;
    const mempool = await stack.bitcoin.rpc.call<string[]>("getrawmempool");
    expect(mempool).toContain(funding.txid);
    await stack.mine(3);
    await eventually(
      async () => {
        const found = await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo });
        return found[0]?.state === "open" && found[0].isActive ? found : undefined;
      },
      { what: "the channel to be active", mine: () => stack.mine(1) },
    );
  });

  it("closes cooperatively to the upfront shutdown address only", async () => {
    const elsewhere = await stack.newAddress("dao");
    await expect(
      L.closeChannel({ lnd: stack.lnd.dao, channel: funding, force: false, maxFeeRate: 10, address: elsewhere }),
    ).rejects.toMatchObject({
      code: "DAEMON_REFUSED",
      reason: expect.stringContaining("shutdown script does not match upfront shutdown script"),
    });
    const { closingTxid } = await L.closeChannel({
      lnd: stack.lnd.dao,
      channel: funding,
      force: false,
      maxFeeRate: 10,
      address: closeAddress,
    });
    const tx = await stack.bitcoin.rpc.call<{ vout: { scriptPubKey: { address?: string } }[] }>("getrawtransaction", [
      closingTxid,
      1,
    ]);
    expect(tx.vout.map((o) => o.scriptPubKey.address)).toContain(closeAddress);
    await stack.mine(1);
  });
});

describe("a cancelled pending channel", () => {
  it("cannot be funded afterwards", async () => {
    const pending = await L.openChannelForPsbt({
      lnd: stack.lnd.dao,
      peerPubkey: stack.nodes.peer.pubkey,
      localSats: 300_000,
      pushSats: 0,
      isPrivate: true,
      memo: L.channelMemo(5_002),
    });
    const signed = await walletFunding(pending);
    await L.cancelPendingChannel({ lnd: stack.lnd.dao, pendingChannelId: pending.pendingChannelId });
    const refused = await L.fundPendingChannel({
      lnd: stack.lnd.dao,
      pendingChannelId: pending.pendingChannelId,
      signedPsbtHex: signed,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(L.LightningError);
    expect(refused).toMatchObject({
      code: "DAEMON_REFUSED",
      retryable: false,
      reason: expect.stringContaining(`no funding intent found for pendingChannelID(${pending.pendingChannelId})`),
    });
    expect(await L.findChannelsByMemo({ lnd: stack.lnd.dao, memo: L.channelMemo(5_002) })).toEqual([]);
  });
});

describe("bad input", () => {
  it("is refused before calling lnd, with INVALID_ARGUMENT", async () => {
    const lnd = stack.lnd.dao;
    const peerPubkey = stack.nodes.peer.pubkey;
    const base = { lnd, peerPubkey, localSats: 100_000, pushSats: 0, isPrivate: false, memo: "lvdao:1" };
    const cases: Array<[string, () => Promise<unknown>]> = [
      ["channel below 20000 sats", () => L.openChannelForPsbt({ ...base, localSats: 19_999 })],
      ["push equal to the channel", () => L.openChannelForPsbt({ ...base, pushSats: 100_000 })],
      [
        "legacy close address",
        () => L.openChannelForPsbt({ ...base, closeAddress: "mzBc4XEFSdzCDcTxAgf6EZXgsZWpztRhef" }),
      ],
      ["short pending id", () => L.fundPendingChannel({ lnd, pendingChannelId: "ab", signedPsbtHex: "70736274ff00" })],
      ["not a psbt", () => L.fundPendingChannel({ lnd, pendingChannelId: "00".repeat(32), signedPsbtHex: "0200" })],
      ["cancel with a bad id", () => L.cancelPendingChannel({ lnd, pendingChannelId: "zz".repeat(32) })],
      [
        "force close to an address",
        () =>
          L.closeChannel({
            lnd,
            channel: { txid: "00".repeat(32), vout: 0 },
            force: true,
            maxFeeRate: 10,
            address: "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080",
          }),
      ],
    ];
    for (const [name, call] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect([name, (error as L.LightningError).code]).toEqual([name, "INVALID_ARGUMENT"]);
    }
  });
});
