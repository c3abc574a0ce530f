;; Rendezvous properties and invariants for lvdao-core (appended to the contract by `rv`).
;; The fuzz runner constructs the DAO with the fuzz bootstrap (scripts/fuzz-fixtures.ts), which runs the real
;; bootstrap's execute as the DAO and then the fuzz settings profile.

(define-constant FUZZ_EXTENSIONS (list .dao-settings .gt-token .proposals .quadratic-voting .conviction-voting
  .execution-queue .liquidity-oracle .lv-ledger .guardian .member-registry
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.treasury 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.chain-actions))

;; ---- invariants

;; The bootstrap ran exactly once, and the DAO is constructed.
(define-read-only (invariant-bootstrap-ran-once)
  (and (var-get constructed)
       (is-some (map-get? executed-proposals 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.lvdao-fuzz-bootstrap))))

(define-private (still-enabled (extension principal) (ok-so-far bool))
  (and ok-so-far (is-extension extension)))

;; Nobody outside the DAO can change the extension list: every extension the bootstrap enabled stays enabled.
(define-read-only (invariant-extensions-stay-enabled)
  (fold still-enabled FUZZ_EXTENSIONS true))

;; ---- properties

;; rv passes a project contract implementing proposal-trait (the bootstrap, which construct already ran).
(define-private (execute-as-dao (proposal <proposal-trait>) (sender principal))
  (as-contract? () (try! (execute proposal sender))))

;; An executed proposal never executes twice, not even when the DAO itself asks.
(define-public (test-proposal-executes-once (proposal <proposal-trait>) (sender principal))
  (if (is-none (map-get? executed-proposals (contract-of proposal)))
    (ok false)
    (begin
      (asserts! (is-eq (execute-as-dao proposal sender) ERR_ALREADY_EXECUTED) (err u1))
      (ok true))))

;; construct is one-shot, and the privileged functions refuse everyone outside the DAO.
(define-public (test-outsiders-refused (proposal <proposal-trait>) (extension principal) (enabled-flag bool))
  (begin
    (asserts! (is-err (construct proposal)) (err u1))
    (asserts! (is-eq (set-extension extension enabled-flag) ERR_UNAUTHORIZED) (err u2))
    (asserts! (is-eq (execute proposal tx-sender) ERR_UNAUTHORIZED) (err u3))
    (ok true)))
