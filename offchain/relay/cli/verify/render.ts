// verify-deployment's report: its JSON shape (`--json`) and the readable form, one line per check under its group,
// then every difference again, each naming what differs.
import { differences, type Check, type CheckGroup } from "./compare.ts";

export interface VerifyReport {
  verifiedAt: string;
  api: string;
  deployer: string;
  /** the repository checked against */
  repository: string;
  stacksHeight: number;
  /** the bootstrap checked (the deployed one), or null when none is */
  bootstrap: string | null;
  checks: Check[];
  differences: Check[];
}

const GROUPS: CheckGroup[] = ["contracts", "bootstrap", "extensions", "settings"];
const MARK = { ok: "ok  ", diff: "DIFF", note: "note" } as const;

export function renderReport(report: VerifyReport): string[] {
  const lines = [
    `verify-deployment of ${report.deployer} at ${report.api} (Stacks height ${report.stacksHeight}) against ` +
      `${report.repository}`,
  ];
  for (const group of GROUPS) {
    const checks = report.checks.filter((c) => c.group === group);
    const failed = differences(checks).length;
    lines.push(
      `${group}${group === "bootstrap" && report.bootstrap ? ` (${report.bootstrap})` : ""}: ` +
        `${checks.length} check(s), ${failed === 0 ? "all match" : `${failed} difference(s)`}`,
    );
    for (const check of checks) lines.push(`  ${MARK[check.status]}  ${check.subject}: ${check.detail}`);
  }
  if (report.differences.length === 0) {
    lines.push("no differences: the deployment matches the repository");
  } else {
    lines.push(`${report.differences.length} difference(s):`);
    for (const d of report.differences) lines.push(`  ${d.subject}: ${d.detail}`);
  }
  return lines;
}
