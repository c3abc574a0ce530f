// Fails when a tracked source line is longer than 120 characters. Biome's formatter keeps code within 120 columns,
// but it cannot break a comment, a string or a test name, and it does not read Clarity; this check covers what it
// leaves. `npm run lint` runs it; it lists each long line and exits 1 when there is one.
// A line may pass only when splitting it would hurt: a URL, or a regular expression literal.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export const MAX_COLUMNS = 120;
const CHECKED = /\.(ts|tsx|mts|cjs|mjs|js|clar)$/;
const EXEMPT = [/https?:\/\//, /^\s*(const \w+ =\s*)?\/\^?.*\/[gimsuy]*[,;]?\s*$/];

export interface LongLine {
  file: string;
  line: number;
  length: number;
}

/** The lines of `text` over the limit, 1-based, skipping the exempt ones. */
export function longLines(file: string, text: string): LongLine[] {
  return text.split("\n").flatMap((content, index) => {
    const length = [...content].length;
    if (length <= MAX_COLUMNS || EXEMPT.some((pattern) => pattern.test(content))) return [];
    return [{ file, line: index + 1, length }];
  });
}

function trackedSources(): string[] {
  return execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" })
    .split("\0")
    .filter((file) => CHECKED.test(file) && !file.includes("node_modules/"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = trackedSources().flatMap((file) => longLines(file, readFileSync(file, "utf8")));
  for (const long of found) console.error(`${long.file}:${long.line}: ${long.length} characters (max ${MAX_COLUMNS})`);
  if (found.length > 0) {
    console.error(`\n${found.length} line(s) over ${MAX_COLUMNS} characters`);
    process.exit(1);
  }
}
