// The robot's ports over real daemons, through the project's Lightning client layer (offchain/lightning): the same
// code drives a simulated node and a real regtest lnd/tapd. Permissions: invoices:read/write, offchain:read/write,
// info:read (lnd); addresses:write, assets:read (tapd).
import { decodePaymentRequest, type AuthenticatedLnd } from "lightning";
import {
  createInvoice,
  getChannelBalance,
  listAssetBalances,
  lookupInvoice,
  newAssetAddress,
  payInvoice,
} from "../lightning/index.ts";
import type { TapdClient } from "../lightning/connection/tapd.ts";
import { AgentError } from "./errors.ts";
import type { RobotLightning, RobotTapd } from "./ports.ts";

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function lndRobotLightning(
  lnd: AuthenticatedLnd,
  options: { invoiceExpirySeconds?: number } = {},
): RobotLightning {
  return {
    async createInvoice(sats, memo) {
      const created = await createInvoice({
        lnd,
        msat: sats * 1000n,
        description: memo,
        expirySeconds: options.invoiceExpirySeconds ?? 3600,
      });
      return { paymentHash: created.paymentHash, request: created.request, sats: created.msat / 1000n };
    },
    async invoiceState(paymentHash) {
      const invoice = await lookupInvoice({ lnd, paymentHash });
      return { settled: invoice.state === "settled", receivedSats: invoice.receivedMsat / 1000n };
    },
    async invoiceAmount(request) {
      const decoded = await decodePaymentRequest({ lnd, request });
      // A request without an amount is refused: a robot pays only what it agreed to.
      const msat = BigInt(decoded.mtokens ?? "0");
      if (msat <= 0n || msat % 1000n !== 0n)
        throw new AgentError("invoice-mismatch", `the request asks ${msat} msat, not a whole number of sats`);
      return msat / 1000n;
    },
    async pay(request, maxFeeSats) {
      const paid = await payInvoice({
        lnd,
        request,
        maxFeeSats: Number(maxFeeSats > MAX_SAFE ? MAX_SAFE : maxFeeSats),
      });
      return { paymentHash: paid.paymentHash, sats: paid.msat / 1000n, feeSats: ceilDiv(paid.feeMsat, 1000n) };
    },
    async liquidity() {
      const balance = await getChannelBalance({ lnd });
      return { inboundSats: balance.remoteMsat / 1000n, outboundSats: balance.localMsat / 1000n };
    },
  };
}

export function tapdRobotTapd(tapd: TapdClient): RobotTapd {
  return {
    async newAddress(groupKey, lv) {
      return (await newAssetAddress({ tapd, groupKey, amount: lv })).address;
    },
    async lvBalance(groupKey) {
      const balances = await listAssetBalances({ tapd, by: "group" });
      return balances.find((b) => b.key === groupKey)?.balance ?? 0n;
    },
  };
}

/** Fees are counted up to the next sat, so what a robot reports spent is never less than what it spent. */
function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
