// verify-deployment's pure parts as tables: reading dao-settings' init lists and a bootstrap's set-extension calls
// from Clarity source, and the comparison catching each kind of difference while accepting what may differ.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import { compare, differences } from "../cli/verify/compare.ts";
import type { DeployedState } from "../cli/verify/deployed.ts";
import type { ReadResult } from "../cli/verify/node-api.ts";
import { codeHash } from "../../actions/code-hash.ts";
import { readBootstrap, type Repository } from "../cli/verify/repository.ts";
import { readSettingsSource } from "../cli/verify/settings-source.ts";

const SETTINGS_SOURCE = `
(define-constant MAX_HEIGHT u4294967295)
(define-private (init-field (field {name: (string-ascii 14), value: uint, min: uint, max: uint})
                            (kind (string-ascii 24)))
  kind)
(define-private (init-kind (spec {kind: (string-ascii 24), delay: uint}))
  (fold init-field
    (list {name: "voting-delay", value: (get delay spec), min: u0, max: u4320}   ;; burn blocks
          {name: "members-only", value: u0, min: u0, max: u1})
    (get kind spec)))
(map init-setting (list
  {key: "proposal-bond", value: u100, min: u0, max: u1000}   ;; GT base units
  ;; {key: "retired", value: u1, min: u0, max: u1}
  {key: "paused-until", value: u0, min: u0, max: MAX_HEIGHT}))
(map init-kind (list
  {kind: "loop-out", delay: u6}
  {kind: "gt-grant", delay: u0}))
`;

describe("readSettingsSource", () => {
  it("reads literals, constants and (get field spec), skipping comments, with kind keys as <kind>:<field>", () => {
    expect(readSettingsSource(SETTINGS_SOURCE)).toEqual([
      { key: "proposal-bond", value: 100n, min: 0n, max: 1000n },
      { key: "paused-until", value: 0n, min: 0n, max: 4294967295n },
      { key: "loop-out:voting-delay", value: 6n, min: 0n, max: 4320n },
      { key: "loop-out:members-only", value: 0n, min: 0n, max: 1n },
      { key: "gt-grant:voting-delay", value: 0n, min: 0n, max: 4320n },
      { key: "gt-grant:members-only", value: 0n, min: 0n, max: 1n },
    ]);
  });

  it.each([
    {
      name: "an expression it does not evaluate",
      source: '(map init-setting (list {key: "a", value: (+ u1 u2), min: u0, max: u9}))',
      error: /cannot read a value \(\(\+ u1 u2\)\)/,
    },
    {
      name: "an unknown constant",
      source: '(map init-setting (list {key: "a", value: u1, min: u0, max: NOT_DEFINED}))',
      error: /cannot read a max \(NOT_DEFINED\)/,
    },
    { name: "no init list", source: "(define-map settings (string-ascii 32) uint)", error: /no \(map init-setting/ },
    { name: "an unbalanced source", source: '(map init-setting (list {key: "a"', error: /unclosed/ },
  ])("refuses $name", ({ source, error }) => {
    expect(() => readSettingsSource(source)).toThrow(error);
  });
});

describe("readBootstrap", () => {
  it("lists what execute enables, in order, not commented-out calls, disabled ones or others' set-extension", () => {
    const source = `
      (define-read-only (get-configuration) {sealed: true})
      (define-public (execute (sender principal))
        (begin
          (try! (contract-call? .lvdao-core set-extension .dao-settings true))
          ;; (try! (contract-call? .lvdao-core set-extension .commented true))
          (try! (contract-call? .lvdao-core set-extension .old true))
          (try! (contract-call? .lvdao-core set-extension 'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG true))
          (try! (contract-call? .other-core set-extension .elsewhere true))
          (try! (contract-call? .lvdao-core set-extension .old false))
          (try! (contract-call? .lvdao-core set-extension .proposals true))
          (ok true)))`;
    expect(readBootstrap(source)).toEqual({
      enables: ["dao-settings", "proposals"],
      enablesPrincipals: ["ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG"],
      reads: ["get-configuration"],
    });
  });
});

const D = "ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM";
const OUTSIDER = "ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG";
const source = (name: string): Buffer => Buffer.from(`;; ${name}\n(define-read-only (f) u1)\n`);
const contract = (name: string, path = `contracts/${name}.clar`) => ({
  name,
  path,
  source: source(name),
  hash: codeHash(source(name).toString()),
});
const onChain = (text: Buffer) => ({ source: text, hash: codeHash(text.toString()), publishHeight: 3 });
const BOOTSTRAP = {
  name: "lvdao-bootstrap-production",
  enables: ["dao-settings"],
  enablesPrincipals: [],
  reads: ["get-configuration"],
};
const DEVNET_BOOTSTRAP = { name: "lvdao-bootstrap", enables: ["dao-settings"], enablesPrincipals: [], reads: [] };
const REPO: Repository = {
  root: "/repo",
  contracts: [
    contract("lvdao-core"),
    contract("dao-settings"),
    contract("action-validator"),
    contract("lvdao-bootstrap"),
    contract("lvdao-bootstrap-production", "deployments/contracts/lvdao-bootstrap-production.clar"),
  ],
  bootstraps: [DEVNET_BOOTSTRAP, BOOTSTRAP],
  settings: [{ key: "max-pause", value: 144n, min: 1n, max: 2016n }],
};
const read = (value: ClarityValue): ReadResult => ({ ok: true, value });
const bounds = (value: number, min: number, max: number): ReadResult =>
  read(Cl.some(Cl.tuple({ value: Cl.uint(value), min: Cl.uint(min), max: Cl.uint(max) })));

/** A production deployment that matches REPO; each case changes one thing. */
function deployed(change: (state: DeployedState) => void = () => undefined): DeployedState {
  const state: DeployedState = {
    stacksHeight: 40,
    contracts: new Map(
      REPO.contracts.map((c) => [c.name, c.name === "lvdao-bootstrap" ? undefined : onChain(c.source)]),
    ),
    bootstrap: BOOTSTRAP,
    constructed: read(Cl.bool(true)),
    executedAt: new Map([[BOOTSTRAP.name, read(Cl.some(Cl.uint(5)))]]),
    configuration: read(Cl.tuple({ sealed: Cl.bool(true), executed: Cl.bool(true), grants: Cl.list([]) })),
    extensions: new Map(REPO.contracts.map((c) => [`${D}.${c.name}`, read(Cl.bool(c.name === "dao-settings"))])),
    extensionEvents: [{ extension: `${D}.dao-settings`, enabled: true, txid: "ab".repeat(32) }],
    settings: new Map([["max-pause", bounds(288, 1, 2016)]]),
  };
  change(state);
  return state;
}

describe("verify-deployment compare", () => {
  it("accepts a matching deployment: a setting the DAO moved within its bounds is no difference", () => {
    const checks = compare(REPO, deployed(), D);
    expect(differences(checks)).toEqual([]);
    expect(checks.find((c) => c.subject === "dao-settings max-pause")?.detail).toBe(
      "value 288 within [1, 2016] (starts at 144)",
    );
    expect(checks.find((c) => c.subject === "lvdao-bootstrap")?.detail).toBe(
      "not deployed, as expected: this deployment's bootstrap is lvdao-bootstrap-production",
    );
  });

  it("notes, without failing, an API that serves no contract logs", () => {
    const checks = compare(
      REPO,
      deployed((s) => (s.extensionEvents = undefined)),
      D,
    );
    expect(differences(checks)).toEqual([]);
    expect(checks.find((c) => c.subject === "extension-set events")?.status).toBe("note");
  });

  it.each([
    {
      name: "a source one byte longer",
      change: (s: DeployedState) =>
        s.contracts.set("lvdao-core", onChain(Buffer.concat([source("lvdao-core"), Buffer.from(" ")]))),
      subject: "lvdao-core",
      detail:
        /source differs from contracts\/lvdao-core.clar from line 3 .*sha512\/256 on-chain [0-9a-f]{64}, repository [0-9a-f]{64}/,
    },
    {
      name: "a contract missing",
      change: (s: DeployedState) => s.contracts.set("action-validator", undefined),
      subject: "action-validator",
      detail: /not deployed \(repository: contracts\/action-validator.clar\)/,
    },
    {
      name: "both bootstraps deployed",
      change: (s: DeployedState) => s.contracts.set("lvdao-bootstrap", onChain(source("lvdao-bootstrap"))),
      subject: "lvdao-bootstrap",
      detail: /deployed next to lvdao-bootstrap-production/,
    },
    {
      name: "no bootstrap deployed",
      change: (s: DeployedState) => (s.bootstrap = undefined),
      subject: "bootstrap",
      detail: /none deployed: expected one of lvdao-bootstrap, lvdao-bootstrap-production/,
    },
    {
      name: "construct not run",
      change: (s: DeployedState) => (s.constructed = read(Cl.bool(false))),
      subject: "lvdao-core is-constructed",
      detail: /false: construct has not run/,
    },
    {
      name: "the bootstrap not executed",
      change: (s: DeployedState) => s.executedAt.set(BOOTSTRAP.name, read(Cl.none())),
      subject: "lvdao-core executed-at lvdao-bootstrap-production",
      detail: /has not executed/,
    },
    {
      name: "the bootstrap not sealed",
      change: (s: DeployedState) =>
        (s.configuration = read(Cl.tuple({ sealed: Cl.bool(false), executed: Cl.bool(true) }))),
      subject: "lvdao-bootstrap-production sealed",
      detail: /not sealed/,
    },
    {
      name: "an extension disabled",
      change: (s: DeployedState) => s.extensions!.set(`${D}.dao-settings`, read(Cl.bool(false))),
      subject: "dao-settings",
      detail: /not an extension, but lvdao-bootstrap-production enables it/,
    },
    {
      name: "a repository contract made an extension",
      change: (s: DeployedState) => s.extensions!.set(`${D}.action-validator`, read(Cl.bool(true))),
      subject: "action-validator",
      detail: /an extension, but lvdao-bootstrap-production does not enable it/,
    },
    {
      name: "an outsider enabled by an event",
      change: (s: DeployedState) =>
        s.extensionEvents!.push({ extension: OUTSIDER, enabled: true, txid: "cd".repeat(32) }),
      subject: OUTSIDER,
      detail: /an extension-set event enabled it \(tx 0xcdcd/,
    },
    {
      name: "lvdao-core not deployed",
      change: (s: DeployedState) => (s.extensions = undefined),
      subject: "lvdao-core",
      detail: /the extension list cannot be read/,
    },
    {
      name: "a setting's bounds moved",
      change: (s: DeployedState) => s.settings!.set("max-pause", bounds(144, 1, 5000)),
      subject: "dao-settings max-pause",
      detail: /^bounds on-chain \[1, 5000\], repository \[1, 2016\]$/,
    },
    {
      name: "a value outside the bounds",
      change: (s: DeployedState) => s.settings!.set("max-pause", bounds(3000, 1, 5000)),
      subject: "dao-settings max-pause",
      detail: /value 3000 outside the repository's bounds \[1, 2016\]/,
    },
    {
      name: "a setting missing",
      change: (s: DeployedState) => s.settings!.set("max-pause", read(Cl.none())),
      subject: "dao-settings max-pause",
      detail: /not set on-chain \(repository: value 144, bounds \[1, 2016\]\)/,
    },
    {
      name: "a failed read",
      change: (s: DeployedState) => s.settings!.set("max-pause", { ok: false, cause: "NoSuchContract" }),
      subject: "dao-settings max-pause",
      detail: /cannot read get-setting-bounds: NoSuchContract/,
    },
  ])("catches $name", ({ change, subject, detail }) => {
    const found = differences(compare(REPO, deployed(change), D));
    expect(found).toHaveLength(1);
    expect(found[0]!.subject).toBe(subject);
    expect(found[0]!.detail).toMatch(detail);
  });
});
