;; Rendezvous properties and invariants for execution-queue (appended to the contract by `rv`).
;; The fuzz runner runs the real bootstrap first, so wallet_6 is the relay. Queueing is DAO-guarded;
;; `fuzz-queue` queues actions 1..5 as the DAO would (execution-queue is an enabled extension, so
;; as-contract? passes the guard). The fuzz- relay wrappers aim the real claim/report/expire calls at those ids,
;; remember each action they saw finish, so the invariants can check a finished action stays finished, and
;; count every call whose outcome disagreed with what get-action said just before. `fuzz-set-relay` enables and
;; disables relays as a passed relay-set would, so claims of disabled relays occur.

(define-constant FUZZ_IDS (list u1 u2 u3 u4 u5))
;; The relay of the bootstrap (wallet_6), and wallet_1 and wallet_2, which fuzz-set-relay may make relays.
(define-constant FUZZ_RELAYS (list 'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG))

;; Calls whose outcome disagreed with get-action just before: expire succeeding on an action not read
;; "expired" or failing on one that was, a report or claim succeeding on an action read "expired", a report
;; refused as expired on one that was not.
(define-data-var ghost-expiry-disagreements uint u0)
;; Reports that succeeded from a caller that was not an enabled relay.
(define-data-var ghost-reports-by-non-relays uint u0)

;; id -> the status the action had when a wrapper saw it finish (executed or failed)
(define-map ghost-finished uint (string-ascii 10))

(define-private (fuzz-id (slot uint)) (+ (mod slot u5) u1))

(define-private (queue-as-dao (id uint) (eta uint) (expires uint))
  (as-contract? () (try! (queue-action id "watchtower" 0x00 eta expires eta true))))

(define-public (fuzz-queue (slot uint) (delay uint) (life uint))
  (let ((eta (+ burn-block-height (mod delay u20))))
    (queue-as-dao (fuzz-id slot) eta (+ eta u1 (mod life u2000)))))

(define-private (set-relay-as-dao (who principal) (enabled bool))
  (as-contract? () (try! (set-relay who enabled))))

(define-public (fuzz-set-relay (slot uint) (enabled bool))
  (set-relay-as-dao (unwrap-panic (element-at? FUZZ_RELAYS (mod slot u3))) enabled))

;; True when get-action reads the action "expired" while it is still open in storage: it has lapsed.
(define-private (reads-lapsed (id uint))
  (match (get-action id)
    read (and (is-eq (get status read) STATUS_EXPIRED)
              (not (is-finished (get status (unwrap-panic (map-get? actions id))))))
    false))

(define-private (count-disagreement (disagrees bool))
  (and disagrees (var-set ghost-expiry-disagreements (+ (var-get ghost-expiry-disagreements) u1))))

;; Counts a report that succeeded from a non-relay, or that disagreed with the expiry read before it.
(define-private (check-report (lapsed bool) (result (response bool uint)))
  (begin
    (and (is-ok result) (not (is-relay contract-caller))
         (var-set ghost-reports-by-non-relays (+ (var-get ghost-reports-by-non-relays) u1)))
    (count-disagreement (if lapsed (is-ok result) (is-eq result ERR_EXPIRED)))))

(define-public (fuzz-claim (slot uint))
  (let ((id (fuzz-id slot)) (lapsed (reads-lapsed id)) (result (claim id)))
    (count-disagreement (and lapsed (is-ok result)))
    result))

(define-public (fuzz-expire (slot uint))
  (let ((id (fuzz-id slot)) (lapsed (reads-lapsed id)) (result (expire id)))
    (count-disagreement (not (is-eq lapsed (is-ok result))))
    result))

(define-private (remember-finish (id uint))
  (match (map-get? actions id)
    action (if (or (is-eq (get status action) STATUS_EXECUTED) (is-eq (get status action) STATUS_FAILED))
             (map-set ghost-finished id (get status action))
             false)
    false))

(define-public (fuzz-report-success (slot uint))
  (let ((id (fuzz-id slot)) (lapsed (reads-lapsed id)) (result (report-success id 0x0102)))
    (check-report lapsed result)
    (try! result)
    (remember-finish id)
    (ok true)))

(define-public (fuzz-report-failure (slot uint) (code uint) (retryable bool))
  (let ((id (fuzz-id slot)) (lapsed (reads-lapsed id))
        (result (match (report-failure id (+ u1 (mod code u600)) retryable "fuzz")
                  requeued (ok true)
                  failure (err failure))))
    (check-report lapsed result)
    (try! result)
    (remember-finish id)
    (ok true)))

(define-public (fuzz-veto (slot uint))
  (as-contract? () (try! (veto-action (fuzz-id slot)))))

;; ---- invariants

(define-private (stays-finished (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? ghost-finished id)
         status (is-eq (get status (unwrap-panic (map-get? actions id))) status)
         true)))

;; An executed or failed action is never claimed (or changed) again.
(define-read-only (invariant-finished-actions-stay-finished)
  (fold stays-finished FUZZ_IDS true))

(define-private (action-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? actions id)
         action (let ((status (get status action)))
                  (and (< (get eta action) (get expires action))
                       (<= (get attempts action) (setting "max-attempts"))
                       (or (not (is-eq status STATUS_CLAIMED)) (is-some (get relay action)))
                       (or (not (is-eq status STATUS_EXECUTED)) (is-some (get evidence action)))
                       (or (not (is-eq status STATUS_FAILED)) (is-some (get failure-code action)))))
         true)))

;; A claimed action has its relay, an executed one its evidence, a failed one its code; attempts stay
;; within max-attempts.
(define-read-only (invariant-actions-consistent)
  (fold action-consistent FUZZ_IDS true))

(define-private (lapsed-read-agrees (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? actions id)
         stored (let ((open (not (is-finished (get status stored))))
                      (live (and (is-eq (get status stored) STATUS_CLAIMED)
                                 (< burn-block-height (get claim-expires stored))
                                 (match (get relay stored) holder (is-relay holder) false)))
                      (read (get status (unwrap-panic (get-action id)))))
                  (is-eq (is-eq read STATUS_EXPIRED)
                         (or (is-eq (get status stored) STATUS_EXPIRED)
                             (and open (>= burn-block-height (get expires stored)) (not live)))))
         true)))

;; get-action reads "expired" exactly for an action expired, or open past its expiry with no live lease (a
;; lease is live until claim-expires while its relay is enabled), and expire, claim and the reports always
;; agreed with that read.
(define-read-only (invariant-expired-read-agrees)
  (and (is-eq (var-get ghost-expiry-disagreements) u0)
       (fold lapsed-read-agrees FUZZ_IDS true)))

;; A caller that is not an enabled relay (never was, or was disabled) never reports successfully.
(define-read-only (invariant-no-report-by-non-relay)
  (is-eq (var-get ghost-reports-by-non-relays) u0))

;; ---- properties

;; A relay disabled after its claim can report neither success nor failure on it.
(define-public (test-disabled-relay-report-refused (slot uint))
  (let ((me contract-caller)
        (id (+ u4000 (mod slot u1000)))
        (was-relay (is-relay me)))
    (if (or (is-some (map-get? actions id)) (< burn-block-height (setting "paused-until")))
      (ok false)
      (begin
        (try! (set-relay-as-dao me true))
        (try! (queue-as-dao id burn-block-height (+ burn-block-height u100)))
        (try! (claim id))
        (try! (set-relay-as-dao me false))
        (asserts! (is-eq (report-success id 0x01) ERR_NOT_RELAY) (err u1))
        (asserts! (is-eq (report-failure id u1 false "fuzz") ERR_NOT_RELAY) (err u2))
        (try! (set-relay-as-dao me was-relay))
        (ok true)))))

;; A caller that is not a relay never reports, on any queued action.
(define-public (test-non-relay-report-refused (slot uint) (success bool))
  (let ((id (+ u6000 (mod slot u1000))))
    (if (or (is-relay contract-caller) (is-some (map-get? actions id)))
      (ok false)
      (begin
        (try! (queue-as-dao id burn-block-height (+ burn-block-height u100)))
        (asserts! (is-eq (if success (report-success id 0x01) (report-failure id u1 true "fuzz")) ERR_NOT_RELAY)
                  (err u1))
        (ok true)))))

;; Once executed, an action cannot be claimed again.
(define-public (test-executed-action-never-reclaimed (slot uint))
  (let ((id (+ u100 (mod slot u1000))))
    (if (or (not (is-relay contract-caller)) (is-some (map-get? actions id))
            (< burn-block-height (setting "paused-until")))
      (ok false)
      (begin
        (try! (queue-as-dao id burn-block-height (+ burn-block-height u100)))
        (try! (claim id))
        (try! (report-success id 0x01))
        (asserts! (is-eq (claim id) ERR_FINISHED) (err u1))
        (asserts! (is-eq (get status (unwrap-panic (map-get? actions id))) STATUS_EXECUTED) (err u2))
        (ok true)))))

;; A terminal failure ends the action for good.
(define-public (test-failed-action-never-reclaimed (slot uint) (code uint))
  (let ((id (+ u2000 (mod slot u1000))))
    (if (or (not (is-relay contract-caller)) (is-some (map-get? actions id))
            (< burn-block-height (setting "paused-until")))
      (ok false)
      (begin
        (try! (queue-as-dao id burn-block-height (+ burn-block-height u100)))
        (try! (claim id))
        (asserts! (is-eq (report-failure id (+ u1 (mod code u600)) false "fuzz") (ok false)) (err u1))
        (asserts! (is-eq (claim id) ERR_FINISHED) (err u2))
        (ok true)))))

;; Only a relay claims.
(define-public (test-non-relay-cannot-claim (slot uint))
  (if (is-relay contract-caller)
    (ok false)
    (begin
      (asserts! (is-eq (claim (fuzz-id slot))
                       (if (is-some (map-get? actions (fuzz-id slot))) ERR_NOT_RELAY ERR_UNKNOWN_ACTION))
                (err u1))
      (ok true))))
