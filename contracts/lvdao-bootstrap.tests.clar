;; Rendezvous properties and invariants for lvdao-bootstrap (appended to the contract by `rv`).
;; The fuzz runner runs the bootstrap as the DAO, from the fuzz bootstrap that lvdao-core.construct runs
;; (scripts/fuzz-fixtures.ts); the state it set stays as docs/design.md describes, whoever calls it afterwards.

(define-constant FUZZ_EXTENSIONS (list .dao-settings .gt-token .proposals .quadratic-voting .conviction-voting
  .execution-queue .liquidity-oracle .lv-ledger .guardian .member-registry .treasury .chain-actions))

(define-private (still-enabled (extension principal) (ok-so-far bool))
  (and ok-so-far (contract-call? .lvdao-core is-extension extension)))

;; ---- invariants

;; The bootstrapped DAO: every extension enabled, wallet_6 the relay, wallet_7 and wallet_8 guardians,
;; veto-quorum 2, and the guardian sunset a year after construction.
(define-read-only (invariant-bootstrap-state-holds)
  (and (fold still-enabled FUZZ_EXTENSIONS true)
       (contract-call? .execution-queue is-relay WALLET_6)
       (contract-call? .guardian is-guardian WALLET_7)
       (contract-call? .guardian is-guardian WALLET_8)
       (is-eq (contract-call? .dao-settings get-setting "veto-quorum") (ok u2))
       (match (contract-call? .lvdao-core executed-at 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.lvdao-fuzz-bootstrap)
         height (> (unwrap-panic (contract-call? .dao-settings get-setting "guardian-sunset")) SUNSET_AFTER)
         false)))

;; ---- properties

;; Called directly by anyone, the bootstrap changes nothing: the DAO guard refuses its first step.
(define-public (test-direct-call-refused (sender principal))
  (begin
    (asserts! (is-err (execute sender)) (err u1))
    (ok true)))
