// How the relay benchmarks report: every figure is printed next to a baseline measured in the same run and their
// ratio, and collected for the summary table at the end. Targets are printed as met or not; they never fail the run.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** e.g. "<= 50 ms"; checked by `met` */
  target?: { text: string; met: boolean };
}

export const figures: Figure[] = [];

export function quantile(values: number[], q: number): number {
  if (values.length === 0) throw new Error("no samples to take a quantile of");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const format = (value: number, unit: string): string =>
  `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`;

export function report(figure: Figure): void {
  figures.push(figure);
  const ratio = figure.baseline > 0 ? `${(figure.value / figure.baseline).toFixed(2)}x` : "n/a";
  const target = figure.target ? `   target ${figure.target.text}: ${figure.target.met ? "met" : "NOT met"}` : "";
  console.log(
    `  ${figure.name.padEnd(44)} ${format(figure.value, figure.unit).padStart(12)}   baseline ` +
      `${figure.baselineName} ${format(figure.baseline, figure.unit)}   ratio ${ratio}${target}`,
  );
}

export function summaryTable(): string {
  return [
    "| figure | value | baseline (same run) | ratio | target |",
    "|---|---:|---|---:|---|",
    ...figures.map((f) => {
      const ratio = f.baseline > 0 ? `${(f.value / f.baseline).toFixed(2)}x` : "n/a";
      const target = f.target ? `${f.target.text} (${f.target.met ? "met" : "NOT met"})` : "";
      const baseline = `${f.baselineName}: ${format(f.baseline, f.unit)}`;
      return `| ${f.name} | ${format(f.value, f.unit)} | ${baseline} | ${ratio} | ${target} |`;
    }),
  ].join("\n");
}

export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${process.argv[index + 1]}`);
  return value;
}

export const progress = (line: string): void => void process.stderr.write(`${line}\n`);

/** Times `run` `times` times after `warmup` unmeasured runs; milliseconds per run. */
export async function sample(times: number, run: () => Promise<unknown> | unknown, warmup = 3): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warmup + times; i++) {
    const started = performance.now();
    await run();
    if (i >= warmup) out.push(performance.now() - started);
  }
  return out;
}
