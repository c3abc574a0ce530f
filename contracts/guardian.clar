;; title: guardian
;; summary: Emergency brakes held by a few guardians until the guardian sunset: pause the relay's execution,
;;   and veto a passed proposal during its veto window.
;; description:
;;   - Pause: one guardian sets the `paused-until` setting in dao-settings to now + `max-pause` (never past the
;;     sunset); while it is in the future, execution-queue.claim fails. The pause ends by itself at that height.
;;     Resuming earlier takes a passed `setting` proposal (`paused-until` = 0) or `resume-execution` (DAO
;;     guard). A guardian cannot extend a running pause, must wait `pause-cooldown` burn blocks between its own
;;     pauses, and all guardians together may pause at most `pause-budget` burn blocks per `pause-period` (a
;;     pause counts against the period it starts in, and is cut short to fit what is left). So guardians taking
;;     turns cannot hold execution until queued actions expire.
;;   - Veto: proposals.conclude opens a veto window for every passed proposal, closing at min(conclude +
;;     `veto-window`, eta): here for a chain action (`open-veto-window`), and beside the action in
;;     execution-queue for an off-chain one (queue-action), so concluding makes one call either way. Each
;;     guardian votes once; at `veto-quorum` votes the proposal is vetoed: proposals reads `is-vetoed` (status,
;;     bond, applying chain kinds), and an off-chain action is withdrawn from execution-queue with `veto-action`.
;;     Proposals that govern the guardians themselves (a `guardian-set`, or a `setting` of a guardian key) open a
;;     window that cannot be vetoed, so the DAO can change the guardian set and the sunset without the guardians'
;;     consent.
;;   - Every guardian power ends at the `guardian-sunset` burn height, a running pause included.
;; dependencies: lvdao-core (DAO guard), dao-settings (paused-until, max-pause, pause-cooldown, pause-budget,
;;   pause-period, veto-quorum, guardian-sunset), execution-queue (veto-action).

;; Errors (u1900-u1999)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1900))
;; The caller is not an enabled guardian.
(define-constant ERR_NOT_GUARDIAN (err u1901))
;; The guardian sunset has passed: guardians have no powers left.
(define-constant ERR_SUNSET (err u1902))
;; Execution is already paused; a pause cannot be extended.
(define-constant ERR_ALREADY_PAUSED (err u1903))
;; Execution is not paused, so there is nothing to resume.
(define-constant ERR_NOT_PAUSED (err u1904))
;; No veto window was opened for this proposal (it has not passed).
(define-constant ERR_NO_VETO_WINDOW (err u1905))
;; The proposal's veto window has closed.
(define-constant ERR_VETO_WINDOW_CLOSED (err u1906))
;; This guardian has already voted to veto this proposal.
(define-constant ERR_ALREADY_VOTED (err u1907))
;; The proposal is already vetoed.
(define-constant ERR_ALREADY_VETOED (err u1908))
;; A veto window was already opened for this proposal.
(define-constant ERR_WINDOW_EXISTS (err u1909))
;; This guardian paused less than `pause-cooldown` burn blocks ago.
(define-constant ERR_PAUSE_COOLDOWN (err u1910))
;; The guardians have used this period's `pause-budget`.
(define-constant ERR_PAUSE_BUDGET (err u1911))
;; The proposal governs the guardians themselves and cannot be vetoed.
(define-constant ERR_NOT_VETOABLE (err u1912))

;; guardian -> enabled
(define-map guardians principal bool)

;; proposal id -> its veto window; closes is a burn height (vetoes are accepted while burn height < closes)
;; proposal id -> the veto window of a passed chain action (off-chain actions keep theirs in execution-queue)
(define-map veto-windows uint {closes: uint, vetoable: bool, opened-at: uint})

;; proposal id -> the veto votes cast so far, and whether they reached the quorum
(define-map veto-tallies uint {votes: uint, vetoed: bool})

;; guardian -> the burn height of its last pause
(define-map last-pause principal uint)

;; pause period index -> burn blocks of pause started in it
(define-map paused-in-period uint uint)

;; {id, guardian} -> the burn height of the guardian's veto vote
(define-map veto-votes {id: uint, guardian: principal} uint)

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (setting (key (string-ascii 32)))
  (unwrap-panic (contract-call? .dao-settings get-setting key)))

;; Checks that `who` may use a guardian power now.
(define-private (check-guardian-power (who principal))
  (begin
    ;; Check that the caller is an enabled guardian
    (asserts! (is-guardian who) ERR_NOT_GUARDIAN)
    ;; Check that the guardian sunset has not passed
    (asserts! (< burn-block-height (setting "guardian-sunset")) ERR_SUNSET)
    (ok true)))

;; Enables or disables a guardian.
;; Caller: lvdao-core or an extension (the bootstrap; proposals applies a passed `guardian-set` proposal).
;; Event: guardian-set.
(define-public (set-guardian (who principal) (enabled bool))
  (begin
    (try! (is-dao-or-extension))
    (map-set guardians who enabled)
    (print {topic: "guardian-set", guardian: who, enabled: enabled})
    (ok true)))

;; Pauses the relay's execution for `max-pause` burn blocks, or less: never past the sunset, nor past what is
;; left of this period's pause budget.
;; Caller: an enabled guardian, before the sunset, at least `pause-cooldown` burn blocks after its last pause.
;; Event: execution-paused.
(define-public (pause-execution)
  (let ((guardian contract-caller)
        (now burn-block-height)
        (period (/ now (setting "pause-period")))
        (used (default-to u0 (map-get? paused-in-period period)))
        (budget (setting "pause-budget"))
        (left (if (> budget used) (- budget used) u0))
        (sunset (setting "guardian-sunset"))
        (length (min-of (min-of (setting "max-pause") left) (if (> sunset now) (- sunset now) u0)))
        (until (+ now length)))
    (try! (check-guardian-power guardian))
    ;; Check that execution is not already paused
    (asserts! (not (is-paused)) ERR_ALREADY_PAUSED)
    ;; Check that this guardian's cooldown has passed
    (asserts! (match (map-get? last-pause guardian) at (>= now (+ at (setting "pause-cooldown"))) true)
              ERR_PAUSE_COOLDOWN)
    ;; Check that some of this period's pause budget is left
    (asserts! (> left u0) ERR_PAUSE_BUDGET)
    (map-set last-pause guardian now)
    (map-set paused-in-period period (+ used length))
    (try! (contract-call? .dao-settings set-setting "paused-until" until))
    (print {topic: "execution-paused", guardian: guardian, until: until})
    (ok until)))

(define-private (min-of (a uint) (b uint)) (if (< a b) a b))

;; Ends a running pause now.
;; Caller: lvdao-core or an extension (a passed proposal).
;; Event: execution-resumed.
(define-public (resume-execution)
  (begin
    (try! (is-dao-or-extension))
    ;; Check that there is a pause to end
    (asserts! (is-paused) ERR_NOT_PAUSED)
    (try! (contract-call? .dao-settings set-setting "paused-until" u0))
    (print {topic: "execution-resumed", by: contract-caller})
    (ok true)))

;; Opens the veto window of a chain action that has just passed; `vetoable` is false for a proposal that
;; governs the guardians themselves.
;; Caller: lvdao-core or an extension (proposals.conclude).
;; Event: veto-window-opened.
(define-public (open-veto-window (id uint) (closes uint) (vetoable bool))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the window opens only once
    (asserts! (map-insert veto-windows id {closes: closes, vetoable: vetoable, opened-at: burn-block-height})
              ERR_WINDOW_EXISTS)
    (print {topic: "veto-window-opened", id: id, closes: closes, offchain: false, vetoable: vetoable})
    (ok true)))

;; The veto window of proposal `id`, here (a chain action) or in execution-queue (an off-chain action).
(define-private (window-of (id uint))
  (match (map-get? veto-windows id)
    window (some (merge window {offchain: false}))
    (match (contract-call? .execution-queue get-veto-window id)
      window (some (merge window {offchain: true}))
      none)))

(define-private (tally-of (id uint))
  (default-to {votes: u0, vetoed: false} (map-get? veto-tallies id)))

;; Casts the caller's veto vote on proposal `id`; the vote that reaches `veto-quorum` vetoes it.
;; Caller: an enabled guardian, before the sunset, while the proposal's veto window is open.
;; Event: veto-cast (every vote; vetoed is true on the vote that reaches the quorum).
(define-public (veto (id uint))
  (begin
    (try! (check-guardian-power contract-caller))
    (let ((window (unwrap! (window-of id) ERR_NO_VETO_WINDOW))
          (tally (tally-of id))
          (votes (+ (get votes tally) u1))
          (quorum (setting "veto-quorum"))
          (vetoed (>= votes quorum)))
      ;; Check that the proposal may be vetoed at all
      (asserts! (get vetoable window) ERR_NOT_VETOABLE)
      ;; Check that the window is still open
      (asserts! (< burn-block-height (get closes window)) ERR_VETO_WINDOW_CLOSED)
      ;; Check that the proposal is not vetoed yet
      (asserts! (not (get vetoed tally)) ERR_ALREADY_VETOED)
      ;; Check that this guardian votes only once
      (asserts! (map-insert veto-votes {id: id, guardian: contract-caller} burn-block-height) ERR_ALREADY_VOTED)
      (map-set veto-tallies id {votes: votes, vetoed: vetoed})
      (and vetoed (get offchain window) (try! (contract-call? .execution-queue veto-action id)))
      (print {topic: "veto-cast", id: id, guardian: contract-caller, votes: votes, quorum: quorum, vetoed: vetoed})
      (ok vetoed))))

(define-read-only (is-vetoed (id uint))
  (get vetoed (tally-of id)))

(define-read-only (is-guardian (who principal))
  (default-to false (map-get? guardians who)))

;; True while the `paused-until` setting lies in the future and the sunset has not passed.
(define-read-only (is-paused)
  (and (< burn-block-height (setting "paused-until")) (powers-active)))

;; Burn blocks of pause started in pause period `period` (burn height / `pause-period`).
(define-read-only (get-paused-in-period (period uint))
  (default-to u0 (map-get? paused-in-period period)))

;; The burn height of the guardian's last pause.
(define-read-only (get-last-pause (who principal))
  (map-get? last-pause who))

;; The veto window of proposal `id`, wherever it is kept, with the votes cast on it.
(define-read-only (get-veto-window (id uint))
  (match (window-of id)
    window (some (merge window (tally-of id)))
    none))

(define-read-only (has-voted (id uint) (who principal))
  (is-some (map-get? veto-votes {id: id, guardian: who})))

;; True before the `guardian-sunset` burn height.
(define-read-only (powers-active)
  (< burn-block-height (setting "guardian-sunset")))
