// The audit's money trail as a table: a vault-funded open, a close to the vault and a loop-out to it pass; a funding
// input from elsewhere, a close to a foreign address (voted or by hand), a loop-out elsewhere and a vault spend
// without a decision are each one drift of their own kind.
import { describe, expect, it } from "vitest";
import type { Decisions } from "../cli/audit/decisions.ts";
import { moneyTrail, trailTxids, type MoneyView, type TrailTx } from "../cli/audit/money-trail.ts";
import type { VaultTx } from "../vault/port.ts";

const DEPOSIT = "d0".repeat(32);
const FUNDING = "f1".repeat(32);
const CLOSING = "c1".repeat(32);
const HAND = "aa".repeat(32);
const OUTSIDE = "ee".repeat(32);
const VAULT_ADDRESS = "bcrt1pvault0";
const FOREIGN = "bcrt1qforeign";
const PEER = `02${"aa".repeat(32)}`;

type Executed = Decisions["executed"][number];
const open = (id: bigint, txid: string): Executed => ({
  id,
  action: {
    kind: "channel-open",
    payload: {
      peer: PEER,
      host: "h:1",
      localSats: 500_000n,
      pushSats: 0n,
      private: false,
      baseFeeMsat: 1000n,
      feePpm: 100n,
      cltvDelta: 40n,
    },
  },
  evidenceHex: `${txid}00000000`,
});
const close = (id: bigint, closingTxid: string, force = false): Executed => ({
  id,
  action: { kind: "channel-close", payload: { txid: FUNDING, vout: 0, force, maxFeeRate: 10n } },
  evidenceHex: closingTxid,
});
const loopOut = (id: bigint, dest: string): Executed => ({
  id,
  action: { kind: "loop-out", payload: { amountSats: 250_000n, channel: null, dest, maxFeeSats: 5_000n } },
  evidenceHex: "55".repeat(32),
});

const vaultOut = (vout: number, sats: bigint) => ({
  vout,
  sats,
  address: VAULT_ADDRESS,
  vault: { index: vout, branch: 0 as const },
});
const otherOut = (vout: number, sats: bigint, address = FOREIGN) => ({ vout, sats, address, vault: undefined });

/** The vault: a deposit of two coins, one spent by the voted channel's funding (change back to the vault). */
const history: VaultTx[] = [
  { txid: DEPOSIT, confirmations: 10, spends: [], outputs: [vaultOut(0, 1_000_000n), vaultOut(1, 300_000n)] },
  {
    txid: FUNDING,
    confirmations: 5,
    spends: [{ txid: DEPOSIT, vout: 0, sats: 1_000_000n }],
    outputs: [otherOut(0, 500_000n, "bcrt1qchannel"), { ...vaultOut(1, 499_000n), vault: { index: 0, branch: 1 } }],
  },
];
const funding: TrailTx = { txid: FUNDING, inputs: [`${DEPOSIT}:0`], outputs: history[1]!.outputs };
const closing: TrailTx = { txid: CLOSING, inputs: [`${FUNDING}:0`], outputs: [vaultOut(2, 499_500n)] };

const view = (o: Partial<MoneyView> = {}): MoneyView => ({
  history,
  txs: new Map([
    [FUNDING, funding],
    [CLOSING, closing],
  ]),
  vaultDests: new Set([VAULT_ADDRESS]),
  closings: new Map([[`${FUNDING}:0`, CLOSING]]),
  ...o,
});

describe("moneyTrail", () => {
  it("finds no drift when every open was vault-funded, every close and loop-out paid the vault", () => {
    const executed = [open(1n, FUNDING), close(2n, CLOSING), loopOut(3n, VAULT_ADDRESS)];
    expect(moneyTrail(executed, view())).toEqual([]);
    expect(trailTxids(executed, view().closings)).toEqual([FUNDING, CLOSING]);
    expect(trailTxids(executed, new Map())).toEqual([FUNDING]);
  });

  const cases: Array<{ name: string; executed: Executed[]; view: MoneyView; kinds: string[]; actual: string }> = [
    {
      name: "a funding input that is not a vault coin",
      executed: [open(1n, FUNDING)],
      view: view({
        txs: new Map([[FUNDING, { ...funding, inputs: [`${DEPOSIT}:0`, `${OUTSIDE}:3`] }]]),
        closings: new Map(),
      }),
      kinds: ["channel-not-vault-funded"],
      actual: "1 of 2 input(s) not from the vault",
    },
    {
      name: "a funding transaction btcd does not know",
      executed: [open(1n, FUNDING)],
      view: view({ txs: new Map(), closings: new Map() }),
      kinds: ["channel-not-vault-funded"],
      actual: "unknown to btcd",
    },
    {
      name: "a cooperative close to a foreign address",
      executed: [open(1n, FUNDING), close(2n, CLOSING)],
      view: view({
        txs: new Map([
          [FUNDING, funding],
          [CLOSING, { ...closing, outputs: [otherOut(0, 499_500n)] }],
        ]),
      }),
      kinds: ["close-not-to-vault"],
      actual: `pays ${FOREIGN} 499500`,
    },
    {
      name: "a close by hand to a foreign address, with no channel-close voted",
      executed: [open(1n, FUNDING)],
      view: view({
        txs: new Map([
          [FUNDING, funding],
          [CLOSING, { ...closing, outputs: [otherOut(0, 499_500n)] }],
        ]),
      }),
      kinds: ["close-not-to-vault"],
      actual: `pays ${FOREIGN} 499500`,
    },
    {
      name: "a loop-out to an address outside the vault",
      executed: [open(1n, FUNDING), loopOut(3n, FOREIGN)],
      view: view(),
      kinds: ["loop-out-not-to-vault"],
      actual: FOREIGN,
    },
    {
      name: "a vault spend made by hand with both keys",
      executed: [open(1n, FUNDING)],
      view: view({
        history: [
          ...history,
          {
            txid: HAND,
            confirmations: 1,
            spends: [{ txid: DEPOSIT, vout: 1, sats: 300_000n }],
            outputs: [otherOut(0, 299_000n)],
          },
        ],
      }),
      kinds: ["vault-spend-not-decided"],
      actual: "spends 1 vault coin(s), 300000 sats, with no DAO decision",
    },
    {
      name: "the funding spend itself when its channel-open is not among the decisions",
      executed: [],
      view: view(),
      kinds: ["vault-spend-not-decided"],
      actual: "spends 1 vault coin(s), 1000000 sats, with no DAO decision",
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const drifts = moneyTrail(c.executed, c.view);
      expect(drifts.map((d) => d.kind)).toEqual(c.kinds);
      expect(drifts[0]!.actual).toBe(c.actual);
    });
  }

  it("does not ask a force close to pay the vault (lnd sweeps the commitment output to its wallet)", () => {
    const forced = { ...closing, outputs: [otherOut(0, 499_500n)] };
    expect(
      moneyTrail(
        [open(1n, FUNDING), close(2n, CLOSING, true)],
        view({
          txs: new Map([
            [FUNDING, funding],
            [CLOSING, forced],
          ]),
        }),
      ),
    ).toEqual([]);
  });
});
