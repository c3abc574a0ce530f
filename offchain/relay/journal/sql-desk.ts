// The LV desk's tables over the SQL driver (the types and the trade states: desk-types.ts). Amounts are decimal
// text, as in `spend`, so no driver rounds them.
import { num, strOrNull, type SqlDriver } from "./sql-driver.ts";
import {
  FINAL_STATES,
  VOID_STATES,
  type DeskQuote,
  type DeskStore,
  type DeskTrade,
  type OpenTradeResult,
  type TradePatch,
  type TradeState,
  type TradeSummary,
  type UnmatchedDeposit,
} from "./desk-types.ts";

export function deskSchema(big: string): string {
  return `
CREATE TABLE IF NOT EXISTS desk_quotes (
  id TEXT PRIMARY KEY, side TEXT NOT NULL, lv TEXT NOT NULL, sats TEXT NOT NULL, premium_bps TEXT NOT NULL,
  inbound_bps TEXT NOT NULL, group_key TEXT NOT NULL, expires_at ${big} NOT NULL, created_at ${big} NOT NULL);
CREATE TABLE IF NOT EXISTS desk_trades (
  id TEXT PRIMARY KEY, quote_id TEXT NOT NULL UNIQUE, side TEXT NOT NULL, state TEXT NOT NULL, lv TEXT NOT NULL,
  sats TEXT NOT NULL, premium_bps TEXT NOT NULL, period ${big} NOT NULL, tap_address TEXT NOT NULL,
  invoice TEXT NOT NULL, payment_hash TEXT NOT NULL, preimage TEXT, anchor_txid TEXT, fee_msat TEXT, detail TEXT,
  deadline ${big} NOT NULL, created_at ${big} NOT NULL, updated_at ${big} NOT NULL);
CREATE INDEX IF NOT EXISTS desk_trades_state ON desk_trades (state);
CREATE INDEX IF NOT EXISTS desk_trades_period ON desk_trades (period);
CREATE TABLE IF NOT EXISTS desk_unmatched (
  address TEXT NOT NULL, anchor TEXT NOT NULL, amount TEXT NOT NULL, trade_id TEXT, reason TEXT NOT NULL,
  seen_at ${big} NOT NULL, PRIMARY KEY (address, anchor));
CREATE TABLE IF NOT EXISTS desk_summaries (
  period ${big} PRIMARY KEY, trades TEXT NOT NULL, lv_volume TEXT NOT NULL, sats_volume TEXT NOT NULL,
  avg_premium_bps TEXT NOT NULL, trades_hash TEXT NOT NULL, txid TEXT, recorded_at ${big} NOT NULL)`;
}

const inList = (states: readonly TradeState[]): string => states.map((s) => `'${s}'`).join(", ");
/** Serializes period-limit checks across relays sharing one PostgreSQL journal (SQLite's BEGIN IMMEDIATE does it). */
const PERIOD_LOCK = 7344;

function tradeFrom(r: Record<string, unknown>): DeskTrade {
  return {
    id: String(r.id),
    quoteId: String(r.quote_id),
    side: String(r.side) as DeskTrade["side"],
    state: String(r.state) as TradeState,
    lv: BigInt(String(r.lv)),
    sats: BigInt(String(r.sats)),
    premiumBps: BigInt(String(r.premium_bps)),
    period: BigInt(String(r.period)),
    tapAddress: String(r.tap_address),
    invoice: String(r.invoice),
    paymentHash: String(r.payment_hash),
    preimage: strOrNull(r.preimage),
    anchorTxid: strOrNull(r.anchor_txid),
    feeMsat: r.fee_msat === null || r.fee_msat === undefined ? null : BigInt(String(r.fee_msat)),
    detail: strOrNull(r.detail),
    deadline: num(r.deadline),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

function quoteFrom(r: Record<string, unknown>): DeskQuote {
  return {
    id: String(r.id),
    side: String(r.side) as DeskQuote["side"],
    lv: BigInt(String(r.lv)),
    sats: BigInt(String(r.sats)),
    premiumBps: BigInt(String(r.premium_bps)),
    inboundBps: BigInt(String(r.inbound_bps)),
    groupKey: String(r.group_key),
    expiresAt: num(r.expires_at),
    createdAt: num(r.created_at),
  };
}

export class SqlDeskStore implements DeskStore {
  constructor(private readonly db: SqlDriver) {}

  async addQuote(q: DeskQuote): Promise<void> {
    await this.db.run(
      `INSERT INTO desk_quotes (id, side, lv, sats, premium_bps, inbound_bps, group_key, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        q.id,
        q.side,
        q.lv.toString(),
        q.sats.toString(),
        q.premiumBps.toString(),
        q.inboundBps.toString(),
        q.groupKey,
        q.expiresAt,
        q.createdAt,
      ],
    );
  }

  async quote(id: string): Promise<DeskQuote | undefined> {
    const rows = await this.db.all("SELECT * FROM desk_quotes WHERE id = ?", [id]);
    return rows[0] ? quoteFrom(rows[0]) : undefined;
  }

  openTrade(t: DeskTrade, maxPeriodLv: bigint): Promise<OpenTradeResult> {
    return this.db.transaction(async (tx) => {
      if (tx.dialect === "postgres") await tx.run("SELECT pg_advisory_xact_lock(?)", [PERIOD_LOCK]);
      const existing = await tx.all("SELECT * FROM desk_trades WHERE quote_id = ?", [t.quoteId]);
      if (existing[0]) return { outcome: "exists", trade: tradeFrom(existing[0]) } as const;
      const periodLv = await new SqlDeskStore(tx).periodLv(t.period);
      if (periodLv + t.lv > maxPeriodLv) return { outcome: "over-limit", periodLv } as const;
      await tx.run(
        `INSERT INTO desk_trades (id, quote_id, side, state, lv, sats, premium_bps, period, tap_address, invoice,
         payment_hash, preimage, anchor_txid, fee_msat, detail, deadline, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          t.id,
          t.quoteId,
          t.side,
          t.state,
          t.lv.toString(),
          t.sats.toString(),
          t.premiumBps.toString(),
          t.period,
          t.tapAddress,
          t.invoice,
          t.paymentHash,
          t.preimage,
          t.anchorTxid,
          t.feeMsat?.toString() ?? null,
          t.detail,
          t.deadline,
          t.createdAt,
          t.updatedAt,
        ],
      );
      return { outcome: "created", trade: t } as const;
    });
  }

  async trade(id: string): Promise<DeskTrade | undefined> {
    const rows = await this.db.all("SELECT * FROM desk_trades WHERE id = ?", [id]);
    return rows[0] ? tradeFrom(rows[0]) : undefined;
  }

  async tradeByQuote(quoteId: string): Promise<DeskTrade | undefined> {
    const rows = await this.db.all("SELECT * FROM desk_trades WHERE quote_id = ?", [quoteId]);
    return rows[0] ? tradeFrom(rows[0]) : undefined;
  }

  async transition(id: string, from: TradeState, to: TradeState, patch: TradePatch, now: number): Promise<boolean> {
    const sets = ["state = ?", "updated_at = ?"];
    const params: unknown[] = [to, now];
    if (patch.preimage !== undefined) sets.push("preimage = ?") && params.push(patch.preimage);
    if (patch.anchorTxid !== undefined) sets.push("anchor_txid = ?") && params.push(patch.anchorTxid);
    if (patch.feeMsat !== undefined) sets.push("fee_msat = ?") && params.push(patch.feeMsat?.toString() ?? null);
    if (patch.detail !== undefined) sets.push("detail = ?") && params.push(patch.detail);
    const changed = await this.db.run(`UPDATE desk_trades SET ${sets.join(", ")} WHERE id = ? AND state = ?`, [
      ...params,
      id,
      from,
    ]);
    return changed > 0;
  }

  async openTrades(): Promise<DeskTrade[]> {
    const rows = await this.db.all(
      `SELECT * FROM desk_trades WHERE state NOT IN (${inList(FINAL_STATES)}) ORDER BY created_at, id`,
    );
    return rows.map(tradeFrom);
  }

  async tradesInPeriod(period: bigint): Promise<DeskTrade[]> {
    const rows = await this.db.all("SELECT * FROM desk_trades WHERE period = ? ORDER BY id", [period]);
    return rows.map(tradeFrom);
  }

  async periodsWithTrades(): Promise<bigint[]> {
    const rows = await this.db.all("SELECT DISTINCT period FROM desk_trades ORDER BY period");
    return rows.map((r) => BigInt(String(r.period)));
  }

  async periodLv(period: bigint): Promise<bigint> {
    const rows = await this.db.all(
      `SELECT lv FROM desk_trades WHERE period = ? AND state NOT IN (${inList(VOID_STATES)})`,
      [period],
    );
    return rows.reduce((sum, r) => sum + BigInt(String(r.lv)), 0n);
  }

  async watchedSells(since: number): Promise<DeskTrade[]> {
    const rows = await this.db.all(
      `SELECT * FROM desk_trades WHERE side = 'sell' AND state IN (${inList(FINAL_STATES)}) AND updated_at >= ?
       ORDER BY id`,
      [since],
    );
    return rows.map(tradeFrom);
  }

  async addUnmatched(d: UnmatchedDeposit): Promise<boolean> {
    const changed = await this.db.run(
      `INSERT INTO desk_unmatched (address, anchor, amount, trade_id, reason, seen_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (address, anchor) DO NOTHING`,
      [d.address, d.anchor, d.amount.toString(), d.tradeId, d.reason, d.seenAt],
    );
    return changed > 0;
  }

  async unmatched(): Promise<UnmatchedDeposit[]> {
    const rows = await this.db.all("SELECT * FROM desk_unmatched ORDER BY seen_at, address, anchor");
    return rows.map((r) => ({
      address: String(r.address),
      anchor: String(r.anchor),
      amount: BigInt(String(r.amount)),
      tradeId: strOrNull(r.trade_id),
      reason: String(r.reason),
      seenAt: num(r.seen_at),
    }));
  }

  async recordSummary(s: TradeSummary): Promise<void> {
    await this.db.run(
      `INSERT INTO desk_summaries (period, trades, lv_volume, sats_volume, avg_premium_bps, trades_hash, txid,
       recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (period) DO UPDATE SET txid = excluded.txid, recorded_at = excluded.recorded_at`,
      [
        s.period,
        s.trades.toString(),
        s.lvVolume.toString(),
        s.satsVolume.toString(),
        s.avgPremiumBps.toString(),
        s.tradesHash,
        s.txid,
        s.recordedAt,
      ],
    );
  }

  async summaries(): Promise<TradeSummary[]> {
    const rows = await this.db.all("SELECT * FROM desk_summaries ORDER BY period");
    return rows.map((r) => ({
      period: BigInt(String(r.period)),
      trades: BigInt(String(r.trades)),
      lvVolume: BigInt(String(r.lv_volume)),
      satsVolume: BigInt(String(r.sats_volume)),
      avgPremiumBps: BigInt(String(r.avg_premium_bps)),
      tradesHash: String(r.trades_hash),
      txid: strOrNull(r.txid),
      recordedAt: num(r.recorded_at),
    }));
  }
}
