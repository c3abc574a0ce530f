;; Rendezvous properties and invariants for conviction-voting (appended to the contract by `rv`).
;; scripts/fuzz.ts runs the fuzz bootstrap first, so wallet_1..wallet_5 hold GT. Registration is DAO-guarded,
;; so three proposals are written here at deployment, one per pool, with the parameters register-proposal would
;; freeze; `fuzz-register` registers ids 4..6 as the DAO would, with any pool and sometimes a beneficiary (a
;; gt-grant's recipient) among the wallets. `fuzz-stake`/`fuzz-unstake` aim the real stake/unstake at them,
;; `fuzz-close` closes 4..6, and `fuzz-set-parameter`, `fuzz-mint` and `fuzz-report-pools` move everything a
;; frozen parameter was read from (settings, GT supply, the oracle's pools). rv also calls stake, unstake and
;; register-proposal with raw random arguments.

(define-constant FUZZ_IDS (list u1 u2 u3 u4 u5 u6))
(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))
(define-constant FUZZ_PARAMETERS (list "cv-decay" "cv-weight" "cv-max-ratio" "cv-min-stake-bps" "grant-min-supporters"))

;; id -> the parameters frozen at register, as the register call saw them
(define-map ghost-frozen uint {requested: uint, pool: uint, pool-amount: uint, beneficiary: (optional principal),
                               start: uint, end: uint, decay: uint, weight: uint, max-ratio: uint, min-stake: uint,
                               min-supporters: uint})

(define-private (frozen-of (id uint))
  (match (map-get? proposals id)
    proposal (some {requested: (get requested proposal), pool: (get pool proposal),
                    pool-amount: (get pool-amount proposal),
                    beneficiary: (get beneficiary proposal), start: (get start proposal), end: (get end proposal),
                    decay: (get decay proposal), weight: (get weight proposal), max-ratio: (get max-ratio proposal),
                    min-stake: (get min-stake proposal), min-supporters: (get min-supporters proposal)})
    none))

(define-private (deploy-proposal (id uint) (requested uint) (pool uint) (pool-amount uint))
  (begin
    (map-set proposals id {requested: requested, pool: pool, pool-amount: pool-amount, beneficiary: none,
                           start: burn-block-height, end: u4294967295, decay: (setting "cv-decay"),
                           weight: (setting "cv-weight"), max-ratio: (setting "cv-max-ratio"), min-stake: u0,
                           min-supporters: u1, total-stake: u0, peak-stake: u0, supporters: u0, conviction: u0,
                           updated-at: burn-block-height, closed: false})
    (map-set ghost-frozen id (unwrap-panic (frozen-of id)))))

(deploy-proposal u1 u0 POOL_NONE u0)
(deploy-proposal u2 u1000000 POOL_ONCHAIN u100000000)
(deploy-proposal u3 u500 POOL_LV_RESERVE u100000)

(define-private (fuzz-id (slot uint)) (+ (mod slot u6) u1))

(define-private (fuzz-holder (slot uint))
  (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS)))))

;; The real stake, aimed at one of the registered proposals.
(define-public (fuzz-stake (slot uint) (amount uint))
  (stake (fuzz-id slot) amount))

;; The real unstake of part of the caller's stake (amount taken modulo stake + 1, so it often succeeds).
(define-public (fuzz-unstake (slot uint) (amount uint))
  (let ((id (fuzz-id slot)))
    (unstake id (mod amount (+ (get-stake id contract-caller) u1)))))

;; register-proposal as the DAO would call it (conviction-voting is an enabled extension after the bootstrap),
;; for ids 4..6 only, so the invariants see every registered proposal; a gt-grant (pool u3) names a wallet as
;; its beneficiary when `grant` is set.
(define-public (fuzz-register (slot uint) (requested uint) (pool uint) (length uint) (grant bool) (who uint))
  (let ((id (+ (mod slot u3) u4)))
    (try! (as-contract? ()
            (try! (if grant
                    (register-proposal id requested POOL_GT_SUPPLY (some (fuzz-holder who)) burn-block-height
                                       (+ burn-block-height (mod length u5000)))
                    (register-proposal id requested (mod pool u5) none burn-block-height
                                       (+ burn-block-height (mod length u5000)))))))
    (ok (map-set ghost-frozen id (unwrap-panic (frozen-of id))))))

;; close-proposal as proposals.conclude or cancel would call it, for ids 4..6.
(define-public (fuzz-close (slot uint))
  (as-contract? () (try! (close-proposal (+ (mod slot u3) u4)))))

;; A setting every new proposal freezes, changed as a passed `setting` proposal would.
(define-public (fuzz-set-parameter (slot uint) (raw uint))
  (let ((key (unwrap-panic (element-at? FUZZ_PARAMETERS (mod slot (len FUZZ_PARAMETERS)))))
        (bounds (unwrap-panic (contract-call? .dao-settings get-setting-bounds key))))
    (as-contract? ()
      (try! (contract-call? .dao-settings set-setting key
                            (+ (get min bounds) (mod raw (+ (- (get max bounds) (get min bounds)) u1))))))))

;; GT minted as the DAO would, which moves the supply min-stake and the gt-grant pool are read from.
(define-public (fuzz-mint (amount uint) (slot uint))
  (as-contract? () (try! (contract-call? .gt-token mint (+ u1 (mod amount u1000000000000)) (fuzz-holder slot)))))

;; A liquidity report, which moves the oracle's median pools (conviction-voting made a relay as the DAO would).
(define-public (fuzz-report-pools (onchain uint) (reserve uint))
  (as-contract? ()
    (try! (contract-call? .execution-queue set-relay current-contract true))
    (try! (contract-call? .liquidity-oracle report-liquidity
            {onchain-sats: onchain, outbound-sats: u0, inbound-sats: u0, channels: u0, lv-reserve: reserve,
             lv-withdrawal: u0, vault-sats: u0}))))

;; ---- invariants

(define-private (add-total-stake (id uint) (acc {all: uint, open: uint}))
  (match (map-get? proposals id)
    proposal {all: (+ (get all acc) (get total-stake proposal)),
              open: (+ (get open acc) (if (get closed proposal) u0 (get total-stake proposal)))}
    acc))

(define-private (add-holder-stake (who principal) (acc {id: uint, sum: uint}))
  (merge acc {sum: (+ (get sum acc) (get-stake (get id acc) who))}))

(define-private (stakes-add-up (id uint) (ok-so-far bool))
  (and ok-so-far
       (is-eq (get sum (fold add-holder-stake FUZZ_HOLDERS {id: id, sum: u0}))
              (default-to u0 (get total-stake (map-get? proposals id))))))

;; The GT held by conviction-voting equals the sum of live stakes, closed proposals' included, and S counts
;; the stake of open proposals only.
(define-read-only (invariant-escrow-equals-stakes)
  (let ((held (unwrap-panic (contract-call? .gt-token get-balance current-contract)))
        (sums (fold add-total-stake FUZZ_IDS {all: u0, open: u0})))
    (and (is-eq held (get all sums))
         (is-eq (var-get total-staked) (get open sums))
         (fold stakes-add-up FUZZ_IDS true))))

(define-private (conviction-bounded (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? proposals id)
         proposal (<= (* (conviction-now proposal burn-block-height) (- SCALE (get decay proposal)))
                      (* (get peak-stake proposal) SCALE))
         true)))

;; Conviction never exceeds x / (1 - a), with the proposal's frozen a, for the most stake it has held.
(define-read-only (invariant-conviction-below-peak-stake)
  (fold conviction-bounded FUZZ_IDS true))

(define-private (peak-covers-stake (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? proposals id) proposal (<= (get total-stake proposal) (get peak-stake proposal)) true)))

;; A proposal's stake never exceeds its peak stake.
(define-read-only (invariant-peak-covers-stake)
  (fold peak-covers-stake FUZZ_IDS true))

(define-private (still-frozen (id uint) (ok-so-far bool))
  (and ok-so-far (is-eq (frozen-of id) (map-get? ghost-frozen id))))

;; A proposal's frozen parameters (decay, weight, max ratio, minimum support and supporters, pool, request,
;; beneficiary, window) never change after register, whatever settings, supply or pools do.
(define-read-only (invariant-frozen-parameters-never-change)
  (fold still-frozen FUZZ_IDS true))

(define-private (beneficiary-unstaked (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? proposals id)
         proposal (match (get beneficiary proposal) who (is-eq (get-stake id who) u0) true)
         true)))

;; A gt-grant's recipient never holds stake on it.
(define-read-only (invariant-beneficiary-never-stakes)
  (fold beneficiary-unstaked FUZZ_IDS true))

;; ---- properties

(define-private (fuzz-decay (raw uint)) (+ u500000000000 (mod raw u500000000000)))

;; a^t never grows with t and never exceeds 1.
(define-public (test-decay-power-non-increasing (raw-decay uint) (t uint))
  (let ((decay (fuzz-decay raw-decay)))
    (asserts! (<= (power-at decay (+ t u1)) (power-at decay t)) (err u1))
    (asserts! (<= (power-at decay t) POW_SCALE) (err u2))
    (ok true)))

;; The update is a convex mix of y0 and x / (1 - a), so it never exceeds the larger of the two.
(define-public (test-conviction-between-start-and-limit (y0 uint) (x uint) (raw-decay uint) (t uint))
  (let ((decay (fuzz-decay raw-decay))
        (y (conviction-after y0 x decay t))
        (limit-scaled (* x SCALE)))
    (asserts! (or (<= y y0) (<= (* y (- SCALE decay)) limit-scaled)) (err u1))
    (ok true)))

;; Asking for more of a pool never lowers the threshold (requests drawn below cv-max-ratio of the pool).
(define-public (test-threshold-grows-with-request (support uint) (raw-low uint) (raw-high uint) (pool uint))
  (let ((high (/ (* pool (mod raw-high u2000)) u10000))
        (low (/ (* high (mod raw-low u101)) u100)))
    (if (is-eq pool u0)
      (ok false)
      (let ((at-high (unwrap! (threshold-of u2500000000 support u998396779171 u2000 high pool) (err u1)))
            (at-low (unwrap! (threshold-of u2500000000 support u998396779171 u2000 low pool) (err u2))))
        (asserts! (<= at-low at-high) (err u3))
        (ok true)))))

;; Staking then unstaking the same amount gives every token back.
(define-public (test-stake-unstake-round-trip (slot uint) (amount uint))
  (let ((id (+ (mod slot u3) u1))
        (before (unwrap-panic (contract-call? .gt-token get-balance contract-caller)))
        (staked-before (get-stake id contract-caller)))
    (if (or (is-eq amount u0) (> amount before))
      (ok false)
      (begin
        (try! (stake id amount))
        (try! (unstake id amount))
        (asserts! (is-eq (unwrap-panic (contract-call? .gt-token get-balance contract-caller)) before) (err u1))
        (asserts! (is-eq (get-stake id contract-caller) staked-before) (err u2))
        (ok true)))))

(define-private (register-as-dao (id uint) (pool uint) (start uint) (end uint))
  (as-contract? () (try! (register-proposal id u0 pool none start end))))

;; Registration refuses an unknown pool, an empty window and a second registration of an id.
(define-public (test-register-guards (raw-pool uint) (start uint) (length uint))
  (begin
    (asserts! (is-eq (register-as-dao u100 (+ u4 raw-pool) start (+ start u1)) ERR_BAD_POOL) (err u1))
    (asserts! (is-eq (register-as-dao u100 u0 start (- start (mod length (+ start u1)))) ERR_BAD_WINDOW) (err u2))
    (asserts! (is-eq (register-as-dao u1 u0 start (+ start u1)) ERR_ALREADY_REGISTERED) (err u3))
    (ok true)))
