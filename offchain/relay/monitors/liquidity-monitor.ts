// The liquidity monitor: enforces the rebalance-policy in force on-chain (execution-queue.get-active-policy; its
// payload from get-action), autoloop-style (liquidity-rules.ts decides), and records each swap it makes with
// `report-autonomous`. Each swap is a job (jobs/store.ts), so a crash never swaps twice or records twice:
//   intent (written before loopd is called; label lvdao:auto:<policy>:<n>) -> started (swap hash)
//     -> reported (report-autonomous confirmed)
//   intent -> abandoned (after a restart, loopd has no swap with the label: nothing happened; decide again)
//   intent -> refused (loopd refused it: nothing happened)     started -> unrecorded (the chain refused the record)
import { Cl } from "@stacks/transactions";
import type { RebalancePolicy } from "../../actions/index.ts";
import { ERRORS, errorName } from "../../clarity/errors.ts";
import type { ActionDecoder } from "../actions.ts";
import type { RelayConfig } from "../config.ts";
import { SWAP_FINAL_STATES, type LndPort, type LoopPort, type SwapTerms } from "../daemons/ports.ts";
import { classify, PermanentFailure } from "../failure.ts";
import { JobStore, type Job, type Stored } from "../jobs/store.ts";
import type { TxSender } from "../jobs/tx-sender.ts";
import type { Journal } from "../journal/types.ts";
import { utcDay } from "../journal/types.ts";
import type { Logger } from "../log.ts";
import type { Counter, Gauge } from "../metrics.ts";
import type { QueuePort } from "../stacks/queue.ts";
import type { ActivePolicyOnChain, ContractView } from "../stacks/reads.ts";
import { planSwaps, type Decision, type SwapKind, type SwapPlan } from "./liquidity-rules.ts";

export interface SwapJob extends Job {
  state: "intent" | "started" | "reported" | "abandoned" | "refused" | "unrecorded";
  policyId: bigint;
  period: bigint;
  rule: string;
  kind: SwapKind;
  amountSats: bigint;
  maxFeeSats: bigint;
  label: string;
  dest: string | null;
  chanIds: string[];
  lastHop: string | null;
  decidedAt: number;
  swapHash: string | null;
  detail: string | null;
}

const OPEN_STATES: readonly SwapJob["state"][] = ["intent", "started"];
const COUNTED_STATES: readonly SwapJob["state"][] = ["intent", "started", "reported", "unrecorded"];
const QUEUE = ERRORS["execution-queue"];

export interface LiquidityMonitorOptions {
  journal: Journal;
  chain: ContractView;
  queue: Pick<QueuePort, "getAction" | "tip">;
  decode: ActionDecoder;
  tx: TxSender;
  deployer: string;
  lnd: LndPort;
  loop: LoopPort | undefined;
  config: {
    limits: Pick<RelayConfig["limits"], "maxLoopSats">;
    monitors: Pick<RelayConfig["monitors"], "maxAutonomousSatsPerDay">;
    recoveryGraceMs: number;
  };
  log: Logger;
  metrics?: MonitorMetrics;
  now?: () => number;
}

export interface MonitorMetrics {
  decisions: Counter;
  /** what the policy's budget has left this period, by policy */
  budgetLeft: Gauge;
  /** the policy's budget per period, by policy */
  budget: Gauge;
  /** the policy's rules by state: `within` its liquidity band, or `below` its min-inbound or min-outbound share */
  rules: Gauge;
}

export interface PolicyInForce {
  onChain: ActivePolicyOnChain;
  policy: RebalancePolicy;
}

export class LiquidityMonitor {
  private readonly jobs: JobStore<SwapJob>;
  private readonly now: () => number;
  private readonly policies = new Map<bigint, RebalancePolicy>();
  /** intent jobs this process wrote and is acting on: not to be reconciled as a crash's leftovers */
  private readonly acting = new Set<string>();
  lastDecisions: { rule: string; decision: string; detail: string }[] = [];
  lastPolicy: { id: string; period: string; budgetSats: string; budgetLeftSats: string } | null = null;

  constructor(private readonly o: LiquidityMonitorOptions) {
    this.now = o.now ?? Date.now;
    this.jobs = new JobStore<SwapJob>(o.journal.jobs, "swap:", this.now);
  }

  /** The policy in force on-chain, with its payload decoded (cached per id: a policy's payload never changes). */
  async policyInForce(): Promise<PolicyInForce | undefined> {
    const onChain = await this.o.chain.activePolicy();
    if (!onChain) return undefined;
    let policy = this.policies.get(onChain.id);
    if (!policy) {
      const action = await this.o.queue.getAction(onChain.id);
      if (!action) throw new Error(`active policy ${onChain.id} has no action on-chain`);
      const decoded = this.o.decode("rebalance-policy", action.payload);
      if (decoded.kind !== "rebalance-policy") throw new Error(`action ${onChain.id} is a ${decoded.kind}`);
      policy = decoded.payload;
      this.policies.set(onChain.id, policy);
    }
    return { onChain, policy };
  }

  async round(): Promise<void> {
    for (const stored of await this.jobs.list())
      if (OPEN_STATES.includes(stored.job.state) && !this.acting.has(stored.id)) await this.resume(stored);
    const inForce = await this.policyInForce();
    if (!inForce) {
      this.lastPolicy = null;
      this.lastDecisions = [{ rule: "*", decision: "no-policy", detail: "no rebalance-policy is in force on-chain" }];
      return;
    }
    const { decisions, period } = await this.decide(inForce);
    this.lastDecisions = [];
    for (const decision of decisions) {
      if (decision.swap) {
        const outcome = await this.swap(inForce, decision.swap, period);
        this.note(decision.rule, outcome.decision, outcome.detail);
      } else {
        this.note(decision.rule, decision.reason, decision.detail);
      }
    }
  }

  private note(rule: string, decision: string, detail: string): void {
    this.lastDecisions.push({ rule, decision, detail });
    this.o.metrics?.decisions.inc({ decision });
    if (decision === "loop-out" || decision === "loop-in")
      this.o.log.info("autonomous swap", { rule, decision, detail });
    else this.o.log.debug("no swap", { rule, reason: decision, detail });
  }

  /** Everything the rules need, read fresh: channels, our swaps in flight, budget left, loopd's terms. */
  async decide({ onChain, policy }: PolicyInForce): Promise<{ decisions: Decision[]; period: bigint }> {
    const { burnHeight } = await this.o.queue.tip();
    const period = (BigInt(burnHeight) - onChain.activatedAt) / onChain.budgetPeriod;
    const [channels, spentOnChain, jobs, swaps] = await Promise.all([
      this.o.lnd.scanChannels(),
      this.o.chain.autonomousSpent(onChain.id, period),
      this.jobs.list(),
      this.o.loop ? this.o.loop.listSwaps() : Promise.resolve([]),
    ]);
    const stateByLabel = new Map(swaps.map((s) => [s.label, s.state]));
    const ours = jobs.filter((j) => j.job.policyId === onChain.id && COUNTED_STATES.includes(j.job.state));
    const inFlightJobs = ours.filter(
      (j) => j.job.state === "intent" || !SWAP_FINAL_STATES.includes(stateByLabel.get(j.job.label) ?? "INITIATED"),
    );
    // Swaps made but not yet on-chain still take budget: the chain's figure lags them.
    const unrecorded = ours
      .filter((j) => j.job.period === period && (j.job.state === "intent" || j.job.state === "started"))
      .reduce((sum, j) => sum + j.job.amountSats, 0n);
    const budgetLeft = onChain.budgetSats - spentOnChain - unrecorded;
    const today = utcDay(this.now());
    const usedToday = jobs
      .filter((j) => COUNTED_STATES.includes(j.job.state) && utcDay(j.job.decidedAt) === today)
      .reduce((sum, j) => sum + j.job.amountSats, 0n);
    this.lastPolicy = {
      id: String(onChain.id),
      period: String(period),
      budgetSats: String(onChain.budgetSats),
      budgetLeftSats: String(budgetLeft > 0n ? budgetLeft : 0n),
    };
    this.o.metrics?.budgetLeft.set(budgetLeft > 0n ? budgetLeft : 0n, { policy: String(onChain.id) });
    this.o.metrics?.budget.set(onChain.budgetSats, { policy: String(onChain.id) });
    const terms = { out: await this.terms("out"), in: await this.terms("in") };
    const decisions = planSwaps({
      channels,
      policy,
      rulesInFlight: new Set(inFlightJobs.map((j) => j.job.rule)),
      inFlight: inFlightJobs.length,
      budgetLeftSats: budgetLeft > 0n ? budgetLeft : 0n,
      maxSwapSats: this.o.config.limits.maxLoopSats,
      operatorLeftSats:
        this.o.config.monitors.maxAutonomousSatsPerDay > usedToday
          ? this.o.config.monitors.maxAutonomousSatsPerDay - usedToday
          : 0n,
      terms,
    });
    // Every decision but liquidity-ok is for a rule outside the band, whether or not a swap could be made for it.
    const below = decisions.filter((d) => d.reason !== "liquidity-ok").length;
    this.o.metrics?.rules.set(below, { state: "below" });
    this.o.metrics?.rules.set(decisions.length - below, { state: "within" });
    return { decisions, period };
  }

  private async terms(type: "out" | "in"): Promise<SwapTerms | undefined> {
    if (!this.o.loop) return undefined;
    try {
      return await this.o.loop.terms(type);
    } catch (error) {
      this.o.log.warn("loopd did not give its swap terms", { type, error: classify(error).message });
      return undefined;
    }
  }

  /** Quotes, then journals the intent and starts the swap, then records it on-chain. */
  private async swap(
    { onChain }: PolicyInForce,
    plan: SwapPlan,
    period: bigint,
  ): Promise<{ decision: string; detail: string }> {
    const loop = this.o.loop!;
    const type = plan.kind === "loop-out" ? "out" : "in";
    const quoted = await loop.quoteFeeSats(type, plan.amountSats);
    if (quoted > plan.maxFeeSats)
      return {
        decision: "fees-too-high",
        detail:
          `a ${plan.kind} of ${plan.amountSats} sats is quoted at ${quoted} sats, ` +
          `the policy allows ${plan.maxFeeSats}`,
      };
    const dest = plan.kind === "loop-out" ? await this.o.lnd.newAddress() : null;
    const job = await this.createIntent(onChain.id, {
      state: "intent",
      policyId: onChain.id,
      period,
      rule: plan.rule.key,
      kind: plan.kind,
      amountSats: plan.amountSats,
      maxFeeSats: plan.maxFeeSats,
      label: "",
      dest,
      chanIds: plan.kind === "loop-out" ? plan.rule.channels.filter((c) => c.active).map((c) => c.chanId) : [],
      lastHop: plan.kind === "loop-in" ? plan.rule.peer : null,
      decidedAt: this.now(),
      swapHash: null,
      detail: `quoted ${quoted} sats`,
    });
    this.acting.add(job.id);
    try {
      const started = await this.start(job);
      if (started.job.state !== "started") {
        const detail =
          `loopd refused a ${plan.kind} of ${plan.amountSats} sats: ` + `${started.job.detail ?? "no reason given"}`;
        return { decision: /exceed the cap/.test(detail) ? "fees-too-high" : "swap-refused", detail };
      }
      await this.record(started);
      return {
        decision: plan.kind,
        detail: `${plan.amountSats} sats, fee cap ${plan.maxFeeSats}, quoted ${quoted}, swap ${started.job.swapHash}`,
      };
    } finally {
      this.acting.delete(job.id);
    }
  }

  private async createIntent(policyId: bigint, job: SwapJob): Promise<Stored<SwapJob>> {
    const taken = (await this.jobs.list()).filter((j) => j.job.policyId === policyId).length;
    for (let n = taken + 1; ; n++) {
      const id = `${policyId}:${n}`;
      const withLabel = { ...job, label: `lvdao:auto:${id}` };
      if (await this.jobs.create(id, withLabel)) return (await this.jobs.get(id))!;
    }
  }

  /** intent -> started (or refused): the one loopd call, carrying the label. */
  private async start(job: Stored<SwapJob>): Promise<Stored<SwapJob>> {
    const loop = this.o.loop!;
    const { amountSats, label, maxFeeSats } = job.job;
    try {
      const { swapHash } =
        job.job.kind === "loop-out"
          ? await loop.loopOut({
              amountSats,
              dest: job.job.dest!,
              outgoingChanIds: job.job.chanIds,
              label,
              maxTotalFeeSats: maxFeeSats,
            })
          : await loop.loopIn({
              amountSats,
              lastHop: job.job.lastHop ?? undefined,
              label,
              maxTotalFeeSats: maxFeeSats,
            });
      return this.jobs.move(job, { ...job.job, state: "started", swapHash });
    } catch (error) {
      const failure = classify(error);
      // A refusal leaves nothing behind; anything else (a timeout) may have started the swap: reconcile later.
      if (failure instanceof PermanentFailure)
        return this.jobs.move(job, { ...job.job, state: "refused", detail: failure.reason });
      throw error;
    }
  }

  /** started -> reported: report-autonomous with the swap hash as evidence. */
  private async record(job: Stored<SwapJob>): Promise<Stored<SwapJob>> {
    const { current, outcome } = await this.o.tx.run(this.jobs, job, {
      contractId: `${this.o.deployer}.execution-queue`,
      functionName: "report-autonomous",
      args: [
        Cl.uint(job.job.policyId),
        Cl.stringAscii(job.job.kind),
        Cl.uint(job.job.amountSats),
        Cl.buffer(Buffer.from(job.job.swapHash!, "hex")),
      ],
    });
    if (outcome.status === "success")
      return this.jobs.move(current, { ...current.job, state: "reported", tx: undefined });
    if (outcome.status === "dropped")
      throw new Error(`report-autonomous for ${job.job.label} was dropped (${outcome.reason}); sending it again`);
    const code = outcome.errorCode;
    if (code === QUEUE.ERR_NOT_RELAY || code === undefined)
      throw new Error(`report-autonomous for ${job.job.label} failed: ${outcome.resultRepr}`);
    this.o.log.error("the chain refused to record an autonomous swap that was made", {
      label: job.job.label,
      swap: job.job.swapHash,
      error: errorName(code) ?? outcome.resultRepr,
    });
    return this.jobs.move(current, {
      ...current.job,
      state: "unrecorded",
      tx: undefined,
      detail: errorName(code) ?? outcome.resultRepr,
    });
  }

  /** A job a previous process left open: find its swap by label, or give it up once the grace period is over. */
  private async resume(job: Stored<SwapJob>): Promise<void> {
    if (job.job.state === "started") {
      await this.record(job);
      return;
    }
    if (!this.o.loop) return;
    const found = (await this.o.loop.listSwaps()).find((s) => s.label === job.job.label);
    if (found) {
      this.o.log.warn("recovered an autonomous swap after a restart", { label: job.job.label, swap: found.swapHash });
      await this.record(await this.jobs.move(job, { ...job.job, state: "started", swapHash: found.swapHash }));
    } else if (this.now() >= job.job.decidedAt + this.o.config.recoveryGraceMs) {
      await this.jobs.move(job, {
        ...job.job,
        state: "abandoned",
        detail: "no swap with this label in loopd after a restart",
      });
    }
  }

  async details(): Promise<Record<string, unknown>> {
    const jobs = await this.jobs.list();
    const byState: Record<string, number> = {};
    for (const j of jobs) byState[j.job.state] = (byState[j.job.state] ?? 0) + 1;
    return { policy: this.lastPolicy, swaps: byState, lastDecisions: this.lastDecisions };
  }
}
