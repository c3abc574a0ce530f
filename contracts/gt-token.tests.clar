;; Rendezvous properties and invariants for gt-token (appended to the contract by `rv`).
;; The fuzz runner runs the fuzz bootstrap first: the real bootstrap's 4,100,000 GT to wallet_1..wallet_5, and
;; 800,000 GT to the three fuzz agents (scripts/fuzz-fixtures.ts, AGENT_GT), which nothing here moves. Mint and burn are
;; DAO-guarded; `fuzz-mint`/`fuzz-burn` call them as the DAO would (gt-token is an enabled extension, so
;; as-contract? passes the guard) and count what they move, so supply can be checked against minted - burned.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))
;; What the fuzz bootstrap mints: 4 x 1,000,000 GT + 100,000 GT (docs/design.md) and 400,000 + 250,000 +
;; 150,000 GT to the agents, in base units.
(define-constant BOOTSTRAP_MINTED u4900000000000)
;; The fuzz agents (contracts deployed after gt-token, so named by their full principals).
(define-constant FUZZ_AGENTS (list 'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.lvdao-fuzz-agent-1
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.lvdao-fuzz-agent-2
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM.lvdao-fuzz-agent-3))

(define-data-var ghost-minted uint u0)
(define-data-var ghost-burned uint u0)

(define-private (fuzz-holder (slot uint))
  (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS)))))

(define-private (mint-as-dao (amount uint) (recipient principal))
  (as-contract? () (try! (mint amount recipient))))

(define-private (burn-as-dao (amount uint) (owner principal))
  (as-contract? () (try! (burn amount owner))))

(define-public (fuzz-mint (amount uint) (slot uint))
  (begin
    (try! (mint-as-dao amount (fuzz-holder slot)))
    (var-set ghost-minted (+ (var-get ghost-minted) amount))
    (ok true)))

(define-public (fuzz-burn (amount uint) (slot uint))
  (let ((owner (fuzz-holder slot))
        (burnt (mod amount (+ (ft-get-balance gt owner) u1))))
    (try! (burn-as-dao burnt owner))
    (var-set ghost-burned (+ (var-get ghost-burned) burnt))
    (ok true)))

;; A transfer between test accounts, of part of the caller's balance.
(define-public (fuzz-transfer (amount uint) (slot uint))
  (transfer (mod amount (+ (ft-get-balance gt contract-caller) u1)) contract-caller (fuzz-holder slot) none))

;; ---- invariants

;; GT supply equals what was minted minus what was burned.
(define-read-only (invariant-supply-is-minted-minus-burned)
  (is-eq (ft-get-supply gt) (- (+ BOOTSTRAP_MINTED (var-get ghost-minted)) (var-get ghost-burned))))

(define-private (add-balance (who principal) (sum uint)) (+ sum (ft-get-balance gt who)))

;; The supply is held by the test accounts and the agents (nothing else receives GT while gt-token is fuzzed),
;; and the supply checkpoint agrees with it.
(define-read-only (invariant-supply-is-held-and-checkpointed)
  (and (is-eq (fold add-balance FUZZ_AGENTS (fold add-balance FUZZ_HOLDERS u0)) (ft-get-supply gt))
       (is-eq (get balance (newest-of none)) (ft-get-supply gt))))

(define-private (checkpoint-matches (who principal) (ok-so-far bool))
  (and ok-so-far (is-eq (get balance (newest-of (some who))) (ft-get-balance gt who))))

;; Every holder's newest checkpoint is its balance.
(define-read-only (invariant-checkpoints-match-balances)
  (fold checkpoint-matches FUZZ_HOLDERS true))

;; ---- properties

;; A transfer moves exactly the amount and nothing else.
(define-public (test-transfer-moves-exactly (amount uint) (slot uint))
  (let ((sender contract-caller)
        (recipient (fuzz-holder slot))
        (from-before (ft-get-balance gt sender))
        (to-before (ft-get-balance gt recipient))
        (supply-before (ft-get-supply gt)))
    (if (or (is-eq amount u0) (> amount from-before) (is-eq sender recipient))
      (ok false)
      (begin
        (try! (transfer amount sender recipient none))
        (asserts! (is-eq (ft-get-balance gt sender) (- from-before amount)) (err u1))
        (asserts! (is-eq (ft-get-balance gt recipient) (+ to-before amount)) (err u2))
        (asserts! (is-eq (ft-get-supply gt) supply-before) (err u3))
        (ok true)))))

;; Nobody moves someone else's tokens, and nobody but the DAO mints or burns.
(define-public (test-no-unauthorised-movement (amount uint) (slot uint))
  (let ((victim (fuzz-holder slot)))
    (if (or (is-eq victim contract-caller) (is-eq amount u0))
      (ok false)
      (begin
        (asserts! (is-eq (transfer amount victim contract-caller none) ERR_NOT_TOKEN_OWNER) (err u1))
        (asserts! (is-eq (mint amount contract-caller) ERR_UNAUTHORIZED) (err u2))
        (asserts! (is-eq (burn amount victim) ERR_UNAUTHORIZED) (err u3))
        (ok true)))))

;; The balance at a past height never changes afterwards.
(define-public (test-past-balance-is-stable (slot uint) (amount uint))
  (let ((who (fuzz-holder slot))
        (height (- stacks-block-height u1))
        (before (unwrap! (get-balance-at who height) (err u1))))
    (and (> amount u0) (<= amount (ft-get-balance gt contract-caller)) (not (is-eq who contract-caller))
         (is-ok (transfer amount contract-caller who none)))
    (asserts! (is-eq (unwrap! (get-balance-at who height) (err u2)) before) (err u3))
    (ok true)))

;; ---- delegation

;; The caller delegates to a test account (its own votes back when that is itself).
(define-public (fuzz-delegate (slot uint))
  (delegate (fuzz-holder slot)))

(define-private (add-votes-of (who principal) (sum uint)) (+ sum (get-votes who)))

;; Every GT counts as votes of exactly one delegate: the delegates' votes (delegates are the test accounts and
;; the agents, as nothing delegates elsewhere here) sum to the supply.
(define-read-only (invariant-votes-sum-to-supply)
  (is-eq (fold add-votes-of FUZZ_AGENTS (fold add-votes-of FUZZ_HOLDERS u0)) (ft-get-supply gt)))
