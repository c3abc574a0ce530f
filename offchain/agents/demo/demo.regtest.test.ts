// `npm run demo:machines -- --real` end to end for a short run: the real regtest stack (robot-1 on lnd/tapd
// contributor, robot-2 on lnd/tapd peer, the customer on lnd peer), the relay's desk on the DAO node. The effects are
// read from the daemons themselves before the stack stops: the desk's hold invoices settled on the DAO's lnd for the
// quoted sats, the robots' invoices settled on their own lnds, the LV each settled trade sent received at the buying
// robot's tapd (a completed receipt on the trade's address), and the LV balances moved from the DAO's tapd to the
// robots' tapds by what the desk's journal says it sold.
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getInvoices } from "lightning";
import { expect, it } from "vitest";
import { listAddressReceives, listAssetBalances, lookupInvoice, type TapdClient } from "../../lightning/index.ts";
import { DEMO_NETWORK, DEMO_ROBOT_POLICY, DEMO_TRAFFIC } from "./config.ts";
import type { EconomySummary } from "./economy.ts";
import type { DemoNetwork } from "./network.ts";
import { parseDemoArgs, runDemo } from "./run.ts";

const price = DEMO_TRAFFIC.servicePriceSats;

it("runs the machine economy on real btcd, lnd, tapd and loopd: sats and LV move on the daemons", async () => {
  const out = join(tmpdir(), `lvdao-demo-real-${process.pid}.svg`);
  const lines: string[] = [];
  const checked: string[] = [];
  let stateDir = "";
  const inspect = async (network: DemoNetwork, summary: EconomySummary) => {
    const lvOf = async (tapd: TapdClient) =>
      (await listAssetBalances({ tapd, by: "group" })).find((b) => b.key === network.groupKey)?.balance ?? 0n;
    // The desk journaled settled trades, and each one's hold invoice settled on the DAO's lnd for its quote.
    expect(summary.desk.settled).toBeGreaterThan(0);
    expect(summary.settledQuotes.length).toBe(summary.desk.settled);
    for (const q of summary.settledQuotes) {
      const invoice = await lookupInvoice({ lnd: network.dao.lnd, paymentHash: q.paymentHash });
      expect([invoice.state, invoice.receivedMsat]).toEqual(["settled", q.sats * 1000n]);
      // The LV went to the buying robot's tapd: a completed receipt of the quoted LV on the trade's address.
      const receipts = [];
      for (const robot of network.robots)
        receipts.push(...(await listAddressReceives({ tapd: robot.tapd, address: q.tapAddress }).catch(() => [])));
      expect(receipts.some((r) => r.status === "completed" && r.amount === q.lv)).toBe(true);
    }
    // LV moved from the DAO's tapd to the robots' tapds by exactly what the desk sold.
    const robotLv = await Promise.all(network.robots.map((r) => lvOf(r.tapd)));
    expect(robotLv.reduce((a, b) => a + b, 0n)).toBe(summary.desk.lvSold);
    expect(await lvOf(network.dao.tapd)).toBe(DEMO_NETWORK.lvSupply - summary.desk.lvSold);
    for (const [i, robot] of network.robots.entries()) expect(summary.lvPerRobot[robot.name]).toBe(robotLv[i]);
    // The robots were paid over Lightning on their own nodes: settled invoices of their services.
    // Every page: a robot's node holds an invoice per offered sale, paid or not, often more than one page's worth.
    const servicesPaid = async (lnd: DemoNetwork["customer"]["lnd"], name: string) => {
      let paid = 0n;
      let page = await getInvoices({ lnd, limit: 1000 });
      for (;;) {
        for (const inv of page.invoices)
          if (inv.is_confirmed && inv.description === `${name}: one unit of service`) paid += BigInt(inv.received);
        if (!page.next) return paid;
        page = await getInvoices({ lnd, token: page.next });
      }
    };
    const [robot1, robot2] = network.robots;
    if (!robot1 || !robot2) throw new Error("two robots expected");
    // The summary counts what the payers sent, the DAO node's routing fee included; the robots' nodes got the price.
    const { customer, robotToRobot } = summary.payments;
    expect([customer > 0, robotToRobot > 0]).toEqual([true, true]);
    expect(await servicesPaid(robot1.lnd, robot1.name)).toBeGreaterThanOrEqual(price * BigInt(customer));
    const robotsPaid = (await servicesPaid(robot1.lnd, robot1.name)) + (await servicesPaid(robot2.lnd, robot2.name));
    expect(robotsPaid).toBe(price * BigInt(customer + robotToRobot));
    const fees = summary.customerSats + summary.robotToRobotSats - robotsPaid;
    expect(fees >= 0n && fees <= 50n * BigInt(customer + robotToRobot)).toBe(true);
    stateDir = lines.find((l) => l.startsWith("stack data: "))?.split(" ")[2] ?? "";
    checked.push("daemons");
  };
  try {
    const { summary, svg } = await runDemo(
      parseDemoArgs(["--real", "--minutes", "0.5", "--out", out]),
      (line) => {
        lines.push(line);
        console.error(line);
      },
      // one sale triggers a conversion, so the policy fires within the run even on a loaded machine
      { robotPolicy: { ...DEMO_ROBOT_POLICY, revenueThresholdSats: 2_000n, minConversionSats: 1_000n }, inspect },
    );
    expect(checked).toEqual(["daemons"]);
    expect(summary.mode).toBe("regtest");
    expect(summary.payments.conversions).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith("summary: 2 robots") && l.includes("real regtest daemons"))).toBe(true);
    expect(lines.some((l) => /^\[ *\d+\.\d s\] \d+ payments/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("[regtest") && l.includes("btcd: mined"))).toBe(true);
    // The stack's data was shown, and is gone once the demo stopped.
    expect(stateDir).not.toBe("");
    expect(() => readFileSync(join(stateDir, "regtest", "logs", "btcd.log"))).toThrow(/ENOENT/);
    expect(readFileSync(out, "utf8")).toBe(svg);
  } finally {
    rmSync(out, { force: true });
  }
}, 600_000);
