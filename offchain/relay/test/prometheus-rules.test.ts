// The alert rules in ops/prometheus/ through Debian's promtool: the rules and the sample config check, and
// alerts.test.yml passes. Every alert has a case where it fires and one where it does not, and an entry in
// docs/alerts.md. promtool must be installed (scripts/ci/system-deps.sh): without it this fails, it never skips.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "./integration-stack.ts";

const OPS = join(REPO, "ops", "prometheus");

function promtool(...args: string[]): { code: number | null; output: string } {
  const result = spawnSync("promtool", args, { cwd: OPS, encoding: "utf8", timeout: 60_000 });
  if (result.error)
    throw new Error(
      `promtool could not run (${result.error.message}): install Debian's prometheus (scripts/ci/system-deps.sh)`,
    );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

interface RuleFile {
  groups: { rules: { alert: string; expr: string }[] }[];
}
interface RuleTests {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const alerts = (parse(readFileSync(join(OPS, "alerts.yml"), "utf8")) as RuleFile).groups.flatMap((g) =>
  g.rules.map((r) => r.alert),
);

describe("alert rules on promtool", () => {
  it("promtool check rules accepts alerts.yml, and check config the sample prometheus.yml", () => {
    const rules = promtool("check", "rules", "alerts.yml");
    expect(rules.output).toContain(`SUCCESS: ${alerts.length} rules found`);
    expect(rules.code).toBe(0);
    const config = promtool("check", "config", "prometheus.yml");
    expect(config.output).toContain("is valid prometheus config file syntax");
    expect(config.code).toBe(0);
  });

  it("promtool test rules passes alerts.test.yml", () => {
    const tested = promtool("test", "rules", "alerts.test.yml");
    expect(tested.output).toContain("SUCCESS");
    expect(tested.code).toBe(0);
  });

  it("the rules are the eight the operator needs and their neighbours", () => {
    expect(alerts).toEqual([
      "LvdaoRelayDown",
      "LvdaoCosignerDown",
      "LvdaoCosignerRefused",
      "LvdaoActionFailed",
      "LvdaoActionStuck",
      "LvdaoAutonomousBudgetNearLimit",
      "LvdaoOnchainBudgetNearLimit",
      "LvdaoLiquidityBelowThreshold",
      "LvdaoJournalLag",
      "LvdaoLeaseLost",
      "LvdaoDrift",
      "LvdaoAuditNotRunning",
    ]);
  });

  it("every alert is tested firing and not firing, and has a runbook entry in docs/alerts.md", () => {
    const cases = (parse(readFileSync(join(OPS, "alerts.test.yml"), "utf8")) as RuleTests).tests.flatMap(
      (t) => t.alert_rule_test,
    );
    const runbook = readFileSync(join(REPO, "docs", "alerts.md"), "utf8");
    const uncovered = alerts.flatMap((alert) => {
      const mine = cases.filter((c) => c.alertname === alert);
      return [
        ...(mine.some((c) => c.exp_alerts.length > 0) ? [] : [`${alert}: no firing case`]),
        ...(mine.some((c) => c.exp_alerts.length === 0) ? [] : [`${alert}: no non-firing case`]),
        ...(runbook.includes(`### ${alert}\n`) ? [] : [`${alert}: no "### ${alert}" in docs/alerts.md`]),
      ];
    });
    expect(uncovered).toEqual([]);
  });
});
