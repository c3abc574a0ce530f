// The relay's start-up file: wires config, journal, Stacks client, watcher, daemons, executor, the workers and the
// status server together, starts them in order, and registers a shutdown for each, run in reverse. `lvdao relay
// start` and the integration tests call startRelay.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { decodeRelayAction, type ActionDecoder } from "./actions.ts";
import type { RelayConfig } from "./config.ts";
import { bindDaemons } from "./daemons/bind.ts";
import { BtcdVault } from "./vault/bind.ts";
import { chainVaultKeys } from "./vault/chain-keys.ts";
import type { Daemons } from "./daemons/ports.ts";
import { Executor } from "./executor/executor.ts";
import { fenceDaemons, fencePort, type Fence } from "./ha/fence.ts";
import { Leadership } from "./ha/leadership.ts";
import { registerQueueEvents } from "./executor/queue-events.ts";
import { openJournal } from "./journal/open.ts";
import { utcDay } from "./journal/types.ts";
import { createLogger, type LogSink, type SecretRegistry } from "./log.ts";
import { RelayMetrics } from "./metrics.ts";
import type { RelayRuntime } from "./runtime.ts";
import { StacksClient } from "./stacks/client.ts";
import { EventRouter } from "./stacks/events.ts";
import { LogsWatcher } from "./stacks/logs-watcher.ts";
import { EventObserver } from "./stacks/observer.ts";
import { QueueContract } from "./stacks/queue.ts";
import { cachedListing, readChannelListing } from "./status/channels.ts";
import { journalLagSeconds, OPEN_STATES, overdueBlocks } from "./status/gauges.ts";
import { ChannelsUnavailable, startStatusServer } from "./status/http.ts";
import { buildStatus } from "./status/snapshot.ts";
import { WORKERS, type Worker } from "./workers.ts";
import { RelayEnablement } from "./stacks/enablement.ts";
import { Cl } from "@stacks/transactions";

export type { RelayRuntime };

/** How long a /channels answer is reused: the app asks on every new block, and a listing reads lnd's graph. */
const CHANNELS_CACHE_MS = 2_000;

export interface StartOptions {
  secrets: SecretRegistry;
  dryRun?: boolean;
  logSink?: LogSink;
  /** daemon clients to use instead of the configured ones (tests) */
  daemons?: Daemons;
  decode?: ActionDecoder;
  /** fetch for the Stacks client (fault-injection tests) */
  fetch?: typeof fetch;
  progress?: (line: string) => void;
}

export async function startRelay(config: RelayConfig, options: StartOptions): Promise<RelayRuntime> {
  const dryRun = options.dryRun ?? false;
  const progress = options.progress ?? (() => undefined);
  const log = createLogger({
    level: config.log.level,
    secrets: options.secrets,
    ...(options.logSink ? { sink: options.logSink } : {}),
  });
  const shutdowns: { name: string; run: () => Promise<void> }[] = [];
  const startedAt = Date.now();
  const stop = async (): Promise<void> => {
    for (const { name, run } of shutdowns.splice(0).reverse()) {
      await run().catch((error: unknown) =>
        log.warn("shutdown step failed", { step: name, error: (error as Error).message }),
      );
    }
    log.info("relay stopped");
  };

  try {
    // A dry run keeps its journal in memory: it must not leave state a real run would act on.
    const journal = await openJournal(config.journal, { inMemory: dryRun });
    shutdowns.push({ name: "journal", run: () => journal.close() });
    progress(`journal: ${dryRun ? "in memory (dry run)" : journal.backend}`);

    const metrics = new RelayMetrics();
    metrics.budgetLimit.set(config.limits.dailyOnchainBudgetSats);
    const stacks = new StacksClient({
      apiUrl: config.stacks.apiUrl,
      nodeUrl: config.stacks.nodeUrl,
      network: config.stacks.network,
      senderKey: config.stacks.relayKey,
      feeUstx: config.stacks.feeUstx,
      confirmations: config.stacks.confirmations,
      txTimeoutMs: config.stacks.txTimeoutMs,
      pollMs: config.stacks.txPollIntervalMs,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const queue = new QueueContract(stacks, config.stacks.deployer);
    // A dry run binds no daemon: nothing it does may reach one.
    const bound =
      options.daemons ?? (dryRun ? { lnd: undefined, loop: undefined, tapd: {} } : bindDaemons(config, log));
    shutdowns.push({ name: "daemons", run: async () => bound.close?.() });
    if (!options.daemons && !dryRun && config.vault) {
      bound.vault = new BtcdVault(config.vault, journal.jobs, chainVaultKeys(stacks, config.stacks.deployer));
      progress(`vault: channels funded from the DAO's vault (btcd ${config.vault.btcd.host})`);
    }
    const decode = options.decode ?? decodeRelayAction;
    const ha = config.ha.enabled && !dryRun;
    // Stable across restarts, so a restarted relay takes back the journal leases its previous process held at once.
    // With [ha], the relays of one group share it: only the leader acts, so the job leases of a leader that died
    // are its successor's at once (the leadership lease, held per process, keeps two from acting together).
    const owner = ha ? queue.relayAddress : `${queue.relayAddress}@${hostname()}`;
    let leadership: Leadership | undefined;
    const fence: Fence = {
      fenced: () => leadership?.fenced() ?? false,
      onFenced: (call) => void leadership?.depose(`a daemon call (${call}) found the fence shut`),
    };
    const daemons = ha ? fenceDaemons(bound, fence) : bound;
    metrics.leader.set(1);
    const enablement = new RelayEnablement({
      read: async () => {
        const answer = await stacks.readOnly(`${config.stacks.deployer}.execution-queue`, "is-relay", [
          Cl.principal(queue.relayAddress),
        ]);
        return answer.type === "true";
      },
      log: log.child({ part: "enablement" }),
      address: queue.relayAddress,
      ttlMs: config.stacks.pollIntervalMs,
    });
    const executor = new Executor({
      journal,
      queue: ha ? fencePort(queue, "stacks", fence) : queue,
      daemons,
      decode,
      config,
      log: log.child({ part: "executor" }),
      metrics,
      owner,
      dryRun,
      enablement,
    });

    const router = new EventRouter();
    registerQueueEvents(router, {
      journal,
      decode,
      limits: config.limits,
      log: log.child({ part: "events" }),
      now: Date.now,
      onWork: () => executor.poke(),
    });

    const watcher = new LogsWatcher({
      stacks,
      apiUrl: config.stacks.apiUrl,
      deployer: config.stacks.deployer,
      confirmations: config.stacks.confirmations,
      journal,
      router,
      log: log.child({ part: "watcher" }),
      metrics,
      pollIntervalMs: config.stacks.pollIntervalMs,
    });
    let observer: EventObserver | undefined;
    let statusUrl: string | undefined;
    let chainTip: { burnHeight: number; stacksHeight: number } | undefined;
    let lastTipAt = 0;
    const workers: Worker[] = [];

    const runtime: RelayRuntime = {
      config,
      log,
      journal,
      stacks,
      queue,
      enablement,
      router,
      daemons,
      executor,
      metrics,
      watcher,
      observer,
      workers,
      owner,
      dryRun,
      statusUrl,
      async status() {
        const workerStatus: Record<string, unknown> = {};
        for (const worker of workers) workerStatus[worker.name] = (await worker.status?.()) ?? { running: true };
        return buildStatus(journal, config, {
          address: queue.relayAddress,
          dryRun,
          startedAt,
          chain: chainTip,
          workers: workerStatus,
          ha: leadership?.status() ?? { role: "single" },
        });
      },
      stop,
    };

    for (const factory of WORKERS) {
      const worker = factory(runtime);
      if (worker) workers.push(worker);
    }

    if (!dryRun && !ha) {
      const recovered = await executor.recover();
      if (recovered > 0) progress(`recovery: reconciled ${recovered} interrupted action(s) with the daemons`);
    }

    if (config.stacks.events === "observer") {
      observer = new EventObserver({
        ...config.stacks.observerListen,
        deployer: config.stacks.deployer,
        confirmations: config.stacks.confirmations,
        router,
        log: log.child({ part: "observer" }),
      });
      runtime.observer = observer;
      const url = await observer.start();
      shutdowns.push({ name: "observer", run: () => observer!.stop() });
      progress(`events: observer listening on ${url}/new_block`);
      // Catch up on what happened while the relay was down; pushes carry everything after.
      await watcher
        .poll()
        .catch((error: unknown) => log.warn("catch-up poll failed", { error: (error as Error).message }));
    } else {
      watcher.start();
      shutdowns.push({ name: "watcher", run: () => watcher.stop() });
      progress(`events: polling ${config.stacks.apiUrl} every ${config.stacks.pollIntervalMs} ms`);
    }

    if (ha) {
      metrics.leader.set(0);
      const instance = `${queue.relayAddress}@${hostname()}#${process.pid}-${randomBytes(3).toString("hex")}`;
      const leaderLog = log.child({ part: "ha" });
      const started: { name: string; stop: () => Promise<void> }[] = [];
      leadership = new Leadership({
        table: journal.jobs,
        instance,
        leaseMs: config.ha.leaseMs,
        fenceMarginMs: config.ha.fenceMarginMs,
        log: leaderLog,
        // Reconcile what a previous leader left `executing` before anything runs, then act.
        onElected: async () => {
          const recovered = await executor.recover();
          if (recovered > 0) leaderLog.warn("reconciled interrupted actions as the new leader", { recovered });
          executor.start();
          started.push({ name: "executor", stop: () => executor.stop() });
          for (const worker of workers) {
            await worker.start();
            started.push({ name: worker.name, stop: () => worker.stop() });
          }
          metrics.leader.set(1);
          leaderLog.info("leading: executor and workers started", { recovered });
        },
        onDeposed: async () => {
          metrics.leader.set(0);
          metrics.leaseLost.inc({ worker: "leader" });
          for (const part of started.splice(0).reverse())
            await part.stop().catch((error: unknown) =>
              leaderLog.warn("could not stop a part on losing leadership", {
                part: part.name,
                error: (error as Error).message,
              }),
            );
          leaderLog.warn("standing by");
        },
      });
      metrics.leaseLost.inc({ worker: "leader" }, 0);
      const held = leadership;
      shutdowns.push({ name: "leadership", run: () => held.stop() });
      await leadership.start();
      progress(
        `ha: ${leadership.current === "leader" ? "leading" : "standing by"} (lease ${config.ha.leaseMs} ms, ` +
          `instance ${instance})`,
      );
    } else {
      executor.start();
      shutdowns.push({ name: "executor", run: () => executor.stop() });

      for (const worker of workers) {
        await worker.start();
        shutdowns.push({ name: worker.name, run: () => worker.stop() });
      }
    }

    const refreshGauges = async (): Promise<void> => {
      try {
        chainTip = await stacks.tip();
        lastTipAt = Date.now();
        metrics.chainTip.set(chainTip.burnHeight, { kind: "burn" });
        metrics.chainTip.set(chainTip.stacksHeight, { kind: "stacks" });
      } catch {
        // health reports a stale tip
      }
      metrics.budgetUsed.set(await journal.spend.spentOn(utcDay(Date.now())));
      for (const [state, count] of Object.entries(await journal.actions.countByState()))
        metrics.journalRows.set(count, { state });
      // Every open row, not list()'s newest 1,000: the longest-waiting action is among the oldest.
      if (chainTip)
        metrics.overdueBlocks.set(
          overdueBlocks(
            await journal.actions.list({ states: OPEN_STATES, limit: Number.MAX_SAFE_INTEGER }),
            chainTip.burnHeight,
          ),
        );
      // With pushes, the catch-up poll at start counts until the first pushed block is handled.
      const caughtUpAt = Math.max(observer?.caughtUpAt ?? 0, watcher.lastPollAt ?? 0) || undefined;
      metrics.journalLag.set(journalLagSeconds(caughtUpAt, startedAt, Date.now()));
    };
    if (config.http.enabled) {
      const lnd = daemons.lnd;
      const channels = lnd
        ? cachedListing(async () => {
            if (fence.fenced()) throw new ChannelsUnavailable("this relay stands by; ask the leading relay");
            return readChannelListing(lnd, journal.actions, Date.now());
          }, CHANNELS_CACHE_MS)
        : async () => {
            throw new ChannelsUnavailable(dryRun ? "a dry run binds no lnd" : "this relay has no [lnd] configured");
          };
      const server = await startStatusServer(
        config.http.listen,
        {
          status: () => runtime.status(),
          metrics: async () => {
            await refreshGauges();
            return metrics.registry.render();
          },
          health: async () => {
            await refreshGauges();
            const reasons: string[] = [];
            const staleAfter = Math.max(60_000, config.stacks.pollIntervalMs * 10);
            if (Date.now() - lastTipAt > staleAfter) reasons.push("the Stacks node has not answered recently");
            for (const worker of workers)
              if (worker.healthy && !worker.healthy()) reasons.push(`${worker.name} is not healthy`);
            return { ok: reasons.length === 0, reasons };
          },
          channels,
          ...(runtime.marketSeries ? { marketSeries: runtime.marketSeries } : {}),
        },
        log,
        { allowOrigins: config.http.allowOrigins, market: runtime.market },
      );
      statusUrl = server.url;
      runtime.statusUrl = server.url;
      shutdowns.push({ name: "status server", run: () => server.stop() });
      progress(`status: ${server.url}/status, /metrics, /healthz, /channels`);
    }

    log.info("relay started", {
      address: queue.relayAddress,
      dry_run: dryRun,
      journal: journal.backend,
      events: config.stacks.events,
      role: leadership?.current ?? "single",
    });
    return runtime;
  } catch (error) {
    await stop();
    throw error;
  }
}
