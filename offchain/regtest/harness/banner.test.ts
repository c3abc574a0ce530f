// The line `npm start` prints before and after starting the real stack counts the daemons the harness starts.
import { describe, expect, it } from "vitest";
import { NODE_NAMES, TAPD_NODES } from "./daemon-config.ts";
import { REGTEST_BANNER } from "./devnet-step.ts";

describe("REGTEST_BANNER", () => {
  it("names three lnd and two tapd, as the harness starts", () => {
    expect([NODE_NAMES.length, TAPD_NODES.length]).toEqual([3, 2]);
    expect(REGTEST_BANNER).toBe(
      "REAL regtest stack (btcd, lnd x3, tapd x2 built by npm run regtest:install; loopd is a simulator)",
    );
  });
});
