// The contracts a fuzz campaign adds to the project copy, beside the real ones: the fuzz bootstrap that
// lvdao-core.construct runs instead of lvdao-bootstrap, and three agent contracts that the .tests.clar
// wrappers act through. Used by scripts/fuzz.ts (writes them into the copy) and scripts/fuzz-campaign.ts
// (constructs the DAO with the fuzz bootstrap).
//
// The fuzz bootstrap runs the real lvdao-bootstrap's execute as the DAO (Clarity refuses lvdao-core.execute
// from inside construct: `run` would re-enter itself, so lvdao-core records the fuzz bootstrap as the executed
// one), then applies the settings profile below and funds the agents.
// The profile shortens every window to a few burn blocks and lowers the quorums, so that inside one campaign
// proposals are voted, pass, wait out their timelock, get applied or queued, claimed and reported. Every value
// goes through dao-settings.set-setting, so it is within the production bounds.
//
// A .tests.clar wrapper that calls a contract counts that contract as contract-caller, so the target contract
// itself could only ever vote, stake or claim as one principal. The agents are that principal's stand-ins:
// `(contract-call? .lvdao-fuzz-agent-2 vote id n true)` votes as agent 2. Agent 1 is a relay; agents 2 and 3
// are guardians (with wallet_7 and wallet_8, veto-quorum stays 2); each holds GT.

export const FUZZ_BOOTSTRAP = "lvdao-fuzz-bootstrap";
/** A contract-proposal target: lvdao-core runs it once, so a second passed proposal naming it fails to apply. */
export const FUZZ_PROPOSAL = "lvdao-fuzz-proposal";
/**
 * The most burn blocks a campaign moves between two runs. rv mines 1 to ceil(100000 / runs) empty burn blocks
 * after half of its runs (up to 100 at 1,000 runs), which would jump over every window of the profile;
 * scripts/fuzz-campaign.ts folds rv's draw into 1..MAX_BURN_STEP, so a window of a few blocks spans several runs.
 */
export const MAX_BURN_STEP = 3;
export const AGENTS = ["lvdao-fuzz-agent-1", "lvdao-fuzz-agent-2", "lvdao-fuzz-agent-3"] as const;
/** GT base units minted to each agent, in AGENTS order (6 decimals). */
export const AGENT_GT = [400_000_000_000n, 250_000_000_000n, 150_000_000_000n] as const;

const QUADRATIC_OFFCHAIN = [
  "channel-open",
  "channel-close",
  "fee-policy",
  "rebalance-policy",
  "loop-out",
  "loop-in",
  "watchtower",
];
const QUADRATIC_CHAIN = [
  "setting",
  "relay-set",
  "member-attestor",
  "contract-proposal",
  "guardian-set",
  "treasury-transfer",
];
const CONVICTION = ["lv-transfer", "lv-allocation", "gt-grant"];

/** The settings profile: key -> value, in the units dao-settings documents. */
export const PROFILE: ReadonlyArray<readonly [string, bigint]> = [
  ["max-active-per-proposer", 2n], // open proposals: few live ones, so the wrappers find them
  ["claim-lease", 2n], // burn blocks
  ["max-attempts", 2n], // attempts
  ["max-pause", 3n], // burn blocks
  ["veto-window", 2n], // burn blocks
  ["pause-cooldown", 2n], // burn blocks between one guardian's pauses
  ["pause-budget", 4n], // paused burn blocks per pause-period
  ["pause-period", 16n], // burn blocks
  ["max-attestation", 50n], // burn blocks
  ["grant-min-supporters", 2n], // stakers
  ["cv-decay", 900_000_000_000n], // a = 0.9 per burn block: conviction builds in a few blocks
  ["cv-min-stake-bps", 0n], // bps of GT supply
  ...QUADRATIC_OFFCHAIN.flatMap(
    (kind) =>
      [
        [`${kind}:voting-delay`, 1n],
        [`${kind}:voting-period`, 4n],
        [`${kind}:quorum-votes`, 4n],
        [`${kind}:timelock`, 1n],
        [`${kind}:expiry`, 8n],
      ] as const,
  ),
  // Chain kinds differ in timelock: 0 applies at the first conclude, 1 and 2 wait for a second one.
  ...QUADRATIC_CHAIN.flatMap(
    (kind, index) =>
      [
        [`${kind}:voting-delay`, 1n],
        [`${kind}:voting-period`, 4n],
        [`${kind}:quorum-votes`, 4n],
        [`${kind}:timelock`, BigInt(index % 3)],
        [`${kind}:expiry`, 8n],
      ] as const,
  ),
  ...CONVICTION.flatMap(
    (kind) =>
      [
        [`${kind}:voting-period`, 24n],
        [`${kind}:timelock`, 1n],
        [`${kind}:expiry`, 8n],
      ] as const,
  ),
];

const bootstrap = `;; title: ${FUZZ_BOOTSTRAP}
;; summary: Fuzz campaigns only (written by scripts/fuzz-fixtures.ts): the real bootstrap, then a settings
;;   profile with short windows and low quorums, and GT, a relay and guardians for the fuzz agents.

(impl-trait .proposal-trait.proposal-trait)

(define-constant PROFILE (list
${PROFILE.map(([key, value]) => `  {key: "${key}", value: u${value}}`).join("\n")}))

(define-private (apply-setting (entry {key: (string-ascii 32), value: uint}) (result (response bool uint)))
  (match result
    done (contract-call? .dao-settings set-setting (get key entry) (get value entry))
    code (err code)))

(define-public (execute (sender principal))
  (begin
    (try! (contract-call? .lvdao-bootstrap execute sender))
${AGENTS.map((agent, index) => `    (try! (contract-call? .gt-token mint u${AGENT_GT[index]} .${agent}))`).join("\n")}
    (try! (contract-call? .execution-queue set-relay .${AGENTS[0]} true))
    (try! (contract-call? .guardian set-guardian .${AGENTS[1]} true))
    (try! (contract-call? .guardian set-guardian .${AGENTS[2]} true))
    (fold apply-setting PROFILE (ok true))))
`;

const agent = (name: string) => `;; title: ${name}
;; summary: Fuzz campaigns only (written by scripts/fuzz-fixtures.ts): a member that a .tests.clar wrapper acts
;;   through, so the call counts this contract as the voter, staker, relay or guardian.

(define-public (vote (id uint) (votes uint) (support bool))
  (contract-call? .quadratic-voting vote id votes support))

(define-public (stake (id uint) (amount uint))
  (as-contract? ((with-ft .gt-token "gt" amount)) (try! (contract-call? .conviction-voting stake id amount))))

(define-public (unstake (id uint) (amount uint))
  (contract-call? .conviction-voting unstake id amount))

(define-public (send-gt (amount uint) (recipient principal))
  (as-contract? ((with-ft .gt-token "gt" amount))
    (try! (contract-call? .gt-token transfer amount tx-sender recipient none))))

(define-public (claim (id uint))
  (contract-call? .execution-queue claim id))

(define-public (report-success (id uint) (evidence (buff 256)))
  (contract-call? .execution-queue report-success id evidence))

(define-public (report-failure (id uint) (code uint) (retryable bool))
  (contract-call? .execution-queue report-failure id code retryable "fuzz"))

(define-public (report-liquidity (onchain-sats uint) (lv-reserve uint))
  (contract-call? .liquidity-oracle report-liquidity {onchain-sats: onchain-sats, outbound-sats: u0, inbound-sats: u0,
                                                      channels: u0, lv-reserve: lv-reserve, lv-withdrawal: u0,
                                                      vault-sats: u0}))

(define-public (veto (id uint))
  (contract-call? .guardian veto id))

(define-public (pause)
  (contract-call? .guardian pause-execution))
`;

const proposal = `;; title: ${FUZZ_PROPOSAL}
;; summary: Fuzz campaigns only (written by scripts/fuzz-fixtures.ts): the contract a fuzzed contract-proposal
;;   names. lvdao-core runs a proposal contract once, so the first passed one applies and later ones fail.

(impl-trait .proposal-trait.proposal-trait)

(define-public (execute (sender principal))
  (begin
    (print {topic: "fuzz-proposal-executed", sender: sender})
    (ok true)))
`;

/** Name and source of every fixture contract (Clarinet orders their deployment by their references). */
export function fixtureContracts(): Array<{ name: string; source: string }> {
  return [
    ...AGENTS.map((name) => ({ name, source: agent(name) })),
    { name: FUZZ_PROPOSAL, source: proposal },
    { name: FUZZ_BOOTSTRAP, source: bootstrap },
  ];
}
