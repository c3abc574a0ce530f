// Every cost scenario `npm run bench:contracts` runs. Add a scenario file's export here with one line.
import type { Scenario } from "./measure.ts";
import { coreScenarios } from "./scenarios-core.ts";
import { convictionScenarios } from "./scenarios-conviction.ts";
import { marketScenarios } from "./scenarios-market.ts";

export const SCENARIOS: Scenario[] = [...coreScenarios, ...convictionScenarios, ...marketScenarios];
