;; title: conviction-voting
;; summary: Conviction voting: GT staked on a proposal builds conviction over time, and the proposal passes
;;   once its conviction reaches a threshold that grows with the share of a pool it asks for.
;; description:
;;   - `stake` escrows GT in this contract; `unstake` returns it at any time, also after the proposal ended.
;;     Tokens staked on one proposal are held here, so the same tokens cannot back two proposals at once.
;;   - Conviction is updated lazily at every stake change: y = a^t * y0 + x * (1 - a^t) / (1 - a), with t the
;;     burn blocks since the last update, x the stake held during them and a = `cv-decay` / 10^12. a^t is
;;     computed by squaring over the bits of t at an internal scale of 10^19 (round to nearest), so its cost
;;     grows with log2(t) only; stake and unstake read and write a fixed number of entries whatever the
;;     number of stakers or proposals.
;;   - Conviction is in GT base units x burn blocks/(1 - a) units: a stake x held forever tends to x / (1 - a).
;;     Both terms of y are rounded down, so y never exceeds max(y0, x / (1 - a)): a proposal's conviction never
;;     exceeds its peak stake / (1 - a).
;;   - Threshold: rho * S / ((1 - a) * (beta - r/R)^2) with rho = `cv-weight` / 10^12, beta = `cv-max-ratio`
;;     / 10^4, S = max(total GT staked here on all proposals, `cv-min-stake-bps` of the GT supply), r the
;;     amount the proposal requests and R its pool: on-chain sats or the LV reserve from liquidity-oracle, or
;;     the GT supply (pool u3, for gt-grant), and r = 0 for pool u0. Every rounding goes up, so the
;;     threshold is never below the exact value. r/R >= beta (or a request on an empty pool) is an error: the
;;     proposal cannot pass. A threshold too large for a uint saturates at u128 max, which no conviction reaches.
;;   - proposals.conclude passes a conviction proposal once get-conviction >= get-threshold; its outcome is
;;     recorded there, so stake that leaves afterwards does not undo it.
;;   - Every parameter a proposal's count depends on is frozen at register (propose): decay, weight, max
;;     ratio, the minimum support (cv-min-stake-bps of the GT supply then), the pool R (the oracle's median
;;     pool value, or the GT supply then) and, for a gt-grant, `grant-min-supporters`. A setting enacted or a
;;     liquidity report made while the vote runs does not move it. Only S, the stake of open proposals, moves.
;;   - A proposal closes when it concludes or is cancelled (`close-proposal`): it takes no more stake, and its
;;     stake leaves S, so it no longer raises other proposals' thresholds. Unstaking stays open.
;;   - A proposal passes (`get-result`) only while conviction >= threshold, some stake still backs it, and at
;;     least its minimum number of distinct stakers do. A gt-grant's recipient cannot stake on it.
;; dependencies: traits/counting-trait, lvdao-core (DAO guard), gt-token (escrow, total supply), dao-settings
;;   (cv-*, grant-min-supporters), liquidity-oracle (pools).

(impl-trait .counting-trait.counting-trait)

;; Errors (u1700-u1799)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1700))
;; No conviction proposal has this id.
(define-constant ERR_UNKNOWN_PROPOSAL (err u1701))
;; The proposal id is already registered.
(define-constant ERR_ALREADY_REGISTERED (err u1702))
;; The pool is not one of u0 (none), u1 (on-chain sats), u2 (LV reserve), u3 (GT supply).
(define-constant ERR_BAD_POOL (err u1703))
;; The window is empty: end must be after start.
(define-constant ERR_BAD_WINDOW (err u1704))
;; The amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u1705))
;; The proposal is not accepting stake: the burn height is outside [start, end).
(define-constant ERR_NOT_ACTIVE (err u1706))
;; The amount is more than the caller has staked on this proposal.
(define-constant ERR_INSUFFICIENT_STAKE (err u1707))
;; The request is at least cv-max-ratio of its pool (or the pool is empty): the proposal cannot pass.
(define-constant ERR_REQUEST_TOO_LARGE (err u1708))
;; A maths parameter is out of range: decay must be below 10^12, weight above 0, max-ratio within 1..10000 bps.
(define-constant ERR_BAD_PARAMETER (err u1709))
;; The proposal has concluded or was cancelled: it takes no more stake.
(define-constant ERR_CLOSED (err u1710))
;; The caller is the proposal's beneficiary (a gt-grant's recipient) and cannot stake on it.
(define-constant ERR_BENEFICIARY_STAKE (err u1711))

(define-constant POOL_NONE u0)
(define-constant POOL_ONCHAIN u1)
(define-constant POOL_LV_RESERVE u2)
(define-constant POOL_GT_SUPPLY u3) ;; for gt-grant: a grant is measured against the GT supply

(define-constant SCALE u1000000000000) ;; 10^12: the scale of cv-decay, cv-weight and ratios
(define-constant POW_SCALE u10000000000000000000) ;; 10^19: the internal scale of a^t
(define-constant POW_HALF u5000000000000000000)
(define-constant SCALE_TO_POW u10000000) ;; POW_SCALE / SCALE
(define-constant BPS u10000)
(define-constant BPS_TO_SCALE u100000000) ;; SCALE / BPS
(define-constant MAX_UINT u340282366920938463463374607431768211455)
(define-constant TWO_POW_64 u18446744073709551616)
;; One step per bit of t; (log2 t) + 1 of them are used. For t >= 2^64, a^t is below 10^-19 for every allowed a.
(define-constant BIT_STEPS (list u0 u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20
  u21 u22 u23 u24 u25 u26 u27 u28 u29 u30 u31 u32 u33 u34 u35 u36 u37 u38 u39 u40 u41 u42 u43 u44 u45 u46 u47
  u48 u49 u50 u51 u52 u53 u54 u55 u56 u57 u58 u59 u60 u61 u62 u63))

;; id -> proposal; heights are burn heights, stakes GT base units, conviction as described above. decay, weight
;; (scale 10^12), max-ratio (bps), min-stake (GT), pool-amount and min-supporters are frozen at register.
(define-map proposals uint
  {requested: uint, pool: uint, pool-amount: uint, beneficiary: (optional principal), start: uint, end: uint,
   decay: uint, weight: uint, max-ratio: uint, min-stake: uint, min-supporters: uint,
   total-stake: uint, peak-stake: uint, supporters: uint, conviction: uint, updated-at: uint, closed: bool})

;; {id, who} -> GT base units staked
(define-map stakes {id: uint, who: principal} uint)

;; GT base units staked on all proposals together (S before the minimum)
(define-data-var total-staked uint u0)

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (setting (key (string-ascii 32)))
  (unwrap-panic (contract-call? .dao-settings get-setting key)))

;; ---------------------------------------------------------------------------------------------------------
;; Fixed-point maths

;; x * y / 10^19, rounded to nearest; x, y <= 10^19 so the product fits.
(define-private (mul-pow (x uint) (y uint))
  (/ (+ (* x y) POW_HALF) POW_SCALE))

(define-private (pow-step (step uint) (acc {result: uint, square: uint, rest: uint}))
  (let ((rest (get rest acc)) (square (get square acc)))
    {result: (if (is-eq (mod rest u2) u1) (mul-pow (get result acc) square) (get result acc)),
     square: (if (> rest u1) (mul-pow square square) square),
     rest: (/ rest u2)}))

;; a^t at scale 10^19 for a = decay / 10^12 (decay < 10^12), by squaring over the bits of t.
(define-private (power-at (decay uint) (t uint))
  (if (is-eq t u0)
    POW_SCALE
    (if (>= t TWO_POW_64)
      u0
      (get result (fold pow-step (unwrap-panic (slice? BIT_STEPS u0 (+ (log2 t) u1)))
                        {result: POW_SCALE, square: (* decay SCALE_TO_POW), rest: t})))))

;; floor(v * f / d) for large v: exact while (d - 1) * f and (v / d) * f fit in a uint.
(define-private (mul-div-down (v uint) (f uint) (d uint))
  (+ (* (/ v d) f) (/ (* (mod v d) f) d)))

;; ceil(v * f / d), saturating at MAX_UINT; (d - 1) * f must fit in a uint.
(define-private (mul-div-up (v uint) (f uint) (d uint))
  (let ((whole (/ v d)) (low (/ (+ (* (mod v d) f) (- d u1)) d)))
    (if (and (> f u0) (> whole (/ (- MAX_UINT low) f)))
      MAX_UINT
      (+ (* whole f) low))))

;; Conviction t burn blocks after it was y0, with stake x held throughout and a = decay / 10^12 (decay < 10^12).
(define-private (conviction-after (y0 uint) (x uint) (decay uint) (t uint))
  (let ((power (power-at decay t)))
    (+ (mul-div-down y0 power POW_SCALE)
       (mul-div-down x (- POW_SCALE power) (* (- SCALE decay) SCALE_TO_POW)))))

;; rho * S / ((1 - a) * (beta - r/R)^2), every step rounded up, at least 1; parameters within their bounds.
;; weight and decay at scale 10^12, max-ratio in bps; pool-amount 0 with requested > 0 is an empty pool.
(define-private (threshold-of (weight uint) (support uint) (decay uint) (max-ratio-bps uint)
                              (requested uint) (pool-amount uint))
  (let ((beta (* max-ratio-bps BPS_TO_SCALE))
        (ratio (if (is-eq requested u0)
                 u0
                 (if (is-eq pool-amount u0) MAX_UINT (mul-div-up requested SCALE pool-amount)))))
    ;; Check that the request leaves a margin below the maximum ratio
    (asserts! (< ratio beta) ERR_REQUEST_TOO_LARGE)
    (let ((margin (- beta ratio))
          (weighted (if (> support (/ MAX_UINT weight)) MAX_UINT (* weight support)))
          (per-margin (mul-div-up weighted SCALE margin))
          (threshold (mul-div-up per-margin SCALE (* (- SCALE decay) margin))))
      (ok (if (is-eq threshold u0) u1 threshold)))))

;; The maths for any parameters, for the web app's projections and for checking against a reference.

;; a^t at scale 10^19 for a = decay / 10^12.
(define-read-only (decay-power (decay uint) (t uint))
  (begin
    ;; Check that a < 1
    (asserts! (< decay SCALE) ERR_BAD_PARAMETER)
    (ok (power-at decay t))))

;; Conviction t burn blocks after it was y0, with stake x held throughout and a = decay / 10^12.
(define-read-only (project-conviction (y0 uint) (x uint) (decay uint) (t uint))
  (begin
    ;; Check that a < 1
    (asserts! (< decay SCALE) ERR_BAD_PARAMETER)
    (ok (conviction-after y0 x decay t))))

;; The threshold for weight rho, support S, decay a, max ratio beta, request r and pool R.
(define-read-only (threshold-for (weight uint) (support uint) (decay uint) (max-ratio-bps uint)
                                 (requested uint) (pool-amount uint))
  (begin
    ;; Check that the parameters are within the bounds dao-settings keeps them in
    (asserts! (and (< decay SCALE) (> weight u0) (> max-ratio-bps u0) (<= max-ratio-bps BPS)) ERR_BAD_PARAMETER)
    (threshold-of weight support decay max-ratio-bps requested pool-amount)))

;; ---------------------------------------------------------------------------------------------------------
;; Proposals and stakes

;; Registers a conviction proposal and freezes the parameters its count depends on.
;; Caller: lvdao-core or an extension (proposals.propose).
;; Event: conviction-registered.
(define-public (register-proposal (id uint) (requested uint) (pool uint) (beneficiary (optional principal))
                                  (start uint) (end uint))
  (let ((supply (unwrap-panic (contract-call? .gt-token get-total-supply)))
        (pools (contract-call? .liquidity-oracle get-pool-values))
        (pool-amount (if (is-eq pool POOL_ONCHAIN) (get onchain-sats pools)
                       (if (is-eq pool POOL_LV_RESERVE) (get lv-reserve pools)
                         (if (is-eq pool POOL_GT_SUPPLY) supply u0))))
        (frozen {decay: (setting "cv-decay"), weight: (setting "cv-weight"), max-ratio: (setting "cv-max-ratio"),
                 min-stake: (/ (* supply (setting "cv-min-stake-bps")) BPS), pool-amount: pool-amount,
                 min-supporters: (if (is-eq pool POOL_GT_SUPPLY) (setting "grant-min-supporters") u1)}))
    (try! (is-dao-or-extension))
    ;; Check that the pool is known
    (asserts! (<= pool POOL_GT_SUPPLY) ERR_BAD_POOL)
    ;; Check that the window is not empty
    (asserts! (> end start) ERR_BAD_WINDOW)
    ;; Check that the id is registered once
    (asserts! (map-insert proposals id
                (merge frozen {requested: requested, pool: pool, beneficiary: beneficiary, start: start, end: end,
                               total-stake: u0, peak-stake: u0, supporters: u0, conviction: u0, updated-at: start,
                               closed: false}))
              ERR_ALREADY_REGISTERED)
    (print {topic: "conviction-registered", id: id, requested: requested, pool: pool, beneficiary: beneficiary,
            start: start, end: end, decay: (get decay frozen), weight: (get weight frozen),
            max-ratio: (get max-ratio frozen), min-stake: (get min-stake frozen), pool-amount: pool-amount,
            min-supporters: (get min-supporters frozen)})
    (ok true)))

;; Closes a proposal that concluded or was cancelled: it takes no more stake and its stake leaves S.
;; Caller: lvdao-core or an extension (proposals.conclude and proposals.cancel).
;; Event: conviction-closed.
(define-public (close-proposal (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL)))
    (try! (is-dao-or-extension))
    ;; Check that the proposal closes once
    (asserts! (not (get closed proposal)) ERR_CLOSED)
    (map-set proposals id (merge proposal {closed: true}))
    (var-set total-staked (- (var-get total-staked) (get total-stake proposal)))
    (print {topic: "conviction-closed", id: id, total-stake: (get total-stake proposal)})
    (ok true)))

;; The proposal's conviction brought up to now.
(define-private (conviction-now (proposal {requested: uint, pool: uint, pool-amount: uint,
                                           beneficiary: (optional principal), start: uint, end: uint, decay: uint,
                                           weight: uint, max-ratio: uint, min-stake: uint, min-supporters: uint,
                                           total-stake: uint, peak-stake: uint, supporters: uint, conviction: uint,
                                           updated-at: uint, closed: bool})
                                 (now uint))
  (let ((updated-at (get updated-at proposal)))
    (if (> now updated-at)
      (conviction-after (get conviction proposal) (get total-stake proposal) (get decay proposal) (- now updated-at))
      (get conviction proposal))))

;; Brings conviction up to now and applies a stake change of `delta` (added when `adding`, else removed).
(define-private (apply-stake-change (id uint) (who principal) (delta uint) (adding bool)
                                    (proposal {requested: uint, pool: uint, pool-amount: uint,
                                               beneficiary: (optional principal), start: uint, end: uint,
                                               decay: uint, weight: uint, max-ratio: uint, min-stake: uint,
                                               min-supporters: uint, total-stake: uint, peak-stake: uint,
                                               supporters: uint, conviction: uint, updated-at: uint, closed: bool})
                                    (now uint))
  (let ((held (get-stake id who))
        (staked (if adding (+ held delta) (- held delta)))
        (total (if adding (+ (get total-stake proposal) delta) (- (get total-stake proposal) delta)))
        (supporters (if (is-eq held u0) (+ (get supporters proposal) u1)
                      (if (is-eq staked u0) (- (get supporters proposal) u1) (get supporters proposal))))
        (conviction (conviction-now proposal now)))
    (map-set proposals id
      (merge proposal {total-stake: total,
                       peak-stake: (if (> total (get peak-stake proposal)) total (get peak-stake proposal)),
                       supporters: supporters, conviction: conviction, updated-at: now}))
    (if (is-eq staked u0) (map-delete stakes {id: id, who: who}) (map-set stakes {id: id, who: who} staked))
    ;; a closed proposal's stake has already left S
    (or (get closed proposal)
        (var-set total-staked (if adding (+ (var-get total-staked) delta) (- (var-get total-staked) delta))))
    (print {topic: "conviction-updated", id: id, who: who, stake: staked, total-stake: total, conviction: conviction})
    (ok staked)))

;; Escrows `amount` GT of the caller on proposal `id`.
;; Caller: a GT holder (contract-caller), while start <= burn height < end.
;; Event: conviction-updated.
(define-public (stake (id uint) (amount uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (who contract-caller)
        (now burn-block-height))
    ;; Check that something is staked
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the proposal is in its window
    (asserts! (and (>= now (get start proposal)) (< now (get end proposal))) ERR_NOT_ACTIVE)
    ;; Check that the proposal has not concluded or been cancelled
    (asserts! (not (get closed proposal)) ERR_CLOSED)
    ;; Check that the caller is not the one the proposal pays
    (asserts! (not (is-eq (get beneficiary proposal) (some who))) ERR_BENEFICIARY_STAKE)
    (try! (contract-call? .gt-token transfer amount who current-contract none))
    (apply-stake-change id who amount true proposal now)))

;; Returns `amount` GT of the caller's stake on proposal `id`, at any time.
;; Caller: a staker (contract-caller).
;; Event: conviction-updated.
(define-public (unstake (id uint) (amount uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (who contract-caller))
    ;; Check that something is unstaked
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the caller has that much staked here
    (asserts! (<= amount (get-stake id who)) ERR_INSUFFICIENT_STAKE)
    (try! (as-contract? ((with-ft .gt-token "gt" amount))
            (try! (contract-call? .gt-token transfer amount tx-sender who none))))
    (apply-stake-change id who amount false proposal burn-block-height)))

;; ---------------------------------------------------------------------------------------------------------
;; Reads

;; Conviction of proposal `id` at the current burn block (u0 for an unknown id).
(define-read-only (get-conviction (id uint))
  (match (map-get? proposals id) proposal (conviction-now proposal burn-block-height) u0))

(define-read-only (get-stake (id uint) (who principal))
  (default-to u0 (map-get? stakes {id: id, who: who})))

(define-read-only (get-proposal (id uint))
  (map-get? proposals id))

(define-read-only (get-total-staked)
  (var-get total-staked))

;; The conviction proposal `id` needs to pass: its frozen parameters, and S = the stake of open proposals, at
;; least the frozen minimum.
(define-read-only (get-threshold (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (staked (var-get total-staked)))
    (threshold-of (get weight proposal) (if (> staked (get min-stake proposal)) staked (get min-stake proposal))
                   (get decay proposal) (get max-ratio proposal)
                   (if (is-eq (get pool proposal) POOL_NONE) u0 (get requested proposal))
                   (get pool-amount proposal))))

;; The count of proposal `id` now: votes-for is the conviction, votes-against the threshold (u0 when the request
;; cannot pass), and it passes when conviction >= threshold, with stake still behind it from at least its minimum
;; number of stakers. proposals.conclude and proposals.get-proposal-status both read this.
(define-read-only (get-result (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (conviction (conviction-now proposal burn-block-height))
        (threshold (get-threshold id)))
    (ok {votes-for: conviction,
         votes-against: (match threshold limit limit code u0),
         passes: (match threshold
                   limit (and (>= conviction limit) (> (get total-stake proposal) u0)
                              (>= (get supporters proposal) (get min-supporters proposal)))
                   code false)})))
