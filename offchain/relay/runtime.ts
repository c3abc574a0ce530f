// What a running relay is made of, as start.ts wires it: the workers (workers.ts) build themselves from it.
import type { RelayConfig } from "./config.ts";
import type { Daemons } from "./daemons/ports.ts";
import type { Executor } from "./executor/executor.ts";
import type { Worker } from "./jobs/runner.ts";
import type { Journal } from "./journal/types.ts";
import type { Logger } from "./log.ts";
import type { MarketApi } from "./market/http.ts";
import type { MarketSeriesJson } from "./market/market-series.ts";
import type { RelayMetrics } from "./metrics.ts";
import type { StacksClient } from "./stacks/client.ts";
import type { EventRouter } from "./stacks/events.ts";
import type { LogsWatcher } from "./stacks/logs-watcher.ts";
import type { EventObserver } from "./stacks/observer.ts";
import type { QueuePort } from "./stacks/queue.ts";

export interface RelayRuntime {
  config: RelayConfig;
  log: Logger;
  journal: Journal;
  stacks: StacksClient;
  queue: QueuePort;
  /** whether the DAO has this relay enabled: the executor and the monitors idle while it is not */
  enablement: { enabled(): Promise<boolean> };
  router: EventRouter;
  daemons: Daemons;
  executor: Executor;
  metrics: RelayMetrics;
  watcher: LogsWatcher;
  observer: EventObserver | undefined;
  workers: Worker[];
  /** this relay's name in journal leases: `<relay address>@<host>`, stable across restarts */
  owner: string;
  dryRun: boolean;
  statusUrl: string | undefined;
  /** the LV desk's HTTP API, served under /market by the status server, when the desk runs (workers.ts) */
  market?: MarketApi;
  /** GET /market/series, sampled from the desk when it runs (market/series-sampler.ts) */
  marketSeries?: () => Promise<MarketSeriesJson>;
  status(): Promise<unknown>;
  stop(): Promise<void>;
}
