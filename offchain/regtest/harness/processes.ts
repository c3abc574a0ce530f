// Running the regtest daemons as child processes: free loopback ports, output to a log file per daemon, readiness
// probes that fail fast (with the log's tail) when the daemon dies, and stopping by pid (SIGTERM, then SIGKILL).
// Children of a test process are killed when that process exits, whatever happened; `regtest:up` starts them
// detached instead, and `regtest:down` stops them by the pids it recorded.
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";

/** `count` distinct free TCP ports on 127.0.0.1, held open together so none is handed out twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once("error", reject);
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  logPath: string;
  /** Set once the process has exited (its code, or the signal that ended it). */
  exit: { code: number | null; signal: string | null } | null;
  stop(timeoutMs?: number): Promise<void>;
}

const attached = new Set<ChildProcess>();
let exitHookInstalled = false;

const killAttached = () => {
  for (const child of attached) child.kill("SIGKILL");
};

/** Signals that end a process without an "exit" event unless it handles them. */
const FATAL_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a test process that ends without stopping its stack: no daemon outlives it. "exit" covers a
  // normal end, process.exit and an uncaught error; a signal needs its own handler, which kills the daemons and then
  // lets the signal end the process as it would have.
  process.once("exit", killAttached);
  for (const signal of FATAL_SIGNALS) {
    const onSignal = () => {
      // Someone else handles it (npm start stops its steps gracefully, then exits): "exit" still covers that.
      if (process.listenerCount(signal) > 1) return;
      killAttached();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

export function startProcess(options: {
  name: string;
  command: string;
  args: string[];
  logPath: string;
  detached?: boolean;
  cwd?: string;
}): ManagedProcess {
  const log = openSync(options.logPath, "a");
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    detached: options.detached ?? false,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid,
    logPath: options.logPath,
    exit: null,
    stop: (timeoutMs = 30_000) => stopPid(child.pid as number, timeoutMs, () => managed.exit !== null),
  };
  child.on("exit", (code, signal) => {
    managed.exit = { code, signal };
    attached.delete(child);
  });
  if (options.detached) child.unref();
  else {
    attached.add(child);
    installExitHook();
  }
  return managed;
}

/** Whether `pid` is a running process; an exited one its parent has not reaped yet (a zombie) counts as gone. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...", the state after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
export async function stopPid(
  pid: number,
  timeoutMs = 30_000,
  exited: () => boolean = () => !alive(pid),
): Promise<void> {
  const gone = () => exited() || !alive(pid);
  if (gone()) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (!gone()) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        return;
      }
      const killDeadline = Date.now() + 5_000;
      while (!gone() && Date.now() < killDeadline) await sleep(50);
      return;
    }
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function logTail(path: string, lines = 15): string {
  if (!existsSync(path)) return "(no log)";
  return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

export class DaemonStartError extends Error {
  override name = "DaemonStartError";
}

/**
 * Polls `probe` until it returns a value (not undefined); fails at once if `process` exits, or at the deadline,
 * with the probe's last error and the daemon's log tail.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { process?: ManagedProcess; timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let lastError: unknown;
  for (;;) {
    if (options.process?.exit) {
      const { code, signal } = options.process.exit;
      throw new DaemonStartError(
        `${options.process.name} exited (${signal ?? `code ${code}`}) while waiting for ${what}; ` +
          `last log lines:\n${logTail(options.process.logPath)}`,
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const tail = options.process
        ? `; last log lines of ${options.process.name}:\n${logTail(options.process.logPath)}`
        : "";
      throw new DaemonStartError(
        `timed out waiting for ${what}${lastError ? ` (${(lastError as Error).message})` : ""}${tail}`,
      );
    }
    await sleep(options.intervalMs ?? 200);
  }
}
