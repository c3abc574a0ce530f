// Pure response mappers: what the client layer makes of daemon answers, and that a malformed answer is refused as
// UNEXPECTED_RESPONSE instead of leaking undefined into the relay.
import { describe, expect, it } from "vitest";
import { LightningError } from "./errors.ts";
import {
  feeRatesFromLnd,
  liquidityFromLnd,
  localPolicyFromLnd,
  openChannelsFromLnd,
  pendingChannelsFromLnd,
} from "./responses/lnd-channels.ts";
import { chainBalanceFromLnd, forwardsFromLnd, nodeInfoFromLnd, totalFeesMsat } from "./responses/lnd-node.ts";
import { liquidityParamsFromLoop, loopOutQuoteFromLoop, swapFromLoop, swapStartedFromLoop } from "./responses/loop.ts";
import { assetsFromTapd, balancesFromTapd, receivesFromTapd, transferFromTapd } from "./responses/tapd.ts";

const key = (n: number) => `02${n.toString(16).padStart(2, "0").repeat(32)}`;
const txid = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

const channel = {
  capacity: 1_000_000,
  id: "100x2x0",
  is_active: true,
  is_partner_initiated: false,
  is_private: false,
  local_balance: 600_000,
  partner_public_key: key(1),
  remote_balance: 396_530,
  transaction_id: txid(2),
  transaction_vout: 0,
  description: "lvdao:5",
};

function refused(map: () => unknown): LightningError {
  try {
    map();
  } catch (error) {
    if (error instanceof LightningError) return error;
    throw error;
  }
  throw new Error("the mapper accepted a malformed answer");
}

describe("channel mappers", () => {
  it("maps an open channel with its memo", () => {
    expect(openChannelsFromLnd({ channels: [channel] } as never)[0]).toEqual({
      state: "open",
      channel: { txid: txid(2), vout: 0 },
      id: "100x2x0",
      peerPubkey: key(1),
      capacitySats: 1_000_000,
      localSats: 600_000,
      remoteSats: 396_530,
      isPrivate: false,
      isActive: true,
      isOpener: true,
      memo: "lvdao:5",
      closingTxid: null,
    });
  });

  it("tells opening from closing pending channels", () => {
    const base = {
      ...channel,
      is_opening: false,
      is_closing: true,
      close_transaction_id: txid(9),
      local_reserve: 0,
      received: 0,
      remote_reserve: 0,
      sent: 0,
      is_timelocked: false,
    };
    const [closing, opening] = pendingChannelsFromLnd({
      pending_channels: [base, { ...base, is_opening: true, is_closing: false, close_transaction_id: undefined }],
    } as never);
    expect([closing?.state, closing?.closingTxid, opening?.state, opening?.closingTxid]).toEqual([
      "closing",
      txid(9),
      "opening",
      null,
    ]);
  });

  it("totals a liquidity scan", () => {
    const scan = liquidityFromLnd({
      channels: [channel, { ...channel, is_active: false, local_balance: 1, remote_balance: 2 }],
    } as never);
    expect([scan.localSats, scan.remoteSats, scan.capacitySats, scan.activeChannels]).toEqual([
      600_001, 396_532, 2_000_000, 1,
    ]);
  });

  it("restores lnd's sign for inbound fees (lightning reports discounts)", () => {
    const policy = {
      public_key: key(7),
      base_fee_mtokens: "1000",
      fee_rate: 10,
      cltv_delta: 40,
      min_htlc_mtokens: "1",
      max_htlc_mtokens: "990000000",
      inbound_base_discount_mtokens: "250",
      inbound_rate_discount: 30,
    };
    const edge = {
      id: "1x1x1",
      capacity: 1,
      transaction_id: txid(3),
      transaction_vout: 1,
      policies: [{ ...policy, public_key: key(8) }, policy],
    };
    expect(localPolicyFromLnd(edge as never, key(7))).toMatchObject({
      baseFeeMsat: 1000n,
      inboundBaseFeeMsat: -250,
      inboundFeeRatePpm: -30,
      maxHtlcMsat: 990_000_000n,
    });
    expect(refused(() => localPolicyFromLnd(edge as never, key(9))).reason).toMatch(/no policy of/);
    const rates = feeRatesFromLnd({
      channels: [
        {
          id: "1x1x1",
          transaction_id: txid(3),
          transaction_vout: 1,
          base_fee_mtokens: "0",
          fee_rate: 0,
          inbound_base_discount_mtokens: "0",
          inbound_rate_discount: 0,
        },
      ],
    } as never);
    expect(Object.is(rates[0]?.inboundBaseFeeMsat, -0)).toBe(false);
  });

  const malformed: Array<[string, () => unknown]> = [
    ["channels missing", () => openChannelsFromLnd({} as never)],
    [
      "a txid that is not hex",
      () => openChannelsFromLnd({ channels: [{ ...channel, transaction_id: "xyz" }] } as never),
    ],
    ["a negative balance", () => liquidityFromLnd({ channels: [{ ...channel, local_balance: -1 }] } as never)],
    ["a fractional capacity", () => liquidityFromLnd({ channels: [{ ...channel, capacity: 1.5 }] } as never)],
    [
      "a bad partner key",
      () => openChannelsFromLnd({ channels: [{ ...channel, partner_public_key: "04" + "00".repeat(32) }] } as never),
    ],
  ];
  it.each(malformed)("refuses %s", (_name, map) => {
    expect(refused(map)).toMatchObject({ code: "UNEXPECTED_RESPONSE", retryable: false });
  });
});

describe("node mappers", () => {
  it("maps getinfo and refuses one without a pubkey", () => {
    const info = {
      public_key: key(1),
      alias: "dao",
      version: "0.20.0-beta",
      current_block_height: 10,
      current_block_hash: "00",
      is_synced_to_chain: true,
      active_channels_count: 1,
      pending_channels_count: 0,
      peers_count: 2,
    };
    expect(nodeInfoFromLnd(info as never).blockHeight).toBe(10);
    expect(refused(() => nodeInfoFromLnd({ ...info, public_key: undefined } as never)).code).toBe(
      "UNEXPECTED_RESPONSE",
    );
  });

  it("reads wallet balances given as int64 strings", () => {
    expect(chainBalanceFromLnd({ confirmed_balance: "1000", unconfirmed_balance: "0" })).toEqual({
      confirmedSats: 1000,
      unconfirmedSats: 0,
    });
    expect(refused(() => chainBalanceFromLnd({ confirmed_balance: "1e3", unconfirmed_balance: "0" })).code).toBe(
      "UNEXPECTED_RESPONSE",
    );
  });

  it("sums forwarding fees in msat without losing precision", () => {
    const forward = (fee: string) => ({
      created_at: "2026-01-01T00:00:00.000Z",
      incoming_channel: "1x1x1",
      outgoing_channel: "2x1x1",
      mtokens: "1",
      fee_mtokens: fee,
    });
    const forwards = forwardsFromLnd({ forwards: [forward("9007199254740993"), forward("7")] } as never);
    expect(totalFeesMsat(forwards)).toBe(9_007_199_254_741_000n);
  });
});

describe("tapd mappers", () => {
  const asset = {
    asset_genesis: { asset_id: Buffer.alloc(32, 1), name: "LV" },
    amount: "18446744073709551615",
    asset_group: { tweaked_group_key: Buffer.alloc(33, 2) },
    chain_anchor: { anchor_outpoint: `${txid(4)}:1`, block_height: 12 },
    script_key: Buffer.alloc(33, 3),
    is_spent: false,
  };

  it("keeps uint64 asset amounts exact", () => {
    expect(assetsFromTapd({ assets: [asset] })[0]).toMatchObject({
      amount: 2n ** 64n - 1n,
      groupKey: "02".repeat(33),
      anchor: { txid: txid(4), vout: 1 },
    });
  });

  it("reads transfers' anchor hash in tapd's byte order", () => {
    const hash = Buffer.from(txid(5).slice(0, 62) + "ff", "hex");
    const transfer = {
      anchor_tx_hash: hash,
      label: "lvdao:3",
      transfer_timestamp: "1700000000",
      anchor_tx_chain_fees: "500",
      anchor_tx_block_height: 0,
      inputs: [],
      outputs: [],
    };
    expect(transferFromTapd(transfer).anchorTxid).toBe(Buffer.from(hash).reverse().toString("hex"));
  });

  it("maps receive statuses and refuses an unknown one", () => {
    const addr = {
      encoded: "taprt1qqqq",
      asset_id: Buffer.alloc(32, 1),
      group_key: Buffer.alloc(0),
      amount: "5",
      script_key: Buffer.alloc(33, 1),
      internal_key: Buffer.alloc(33, 1),
      proof_courier_addr: "universerpc://x",
    };
    const event = {
      addr,
      status: "ADDR_EVENT_STATUS_COMPLETED",
      outpoint: `${txid(6)}:0`,
      confirmation_height: 3,
      creation_time_unix_seconds: "1700000000",
    };
    expect(receivesFromTapd({ events: [event] })[0]).toMatchObject({ status: "completed", amount: 5n, groupKey: null });
    expect(refused(() => receivesFromTapd({ events: [{ ...event, status: "SOMETHING_NEW" }] })).code).toBe(
      "UNEXPECTED_RESPONSE",
    );
  });

  it("lists balances by key, sorted", () => {
    const balances = balancesFromTapd(
      { asset_group_balances: { bb: { balance: "2" }, aa: { balance: "1" } } },
      "group",
    );
    expect(balances.map((b) => [b.key, b.balance])).toEqual([
      ["aa", 1n],
      ["bb", 2n],
    ]);
  });
});

describe("loop mappers", () => {
  const swap = {
    amt: "250000",
    id: "",
    id_bytes: Buffer.alloc(32, 0xab).toString("base64"),
    type: "LOOP_OUT",
    state: "SUCCESS",
    failure_reason: "FAILURE_REASON_NONE",
    initiation_time: "1700000000123456789",
    last_update_time: "1700000001000000000",
    htlc_address: "bcrt1qold",
    htlc_address_p2wsh: "",
    htlc_address_p2tr: "bcrt1pnew",
    cost_server: "500",
    cost_onchain: "300",
    cost_offchain: "12",
    label: "lvdao:4",
  };

  it("maps a swap: id from id_bytes, nanosecond times, the taproot HTLC address first", () => {
    expect(swapFromLoop(swap, "t")).toMatchObject({
      id: "ab".repeat(32),
      initiatedAt: new Date(1_700_000_000_123),
      htlcAddress: "bcrt1pnew",
      costServerSats: 500,
    });
  });

  it("refuses unknown swap states and ids that are not hashes", () => {
    expect(refused(() => swapFromLoop({ ...swap, state: "PAUSED" }, "t")).code).toBe("UNEXPECTED_RESPONSE");
    expect(refused(() => swapStartedFromLoop({ id: "short", id_bytes: "" }, "t")).code).toBe("UNEXPECTED_RESPONSE");
  });

  it("reads a quote's payment destination from base64", () => {
    const quote = loopOutQuoteFromLoop({
      swap_fee_sat: "10",
      prepay_amt_sat: "1",
      htlc_sweep_fee_sat: "2",
      swap_payment_dest: Buffer.from(key(1), "hex").toString("base64"),
      cltv_delta: 100,
      conf_target: 9,
    });
    expect(quote.swapPaymentDest).toBe(key(1));
  });

  it("keeps every liquidity parameter loopd sent, for a later full replace", () => {
    const raw = {
      autoloop: false,
      autoloop_budget_sat: "0",
      autoloop_budget_refresh_period_sec: "604800",
      auto_max_in_flight: "1",
      min_swap_amount: "0",
      max_swap_amount: "0",
      fee_ppm: "0",
      rules: [],
      sweep_conf_target: 100,
      easy_autoloop: false,
    };
    const params = liquidityParamsFromLoop(raw);
    expect(params.raw).toEqual(raw);
    expect(params.budgetRefreshPeriodSec).toBe(604_800);
  });
});
