// A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text exposition format
// for GET /metrics. The relay's own metric names are declared once in RelayMetrics; the monitors add theirs with
// the same primitives.

type Labels = Record<string, string>;
const labelKey = (labels: Labels): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]!.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");
const series = (name: string, key: string): string => (key ? `${name}{${key}}` : name);

interface Metric {
  render(): string[];
}

export class Counter implements Metric {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values].map(([k, v]) => `${series(this.name, k)} ${v}`),
    ];
  }
}

export class Gauge implements Metric {
  private readonly values = new Map<string, number | bigint>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  set(value: number | bigint, labels: Labels = {}): void {
    this.values.set(labelKey(labels), value);
  }
  get(labels: Labels = {}): number | bigint | undefined {
    return this.values.get(labelKey(labels));
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...[...this.values].map(([k, v]) => `${series(this.name, k)} ${v}`),
    ];
  }
}

export class Histogram implements Metric {
  private readonly data = new Map<string, { buckets: number[]; sum: number; count: number; labels: Labels }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    const entry = this.data.get(key) ?? { buckets: this.bounds.map(() => 0), sum: 0, count: 0, labels };
    this.bounds.forEach((bound, i) => {
      if (value <= bound) entry.buckets[i]!++;
    });
    entry.sum += value;
    entry.count++;
    this.data.set(key, entry);
  }
  count(labels: Labels = {}): number {
    return this.data.get(labelKey(labels))?.count ?? 0;
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { buckets, sum, count, labels } of this.data.values()) {
      this.bounds.forEach((bound, i) => {
        lines.push(`${this.name}_bucket{${labelKey({ ...labels, le: String(bound) })}} ${buckets[i]}`);
      });
      lines.push(`${this.name}_bucket{${labelKey({ ...labels, le: "+Inf" })}} ${count}`);
      lines.push(`${series(`${this.name}_sum`, labelKey(labels))} ${sum}`);
      lines.push(`${series(`${this.name}_count`, labelKey(labels))} ${count}`);
    }
    return lines;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return `${this.metrics.flatMap((m) => m.render()).join("\n")}\n`;
  }
}

/** The relay's metrics (names are part of its operator interface; see docs/relay.md). */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly actions = this.registry.register(
    new Counter("lvdao_relay_actions_total", "Actions finished by this relay, by kind and outcome"),
  );
  readonly daemonSeconds = this.registry.register(
    new Histogram("lvdao_relay_daemon_call_seconds", "Daemon call latency, by daemon and method"),
  );
  readonly daemonErrors = this.registry.register(
    new Counter("lvdao_relay_daemon_errors_total", "Daemon calls that failed, by daemon, method and class"),
  );
  readonly processingSeconds = this.registry.register(
    new Histogram(
      "lvdao_relay_processing_seconds",
      "The relay's own processing per job step, excluding waits for confirmations and daemons",
    ),
  );
  readonly budgetUsed = this.registry.register(
    new Gauge("lvdao_relay_onchain_budget_used_sats", "On-chain sats spent today (UTC)"),
  );
  readonly budgetLimit = this.registry.register(
    new Gauge("lvdao_relay_onchain_budget_sats", "The operator's daily on-chain budget"),
  );
  readonly cursorLag = this.registry.register(
    new Gauge("lvdao_relay_cursor_lag", "Contract events not yet processed, by source"),
  );
  readonly journalRows = this.registry.register(new Gauge("lvdao_relay_journal_rows", "Journal rows by state"));
  readonly chainTip = this.registry.register(
    new Gauge("lvdao_relay_chain_tip", "Last seen chain heights, by kind (burn, stacks)"),
  );
  readonly actionSeconds = this.registry.register(
    new Histogram(
      "lvdao_relay_action_seconds",
      "From an action entering the journal to its receipt confirmed, by kind",
      [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 14400],
    ),
  );
  readonly overdueBlocks = this.registry.register(
    new Gauge(
      "lvdao_relay_action_overdue_blocks",
      "Burn blocks since the eta of the longest-waiting open action (0 when none is past its eta)",
    ),
  );
  readonly journalLag = this.registry.register(
    new Gauge(
      "lvdao_relay_journal_lag_seconds",
      "Seconds since the journal last held every confirmed contract event the chain had",
    ),
  );
  readonly leaseLost = this.registry.register(
    new Counter("lvdao_relay_lease_lost_total", "Leases lost while their job was still running, by worker"),
  );
  readonly leader = this.registry.register(
    new Gauge("lvdao_relay_leader", "1 while this relay acts (it leads its [ha] group, or runs alone), 0 on standby"),
  );
  readonly liquiditySats = this.registry.register(
    new Gauge(
      "lvdao_relay_liquidity_sats",
      "The node's liquidity at the last snapshot, by side (onchain, outbound, inbound)",
    ),
  );
  readonly channels = this.registry.register(
    new Gauge("lvdao_relay_channels", "The node's open channels at the last liquidity snapshot"),
  );
  readonly lvHeld = this.registry.register(
    new Gauge("lvdao_relay_lv_held_units", "LV base units held at the last liquidity snapshot, by wallet"),
  );
  readonly lvMinted = this.registry.register(
    new Gauge("lvdao_relay_lv_minted_units", "LV base units minted by the revenue epochs this journal recorded"),
  );
  readonly revenueEpoch = this.registry.register(
    new Gauge("lvdao_relay_revenue_epoch", "The newest revenue epoch this journal recorded on-chain"),
  );
}
