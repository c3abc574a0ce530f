;; title: fuzz-setup
;; summary: Fuzzing only (scripts/fuzz.ts adds it to a temporary copy of the project, never to Clarinet.toml).
;;   Rendezvous deploys contracts but runs no deployment-plan calls, so this contract, deployed last, runs the
;;   same bootstrap the simnet and devnet plans run: every extension enabled, GT to wallet_1..wallet_5,
;;   wallet_6 the relay, wallet_7 and wallet_8 guardians.
;; dependencies: lvdao-core, lvdao-bootstrap.

(unwrap-panic (contract-call? .lvdao-core construct .lvdao-bootstrap))
;; A second top-level expression: with the unwrap as the only one, clarinet-sdk 3.13 reports a spurious
;; unwrap failure at deployment.
(print {topic: "fuzz-setup", bootstrapped: true})
