// The fault suites' log scan: no relay output may carry a credential of the stack it ran against. It checks the
// lnd, tapd and loopd macaroons (hex and base64, as a careless log line would print them), the relay's Stacks key
// and the usual shapes of key material, so a new daemon in the stack only needs adding here.
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { IntegrationStack } from "./integration-stack.ts";

export function expectNoSecrets(text: string, stack: IntegrationStack): void {
  const { nodes, stack: files } = stack.sim;
  if (!files.loop) throw new Error("the loopd simulator's credentials are missing: the scan must cover loopd too");
  const macaroons = [
    files.loop.macaroon_path,
    nodes.dao.lnd_macaroon_path!,
    nodes.dao.tapd_macaroon_path!,
    nodes.contributor.tapd_macaroon_path!,
  ];
  for (const path of macaroons) {
    const bytes = readFileSync(path);
    expect(bytes.length).toBeGreaterThan(0);
    expect(text).not.toContain(bytes.toString("hex"));
    expect(text).not.toContain(bytes.toString("base64"));
  }
  expect(text).not.toContain(stack.devnet.account("wallet_6").privateKey.slice(0, 64));
  expect(text).not.toMatch(/0201036c6e64[0-9a-f]{20,}/i);
  expect(text).not.toMatch(/AgEDbG5k/);
  expect(text).not.toMatch(/PRIVATE KEY/);
}
