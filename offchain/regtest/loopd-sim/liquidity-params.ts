// loopd's liquidity manager parameters (GET and POST /v1/liquidity/params): kept, checked the way loopd checks
// them, and returned in loopd's shape. Setting replaces every parameter, as in loopd. The simulator never
// dispatches swaps on its own, so it refuses `autoloop: true` instead of accepting a setting it would ignore: the
// relay's liquidity monitor does lvdao's autoloop-style rebalancing itself.
import { boolField, bytesField, int32Field, int64Field, invalid, LoopRpcError, stringField, toBase64 } from "./wire.ts";

interface Rule {
  channelId: bigint;
  swapType: "LOOP_OUT" | "LOOP_IN";
  pubkey: string;
  type: "UNKNOWN" | "THRESHOLD";
  incomingThreshold: number;
  outgoingThreshold: number;
}

const U64_FIELDS = [
  "fee_ppm",
  "sweep_fee_rate_sat_per_vbyte",
  "max_swap_fee_ppm",
  "max_routing_fee_ppm",
  "max_prepay_routing_fee_ppm",
  "max_prepay_sat",
  "max_miner_fee_sat",
  "failure_backoff_sec",
  "autoloop_budget_sat",
  "autoloop_budget_start_sec",
  "auto_max_in_flight",
  "min_swap_amount",
  "max_swap_amount",
  "autoloop_budget_refresh_period_sec",
  "autoloop_budget_last_refresh",
  "easy_autoloop_local_target_sat",
] as const;
type U64Field = (typeof U64_FIELDS)[number];

export interface LiquidityParameters {
  rules: Rule[];
  u64: Record<U64Field, bigint>;
  sweepConfTarget: number;
  htlcConfTarget: number;
  autoloop: boolean;
  easyAutoloop: boolean;
  fastSwapPublication: boolean;
  autoloopDestAddress: string;
  account: string;
  accountAddrType: "ADDRESS_TYPE_UNKNOWN" | "TAPROOT_PUBKEY";
}

/** loopd's defaults for a new client (liquidity.defaultParameters, with the fee categories rather than fee_ppm). */
export function defaultLiquidityParameters(nowSec = Math.floor(Date.now() / 1000)): LiquidityParameters {
  return {
    rules: [],
    u64: {
      fee_ppm: 0n,
      sweep_fee_rate_sat_per_vbyte: 250n,
      max_swap_fee_ppm: 5_000n,
      max_routing_fee_ppm: 10_000n,
      max_prepay_routing_fee_ppm: 5_000n,
      max_prepay_sat: 30_000n,
      max_miner_fee_sat: 15_000n,
      failure_backoff_sec: 86_400n,
      autoloop_budget_sat: 0n,
      autoloop_budget_start_sec: 0n,
      auto_max_in_flight: 1n,
      min_swap_amount: 0n,
      max_swap_amount: 0n,
      autoloop_budget_refresh_period_sec: 604_800n,
      autoloop_budget_last_refresh: BigInt(nowSec),
      easy_autoloop_local_target_sat: 0n,
    },
    sweepConfTarget: 100,
    htlcConfTarget: 6,
    autoloop: false,
    easyAutoloop: false,
    fastSwapPublication: false,
    autoloopDestAddress: "",
    account: "",
    accountAddrType: "ADDRESS_TYPE_UNKNOWN",
  };
}

export function liquidityParametersJson(params: LiquidityParameters): Record<string, unknown> {
  return {
    rules: params.rules.map((rule) => ({
      channel_id: rule.channelId.toString(),
      swap_type: rule.swapType,
      pubkey: toBase64(rule.pubkey),
      type: rule.type,
      incoming_threshold: rule.incomingThreshold,
      outgoing_threshold: rule.outgoingThreshold,
    })),
    ...Object.fromEntries(U64_FIELDS.map((field) => [field, params.u64[field].toString()])),
    sweep_conf_target: params.sweepConfTarget,
    htlc_conf_target: params.htlcConfTarget,
    autoloop: params.autoloop,
    easy_autoloop: params.easyAutoloop,
    fast_swap_publication: params.fastSwapPublication,
    autoloop_dest_address: params.autoloopDestAddress,
    account: params.account,
    account_addr_type: params.accountAddrType,
    easy_asset_params: {},
  };
}

function rule(value: unknown, index: number): Rule {
  if (!value || typeof value !== "object") throw invalid(`rules[${index}] must be an object`);
  const raw = value as Record<string, unknown>;
  const pubkey = bytesField(raw.pubkey, `rules[${index}].pubkey`);
  if (pubkey.length !== 0 && pubkey.length !== 33) throw invalid(`rules[${index}].pubkey must be 33 bytes`);
  const channelId = int64Field(raw.channel_id, `rules[${index}].channel_id`);
  if ((channelId === 0n) === (pubkey.length === 0))
    throw invalid("exactly one of channel_id or pubkey must be set for a rule");
  const type =
    raw.type === undefined || raw.type === 0
      ? "UNKNOWN"
      : raw.type === 1
        ? "THRESHOLD"
        : stringField(raw.type, `rules[${index}].type`);
  if (type !== "THRESHOLD") throw invalid(`unknown rule type: ${type}`);
  const swapType =
    raw.swap_type === undefined || raw.swap_type === 0
      ? "LOOP_OUT"
      : raw.swap_type === 1
        ? "LOOP_IN"
        : stringField(raw.swap_type, `rules[${index}].swap_type`);
  if (swapType !== "LOOP_OUT" && swapType !== "LOOP_IN") throw invalid(`unknown swap type: ${swapType}`);
  const incoming = int32Field(raw.incoming_threshold, `rules[${index}].incoming_threshold`);
  const outgoing = int32Field(raw.outgoing_threshold, `rules[${index}].outgoing_threshold`);
  if (incoming < 0 || incoming > 100 || outgoing < 0 || outgoing > 100)
    throw invalid("liquidity thresholds must be percentages");
  if (incoming + outgoing >= 100) throw invalid("combined incoming and outgoing thresholds must be < 100");
  return {
    channelId,
    swapType,
    pubkey: pubkey.toString("hex"),
    type,
    incomingThreshold: incoming,
    outgoingThreshold: outgoing,
  };
}

/** Parses a SetLiquidityParams body into the full new parameter set, or refuses it whole. */
export function parseLiquidityParameters(body: unknown): LiquidityParameters {
  const root = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  const raw = root.parameters;
  if (!raw || typeof raw !== "object") throw invalid("parameters are required");
  const p = raw as Record<string, unknown>;
  if (p.rules !== undefined && !Array.isArray(p.rules)) throw invalid("rules must be a list");
  const params: LiquidityParameters = {
    rules: ((p.rules as unknown[] | undefined) ?? []).map(rule),
    u64: Object.fromEntries(U64_FIELDS.map((field) => [field, int64Field(p[field], field)])) as Record<
      U64Field,
      bigint
    >,
    sweepConfTarget: int32Field(p.sweep_conf_target, "sweep_conf_target"),
    htlcConfTarget: int32Field(p.htlc_conf_target, "htlc_conf_target"),
    autoloop: boolField(p.autoloop, "autoloop"),
    easyAutoloop: boolField(p.easy_autoloop, "easy_autoloop"),
    fastSwapPublication: boolField(p.fast_swap_publication, "fast_swap_publication"),
    autoloopDestAddress: stringField(p.autoloop_dest_address, "autoloop_dest_address"),
    account: stringField(p.account, "account"),
    accountAddrType:
      p.account_addr_type === "TAPROOT_PUBKEY" || p.account_addr_type === 1 ? "TAPROOT_PUBKEY" : "ADDRESS_TYPE_UNKNOWN",
  };
  const keys = params.rules.map((r) => (r.pubkey ? `peer ${r.pubkey}` : `channel ${r.channelId}`));
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate) throw invalid(`duplicate rule for ${duplicate}`);
  if (params.sweepConfTarget < 2) throw invalid("confirmation target must be at least: 2");
  if (params.htlcConfTarget < 1) throw invalid("htlc confirmation target must be at least 1");
  const u = params.u64;
  const categories =
    u.sweep_fee_rate_sat_per_vbyte +
    u.max_swap_fee_ppm +
    u.max_routing_fee_ppm +
    u.max_prepay_routing_fee_ppm +
    u.max_prepay_sat +
    u.max_miner_fee_sat;
  if (u.fee_ppm !== 0n && categories !== 0n)
    throw invalid("fee_ppm cannot be set together with the individual fee categories");
  if (u.fee_ppm === 0n && categories === 0n) throw invalid("a fee limit is required: fee_ppm or the fee categories");
  if (
    u.fee_ppm > 1_000_000n ||
    u.max_swap_fee_ppm > 1_000_000n ||
    u.max_routing_fee_ppm > 1_000_000n ||
    u.max_prepay_routing_fee_ppm > 1_000_000n
  ) {
    throw invalid("ppm values must be at most 1000000");
  }
  if (u.max_swap_amount !== 0n && u.min_swap_amount > u.max_swap_amount)
    throw invalid("minimum swap amount must be less than maximum");
  if (params.autoloop || params.easyAutoloop) {
    throw new LoopRpcError(
      "the lvdao loop simulator does not dispatch swaps on its own: " +
        "autoloop and easy_autoloop must stay false (the relay's liquidity monitor rebalances)",
      3,
    );
  }
  return params;
}
