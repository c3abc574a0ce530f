// What every page must hold, checked on one page at a time: it has settled, it has no serious or critical axe-core
// finding, and it does not scroll sideways at a given width.
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Waits until the page shows its heading (or an error) and its reads have had time to land. */
export async function settle(page: Page): Promise<void> {
  await page.locator("main h1, main .error").first().waitFor({ timeout: 20_000 });
  // the app polls the tip all the time, so the network is never idle: give the page's reads time to land
  await page
    .locator("main :text('Loading')")
    .first()
    .waitFor({ state: "detached", timeout: 20_000 })
    .catch(() => undefined);
  await page.waitForTimeout(800);
}

/** The page's serious and critical axe-core violations, as "id (impact) at targets". */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<Result> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => String(n.target)),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}) at ${v.targets.slice(0, 3).join(", ")}`);
}

/** How far the page scrolls sideways at `width` px, or null when it fits. */
export async function overflowAt(page: Page, width: number): Promise<string | null> {
  await page.setViewportSize({ width, height: 800 });
  await page.waitForTimeout(200);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  return scroll > inner ? `${scroll} px in ${inner}` : null;
}
