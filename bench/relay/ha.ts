// (h) High availability: two `lvdao relay start` processes with [ha] enabled on one PostgreSQL journal (a real
// server on loopback) in front of the node emulation and the simulators.
//   failover: the leader is SIGKILLed N times (--ha-kills, default 20); each time, from the kill to the standby's
//             "leading" line (lease ran out, the standby's poll took it, recover() reconciled, executor started);
//             p50 and p95 against the configured lease (--ha-lease-ms, default 3000) as baseline. The dead relay comes
//             back as the next standby.
//   RSS:      two relays on one PostgreSQL (leader + standby, summed) against one relay alone on it, same run.
import { readFileSync } from "node:fs";
import { spawnLvdao, type RelayProcess } from "../../offchain/relay/test/cli-process.ts";
import { startIntegrationStack } from "../../offchain/relay/test/integration-stack.ts";
import { startTestPostgres } from "../../offchain/relay/test/postgres.ts";
import { freshDatabase, leads, standsBy, withHa } from "../../offchain/relay/test/ha-support.ts";
import { progress, quantile, report } from "./figures.ts";

const SETTLE_MS = 5_000;

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`/proc/${pid}/status has no VmRSS`);
  return Number(match[1]) / 1024;
}

export async function haFigures(kills: number, leaseMs: number): Promise<void> {
  console.log(
    `\n(h) high availability: ${kills} leader kills, lease ${leaseMs} ms; RSS of two relays on one PostgreSQL`,
  );
  const [stack, postgres] = await Promise.all([startIntegrationStack("bench-ha"), startTestPostgres()]);
  const relays: RelayProcess[] = [];
  try {
    const journalUrl = await freshDatabase(postgres, "bench_ha");
    const configs = ["bench-ha-a", "bench-ha-b"].map((name) => {
      return withHa(stack.writeConfig(name, { monitors: { enabled: false } }), journalUrl, leaseMs);
    });
    const spawn = (config: string): RelayProcess => {
      const relay = spawnLvdao(["relay", "start", "--config", config]);
      relays.push(relay);
      return relay;
    };
    let leader = spawn(configs[0]!);
    await leads(leader, 0);
    await new Promise((settled) => setTimeout(settled, SETTLE_MS));
    const alone = rssMb(leader.child.pid!);
    let standby = spawn(configs[1]!);
    await standsBy(standby);
    await new Promise((settled) => setTimeout(settled, SETTLE_MS));
    const pair = rssMb(leader.child.pid!) + rssMb(standby.child.pid!);
    report({
      name: "RSS, two relays on one PostgreSQL (sum)",
      value: pair,
      unit: "MB",
      baselineName: "one relay",
      baseline: alone,
    });

    const failovers: number[] = [];
    for (let i = 0; i < kills; i++) {
      // A kill at a random point of the renewal cycle, as a crash would come.
      await new Promise((waited) => setTimeout(waited, Math.random() * (leaseMs / 3)));
      const killedAt = Date.now();
      leader.child.kill("SIGKILL");
      await leader.exited;
      failovers.push((await leads(standby, killedAt)) - killedAt);
      const next = spawn(configs[i % 2]!);
      [leader, standby] = [standby, next];
      await standsBy(standby);
      progress(`  failover ${i + 1} of ${kills}: ${failovers.at(-1)} ms`);
    }
    report({
      name: "failover p50 (SIGKILL -> standby leading)",
      value: quantile(failovers, 0.5),
      unit: "ms",
      baselineName: "lease",
      baseline: leaseMs,
    });
    report({
      name: "failover p95 (SIGKILL -> standby leading)",
      value: quantile(failovers, 0.95),
      unit: "ms",
      baselineName: "lease",
      baseline: leaseMs,
    });
  } finally {
    for (const relay of relays) {
      relay.child.kill("SIGKILL");
      await relay.exited;
    }
    await postgres.stop();
    await stack.stop();
  }
}
