// Draws docs/conviction.svg: conviction over time against the threshold, under the settings dao-settings
// starts with, for 10%, 30% and 60% of the GT supply staked on one proposal. Every number comes from the
// contracts (conviction-voting's project-conviction and threshold-for, dao-settings, gt-token) in a simnet,
// so the chart follows the code. Prints the block at which each case passes.
//
//   npx tsx scripts/conviction-chart.ts [--out docs/conviction.svg] [--blocks 1500]
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { initSimnet } from "@stacks/clarinet-sdk";
import { Cl, ClarityType, type ClarityValue } from "@stacks/transactions";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    out: { type: "string", default: join(root, "docs", "conviction.svg") },
    blocks: { type: "string", default: "1500" },
  },
});
const horizon = Number(values.blocks);
if (!Number.isInteger(horizon) || horizon < 10 || horizon > 100_000) {
  throw new RangeError(`--blocks must be an integer in [10, 100000], got ${values.blocks}`);
}

// simnet echoes the bootstrap's print events while it deploys; only this script's figures are wanted here
const print = console.log;
console.log = () => {};
const simnet = await initSimnet(join(root, "Clarinet.toml"));
console.log = print;
const caller = simnet.deployer;

function uintOf(value: ClarityValue, what: string): bigint {
  const inner = value.type === ClarityType.ResponseOk ? value.value : value;
  if (inner.type !== ClarityType.UInt) throw new Error(`${what}: expected a uint, got ${JSON.stringify(value)}`);
  return BigInt(inner.value);
}
const read = (contract: string, fn: string, args: ClarityValue[]) =>
  simnet.callReadOnlyFn(contract, fn, args, caller).result;
const setting = (key: string) => uintOf(read("dao-settings", "get-setting", [Cl.stringAscii(key)]), key);

const decay = setting("cv-decay");
const weight = setting("cv-weight");
const maxRatioBps = setting("cv-max-ratio");
const minStakeBps = setting("cv-min-stake-bps");
const supply = uintOf(read("gt-token", "get-total-supply", []), "supply");
if (supply === 0n) throw new Error("the GT supply is 0: the simnet plan has not run the bootstrap");
const POOL = 100_000_000n; // any pool size: only r/R matters

const conviction = (stake: bigint, t: number) =>
  uintOf(
    read("conviction-voting", "project-conviction", [Cl.uint(0), Cl.uint(stake), Cl.uint(decay), Cl.uint(t)]),
    "conviction",
  );
function threshold(staked: bigint, requestedPct: number): bigint {
  const minimum = (supply * minStakeBps) / 10_000n;
  const support = staked > minimum ? staked : minimum;
  const requested = (POOL * BigInt(requestedPct)) / 100n;
  return uintOf(
    read(
      "conviction-voting",
      "threshold-for",
      [weight, support, decay, maxRatioBps, requested, POOL].map((v) => Cl.uint(v)),
    ),
    "threshold",
  );
}

// First block at which conviction reaches the threshold (conviction grows monotonically from 0), or null.
function passingBlock(stake: bigint, limit: bigint): number | null {
  if (conviction(stake, horizon * 100) < limit) return null;
  let low = 0,
    high = horizon * 100;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (conviction(stake, middle) >= limit) high = middle;
    else low = middle;
  }
  return high;
}

type Case = { pct: number; color: string; stake: bigint; points: number[]; threshold: number; passes: number | null };
const STAKED = [
  { pct: 10, color: "#1b9e77" },
  { pct: 30, color: "#d95f02" },
  { pct: 60, color: "#7570b3" },
];
const REQUESTS = [0, 5];
const oneMinusA = 1 - Number(decay) / 1e12;
// Conviction is shown as its stake equivalent, y * (1 - a) (the stake it tends to), in % of the GT supply.
const asPctOfSupply = (y: bigint) => (Number(y) * oneMinusA * 100) / Number(supply);
const STEP = Math.max(1, Math.floor(horizon / 150));

const panels = REQUESTS.map((requestedPct) => ({
  requestedPct,
  cases: STAKED.map(({ pct, color }): Case => {
    const stake = (supply * BigInt(pct)) / 100n;
    const limit = threshold(stake, requestedPct);
    const points: number[] = [];
    for (let t = 0; t <= horizon; t += STEP) points.push(asPctOfSupply(conviction(stake, t)));
    return { pct, color, stake, points, threshold: asPctOfSupply(limit), passes: passingBlock(stake, limit) };
  }),
}));

const halfLife = Math.log(0.5) / Math.log(Number(decay) / 1e12);
console.log(
  `settings: cv-decay ${decay} (half-life ${halfLife.toFixed(1)} burn blocks), cv-weight ${weight}, ` +
    `cv-max-ratio ${maxRatioBps} bps, cv-min-stake-bps ${minStakeBps}; GT supply ${supply}`,
);
for (const panel of panels) {
  for (const c of panel.cases) {
    const when = c.passes === null ? "never" : `block ${c.passes} (${(c.passes / 144).toFixed(1)} days)`;
    console.log(
      `request ${panel.requestedPct}% of pool, ${c.pct}% of supply staked: threshold ${c.threshold.toFixed(3)}% ` +
        `of supply as stake equivalent; passes at ${when}`,
    );
  }
}

// ---- SVG
const W = 460,
  H = 320,
  M = { left: 56, right: 16, top: 40, bottom: 46 };
const yMax = Math.max(...panels.flatMap((p) => p.cases.flatMap((c) => [c.pct, Math.min(c.threshold, 70)])));
const yTop = Math.ceil(yMax / 10) * 10;
const sx = (t: number) => M.left + (t / horizon) * (W - M.left - M.right);
const sy = (v: number) => H - M.bottom - (Math.min(v, yTop) / yTop) * (H - M.top - M.bottom);
const fmt = (v: number) => v.toFixed(1);

function panelSvg(panel: (typeof panels)[number], offsetX: number): string {
  const parts: string[] = [`<g transform="translate(${offsetX},0)">`];
  parts.push(
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">request ${panel.requestedPct}% of its pool</text>`,
  );
  for (let v = 0; v <= yTop; v += 10) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(sy(v))}" y2="${fmt(sy(v))}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${fmt(sy(v) + 4)}" text-anchor="end" font-size="11">${v}%</text>`);
  }
  const tickStep = horizon >= 1000 ? 288 : 144;
  for (let t = 0; t <= horizon; t += tickStep) {
    parts.push(
      `<line x1="${fmt(sx(t))}" x2="${fmt(sx(t))}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#333"/>`,
    );
    parts.push(`<text x="${fmt(sx(t))}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  parts.push(
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="12">` +
      "burn blocks since staking (144 = 1 day)</text>",
  );
  parts.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`);
  for (const c of panel.cases) {
    const path = c.points.map((v, i) => `${fmt(sx(i * STEP))},${fmt(sy(v))}`).join(" ");
    parts.push(`<polyline points="${path}" fill="none" stroke="${c.color}" stroke-width="2"/>`);
    if (c.threshold <= yTop) {
      parts.push(
        `<line x1="${M.left}" x2="${W - M.right}" y1="${fmt(sy(c.threshold))}" y2="${fmt(sy(c.threshold))}" ` +
          `stroke="${c.color}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      );
    }
    if (c.passes !== null && c.passes <= horizon) {
      parts.push(`<circle cx="${fmt(sx(c.passes))}" cy="${fmt(sy(c.threshold))}" r="4" fill="${c.color}"/>`);
    }
  }
  parts.push("</g>");
  return parts.join("\n");
}

const legend = STAKED.map(
  ({ pct, color }, i) =>
    `<g transform="translate(${70 + i * 190},${H + 14})"><line x1="0" x2="24" y1="0" y2="0" stroke="${color}" ` +
    `stroke-width="2"/>` +
    `<text x="30" y="4" font-size="12">${pct}% of supply staked</text></g>`,
).join("\n");
const caption =
  "solid: conviction as stake equivalent y(1-a), % of GT supply; dashed: threshold; " +
  `dot: the proposal passes (half-life ${halfLife.toFixed(0)} blocks)`;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 52}" viewBox="0 0 ${2 * W} ${H + 52}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
${panelSvg(panels[0]!, 0)}
${panelSvg(panels[1]!, W)}
${legend}
<text x="${W}" y="${H + 40}" text-anchor="middle" font-size="11">${caption}</text>
</svg>
`;
writeFileSync(values.out!, svg);
console.log(`wrote ${values.out}`);
