;; Rendezvous properties and invariants for execution-queue (appended to the contract by `rv`).
;; The fuzz runner runs the real bootstrap first, so wallet_6 is the relay. Queueing is DAO-guarded;
;; `fuzz-queue` queues actions 1..5 as the DAO would (execution-queue is an enabled extension, so
;; as-contract? passes the guard). The fuzz- relay wrappers aim the real claim/report calls at those ids and
;; remember each action they saw finish, so the invariants can check a finished action stays finished.

(define-constant FUZZ_IDS (list u1 u2 u3 u4 u5))

;; id -> the status the action had when a wrapper saw it finish (executed or failed)
(define-map ghost-finished uint (string-ascii 10))

(define-private (fuzz-id (slot uint)) (+ (mod slot u5) u1))

(define-private (queue-as-dao (id uint) (eta uint) (expires uint))
  (as-contract? () (try! (queue-action id "watchtower" 0x00 eta expires))))

(define-public (fuzz-queue (slot uint) (delay uint) (life uint))
  (let ((eta (+ burn-block-height (mod delay u20))))
    (queue-as-dao (fuzz-id slot) eta (+ eta u1 (mod life u2000)))))

(define-public (fuzz-claim (slot uint))
  (claim (fuzz-id slot)))

(define-private (remember-finish (id uint))
  (match (map-get? actions id)
    action (if (or (is-eq (get status action) STATUS_EXECUTED) (is-eq (get status action) STATUS_FAILED))
             (map-set ghost-finished id (get status action))
             false)
    false))

(define-public (fuzz-report-success (slot uint))
  (let ((id (fuzz-id slot)))
    (try! (report-success id 0x0102))
    (remember-finish id)
    (ok true)))

(define-public (fuzz-report-failure (slot uint) (code uint) (retryable bool))
  (let ((id (fuzz-id slot)))
    (try! (report-failure id (+ u1 (mod code u600)) retryable "fuzz"))
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

;; ---- properties

;; Once executed, an action cannot be claimed again.
(define-public (test-executed-action-never-reclaimed (slot uint))
  (let ((id (+ u100 (mod slot u1000))))
    (if (or (not (is-relay contract-caller)) (is-some (map-get? actions id)) (< burn-block-height (setting "paused-until")))
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
    (if (or (not (is-relay contract-caller)) (is-some (map-get? actions id)) (< burn-block-height (setting "paused-until")))
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
      (asserts! (is-eq (claim (fuzz-id slot)) (if (is-some (map-get? actions (fuzz-id slot))) ERR_NOT_RELAY ERR_UNKNOWN_ACTION))
                (err u1))
      (ok true))))
