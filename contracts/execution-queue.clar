;; title: execution-queue
;; summary: Passed off-chain actions waiting for a relay, the relays' claims with leases, and their receipts.
;; description:
;;   proposals.conclude queues every passed off-chain action (the action id is the proposal id). A relay
;;   claims it once `eta <= burn height < expires`, holding a lease of `claim-lease` burn blocks; it then
;;   reports success with evidence, or failure with a code. A retryable failure puts the action back in the
;;   queue until `max-attempts`; anything else ends it as `failed`.
;;   A claim's lease is live while its burn height is below `claim-expires` and its relay is still enabled:
;;   disabling a relay voids its claims at once. Another relay may take over a claim whose lease is not live
;;   (the relays' idempotency keys make the takeover safe). The claimant's report is accepted while the action
;;   is still claimed by it and has not lapsed; an action lapses once it is past its expiry with no live lease.
;;   `get-action` reads a lapsed action as "expired", `expire` records it, and a report on it fails with
;;   ERR_EXPIRED: the three always agree, and a live lease always wins over the expiry.
;;   Only an enabled relay reports. Execution is paused while `paused-until` lies ahead and the guardian sunset
;;   has not passed.
;;   The relay also records here the swaps it makes on its own under the active rebalance-policy
;;   (`report-autonomous`), within that policy's budget per period. The active policy is the newest passed one:
;;   a policy reported after a newer one (a later eta, or the same eta and a higher id) does not replace it.
;; dependencies: lvdao-core (DAO guard), dao-settings (claim-lease, max-attempts, paused-until, guardian-sunset).

;; Errors (u1500-u1599)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1500))
;; The caller is not an enabled relay.
(define-constant ERR_NOT_RELAY (err u1501))
;; No action has this id.
(define-constant ERR_UNKNOWN_ACTION (err u1502))
;; An action with this id is already queued.
(define-constant ERR_ACTION_EXISTS (err u1503))
;; The action's eta has not been reached.
(define-constant ERR_NOT_READY (err u1504))
;; The action has expired.
(define-constant ERR_EXPIRED (err u1505))
;; Another relay holds a live lease on the action.
(define-constant ERR_LEASE_HELD (err u1506))
;; The caller is not the relay that holds the claim.
(define-constant ERR_NOT_CLAIMANT (err u1507))
;; The action is not claimed (it was already reported, or never claimed).
(define-constant ERR_NOT_CLAIMED (err u1508))
;; Execution is paused by a guardian.
(define-constant ERR_PAUSED (err u1509))
;; The action is executed, failed, expired or vetoed.
(define-constant ERR_FINISHED (err u1510))
;; The evidence is empty.
(define-constant ERR_EMPTY_EVIDENCE (err u1511))
;; A failure code must be positive.
(define-constant ERR_BAD_FAILURE_CODE (err u1512))
;; The action cannot be expired yet (before expiry, or a live lease holds it).
(define-constant ERR_NOT_EXPIRABLE (err u1513))
;; The policy id is not the active rebalance-policy.
(define-constant ERR_NOT_ACTIVE_POLICY (err u1514))
;; An autonomous action must be loop-out or loop-in.
(define-constant ERR_BAD_KIND (err u1515))
;; The amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u1516))
;; The amount would exceed the policy's budget for this period.
(define-constant ERR_OVER_BUDGET (err u1517))
;; The expiry must lie after the eta.
(define-constant ERR_BAD_WINDOW (err u1518))

(define-constant STATUS_QUEUED "queued")
(define-constant STATUS_CLAIMED "claimed")
(define-constant STATUS_EXECUTED "executed")
(define-constant STATUS_FAILED "failed")
(define-constant STATUS_EXPIRED "expired")
(define-constant STATUS_VETOED "vetoed")

(define-map relays principal bool)

;; action id (= proposal id) -> the action
(define-map actions uint {proposal-id: uint, kind: (string-ascii 24), payload: (buff 2048), eta: uint,
                          expires: uint, status: (string-ascii 10), relay: (optional principal),
                          claim-expires: uint, attempts: uint, evidence: (optional (buff 256)),
                          failure-code: (optional uint)})

;; action id -> the veto window of a queued action (closes is a burn height)
(define-map veto-windows uint {closes: uint, vetoable: bool, opened-at: uint})

;; The rebalance-policy in force: the action that set it, when, and its budget.
(define-data-var active-policy (optional {id: uint, activated-at: uint, budget-sats: uint, budget-period: uint}) none)

;; {policy id, period index} -> sats swapped autonomously in that period
(define-map autonomous-spent {policy-id: uint, period: uint} uint)

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (setting (key (string-ascii 32)))
  (unwrap-panic (contract-call? .dao-settings get-setting key)))

(define-private (check-relay)
  (ok (asserts! (is-relay contract-caller) ERR_NOT_RELAY)))

(define-private (is-finished (status (string-ascii 10)))
  (not (or (is-eq status STATUS_QUEUED) (is-eq status STATUS_CLAIMED))))

;; The action claimed by the caller, after checking the caller holds the claim.
(define-private (claimed-by-caller (id uint))
  (let ((action (unwrap! (map-get? actions id) ERR_UNKNOWN_ACTION)))
    (try! (check-relay))
    ;; Check that the action is claimed
    (asserts! (is-eq (get status action) STATUS_CLAIMED) ERR_NOT_CLAIMED)
    ;; Check that the caller holds the claim
    (asserts! (is-eq (get relay action) (some contract-caller)) ERR_NOT_CLAIMANT)
    ;; Check that the action has not lapsed (past its expiry with the lease run out)
    (asserts! (not (is-lapsed action burn-block-height)) ERR_EXPIRED)
    (ok action)))

;; True while a relay holds the action under a lease that has not run out at `now`, and that relay is still
;; enabled. (Heights are passed in: each read of burn-block-height costs a read.)
(define-private (lease-live (now uint) (action {proposal-id: uint, kind: (string-ascii 24), payload: (buff 2048),
                                     eta: uint, expires: uint, status: (string-ascii 10), relay: (optional principal),
                                     claim-expires: uint, attempts: uint, evidence: (optional (buff 256)),
                                     failure-code: (optional uint)}))
  (and (is-eq (get status action) STATUS_CLAIMED)
       (< now (get claim-expires action))
       (match (get relay action) holder (is-relay holder) false)))

;; True when an open action is past its expiry at `now` and no live lease holds it.
(define-private (is-lapsed (action {proposal-id: uint, kind: (string-ascii 24), payload: (buff 2048), eta: uint,
                                    expires: uint, status: (string-ascii 10), relay: (optional principal),
                                    claim-expires: uint, attempts: uint, evidence: (optional (buff 256)),
                                    failure-code: (optional uint)})
                           (now uint))
  (and (not (is-finished (get status action)))
       (>= now (get expires action))
       (not (lease-live now action))))

;; True while a guardian pause runs at `now`: `paused-until` lies ahead and the guardian sunset has not passed.
(define-private (is-paused (now uint))
  (and (< now (setting "paused-until")) (< now (setting "guardian-sunset"))))

;; Enables or disables a relay.
;; Caller: lvdao-core or an extension (proposals applies `relay-set`; the bootstrap).
;; Event: relay-set.
(define-public (set-relay (who principal) (enabled bool))
  (begin
    (try! (is-dao-or-extension))
    (map-set relays who enabled)
    (print {topic: "relay-set", relay: who, enabled: enabled})
    (ok true)))

;; Queues a passed off-chain action, with its veto window (guardians veto while burn height < veto-closes,
;; unless vetoable is false). The window is kept here, beside the action, so concluding a passed off-chain
;; proposal makes one call; guardian reads it back (get-veto-window) when a guardian vetoes.
;; Caller: lvdao-core or an extension (proposals.conclude).
;; Event: action-queued.
(define-public (queue-action (id uint) (kind (string-ascii 24)) (payload (buff 2048)) (eta uint) (expires uint)
                             (veto-closes uint) (vetoable bool))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the action can be claimed at some height
    (asserts! (> expires eta) ERR_BAD_WINDOW)
    ;; Check that the action is queued once
    (asserts! (map-insert actions id {proposal-id: id, kind: kind, payload: payload, eta: eta, expires: expires,
                                      status: STATUS_QUEUED, relay: none, claim-expires: u0, attempts: u0,
                                      evidence: none, failure-code: none})
              ERR_ACTION_EXISTS)
    (map-set veto-windows id {closes: veto-closes, vetoable: vetoable, opened-at: burn-block-height})
    (print {topic: "action-queued", id: id, proposal-id: id, kind: kind, payload: payload, eta: eta, expires: expires,
            veto-closes: veto-closes, vetoable: vetoable})
    (ok true)))

;; Withdraws a queued action whose proposal guardians vetoed.
;; Caller: lvdao-core or an extension (guardian.veto).
;; Event: action-vetoed.
(define-public (veto-action (id uint))
  (let ((action (try! (dao-action id))))
    ;; Check that the action has not finished
    (asserts! (not (is-finished (get status action))) ERR_FINISHED)
    (map-set actions id (merge action {status: STATUS_VETOED}))
    (print {topic: "action-vetoed", id: id})
    (ok true)))

;; The action `id`, after the DAO guard.
(define-private (dao-action (id uint))
  (begin
    (try! (is-dao-or-extension))
    (ok (unwrap! (map-get? actions id) ERR_UNKNOWN_ACTION))))

;; Takes an action for execution, with a lease of `claim-lease` burn blocks.
;; Caller: an enabled relay, while execution is not paused and eta <= burn height < expires.
;; Event: action-claimed.
(define-public (claim (id uint))
  (let ((action (unwrap! (map-get? actions id) ERR_UNKNOWN_ACTION))
        (now burn-block-height)
        (claim-expires (+ now (setting "claim-lease"))))
    (try! (check-relay))
    ;; Check that no guardian pause is running
    (asserts! (not (is-paused now)) ERR_PAUSED)
    ;; Check that the action is still open
    (asserts! (not (is-finished (get status action))) ERR_FINISHED)
    ;; Check that no claim's lease is live (a disabled relay's claim is void)
    (asserts! (not (lease-live now action)) ERR_LEASE_HELD)
    ;; Check that the action is due
    (asserts! (>= now (get eta action)) ERR_NOT_READY)
    ;; Check that the action has not expired
    (asserts! (< now (get expires action)) ERR_EXPIRED)
    (map-set actions id (merge action {status: STATUS_CLAIMED, relay: (some contract-caller),
                                       claim-expires: claim-expires}))
    (print {topic: "action-claimed", id: id, relay: contract-caller, claim-expires: claim-expires,
            attempts: (get attempts action)})
    (ok claim-expires)))

;; Records that the claimed action was carried out, with its evidence (docs/design.md section 4).
;; Caller: the relay that holds the claim.
;; Event: action-executed.
(define-public (report-success (id uint) (evidence (buff 256)))
  (let ((action (try! (claimed-by-caller id))))
    ;; Check that there is evidence
    (asserts! (> (len evidence) u0) ERR_EMPTY_EVIDENCE)
    (map-set actions id (merge action {status: STATUS_EXECUTED, evidence: (some evidence)}))
    (and (is-eq (get kind action) "rebalance-policy") (activate-policy id (get eta action) (get payload action)))
    (print {topic: "action-executed", id: id, kind: (get kind action), relay: contract-caller, evidence: evidence})
    (ok true)))

;; A period of at least one block, so the budget period can always divide.
(define-private (max-u1 (n uint)) (if (> n u0) n u1))

;; Makes the policy `id` the active one, unless the active one passed later (a later eta, or the same eta and
;; a higher id): the newest passed policy wins, whatever order the relays report them in.
(define-private (activate-policy (id uint) (eta uint) (payload (buff 2048)))
  (let ((policy (from-consensus-buff? {min-inbound-pct: uint, min-outbound-pct: uint, max-swap-fee-ppm: uint,
                                        budget-sats: uint, budget-period: uint, max-in-flight: uint,
                                        peers: (list 16 (buff 33))} payload))
        (newer (match (var-get active-policy)
                 active (match (map-get? actions (get id active))
                          current (or (> eta (get eta current))
                                      (and (is-eq eta (get eta current)) (> id (get id active))))
                          true)
                 true)))
    (and newer
         (var-set active-policy
           (some {id: id, activated-at: burn-block-height,
                  budget-sats: (default-to u0 (get budget-sats policy)),
                  budget-period: (max-u1 (default-to u1 (get budget-period policy)))})))
    true))

;; Records that the claimed action failed. A retryable failure requeues it until `max-attempts`.
;; Caller: the relay that holds the claim.
;; Event: action-failed.
(define-public (report-failure (id uint) (code uint) (retryable bool) (detail (string-ascii 160)))
  (let ((action (try! (claimed-by-caller id)))
        (attempts (+ (get attempts action) u1))
        (requeued (and retryable (< attempts (setting "max-attempts")))))
    ;; Check that the failure code is positive
    (asserts! (> code u0) ERR_BAD_FAILURE_CODE)
    (map-set actions id (merge action {status: (if requeued STATUS_QUEUED STATUS_FAILED), attempts: attempts,
                                       failure-code: (some code)}))
    (print {topic: "action-failed", id: id, relay: contract-caller, code: code, retryable: retryable,
            detail: detail, attempts: attempts, final: (not requeued)})
    (ok requeued)))

;; Ends an action that nobody carried out before its expiry.
;; Caller: anyone, once the action has lapsed (burn height >= expires and no live lease holds it).
;; Event: action-expired.
(define-public (expire (id uint))
  (let ((action (unwrap! (map-get? actions id) ERR_UNKNOWN_ACTION)))
    ;; Check that the action is still open
    (asserts! (not (is-finished (get status action))) ERR_FINISHED)
    ;; Check that the expiry has passed and no live lease holds the action
    (asserts! (is-lapsed action burn-block-height) ERR_NOT_EXPIRABLE)
    (map-set actions id (merge action {status: STATUS_EXPIRED}))
    (print {topic: "action-expired", id: id})
    (ok true)))

;; Records a swap the relay made on its own under the active rebalance-policy, within its budget.
;; Caller: an enabled relay.
;; Event: autonomous-action.
(define-public (report-autonomous (policy-id uint) (kind (string-ascii 24)) (amount uint) (evidence (buff 256)))
  (let ((policy (unwrap! (var-get active-policy) ERR_NOT_ACTIVE_POLICY))
        (period (/ (- burn-block-height (get activated-at policy)) (get budget-period policy)))
        (key {policy-id: policy-id, period: period})
        (spent (+ (default-to u0 (map-get? autonomous-spent key)) amount)))
    (try! (check-relay))
    ;; Check that the policy is the one in force
    (asserts! (is-eq policy-id (get id policy)) ERR_NOT_ACTIVE_POLICY)
    ;; Check that the kind is a swap
    (asserts! (or (is-eq kind "loop-out") (is-eq kind "loop-in")) ERR_BAD_KIND)
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that there is evidence
    (asserts! (> (len evidence) u0) ERR_EMPTY_EVIDENCE)
    ;; Check that the budget of this period is not exceeded
    (asserts! (<= spent (get budget-sats policy)) ERR_OVER_BUDGET)
    (map-set autonomous-spent key spent)
    (print {topic: "autonomous-action", policy-id: policy-id, kind: kind, amount: amount, evidence: evidence,
            period: period, spent: spent, relay: contract-caller})
    (ok spent)))

;; ---------------------------------------------------------------------------------------------------------
;; Reads

(define-read-only (is-relay (who principal))
  (default-to false (map-get? relays who)))

;; The action as stored; a lapsed action (open, past its expiry, no live lease) reads as `expired`.
(define-read-only (get-action (id uint))
  (match (map-get? actions id)
    action (some (if (is-lapsed action burn-block-height) (merge action {status: STATUS_EXPIRED}) action))
    none))

(define-read-only (get-veto-window (id uint))
  (map-get? veto-windows id))

(define-read-only (get-active-policy)
  (var-get active-policy))

(define-read-only (get-autonomous-spent (policy-id uint) (period uint))
  (default-to u0 (map-get? autonomous-spent {policy-id: policy-id, period: period})))
