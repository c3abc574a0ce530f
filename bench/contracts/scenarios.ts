// Every cost scenario `npm run bench:contracts` runs. Add a scenario file's export here with one line.
import type { Scenario } from "./measure.ts";
import { coreScenarios } from "./scenarios-core.ts";
import { convictionScenarios } from "./scenarios-conviction.ts";

export const SCENARIOS: Scenario[] = [...coreScenarios, ...convictionScenarios];
