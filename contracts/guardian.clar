;; title: guardian
;; summary: Emergency brakes held by a few guardians until the guardian sunset: pause the relay's execution,
;;   and veto a passed proposal during its veto window.
;; description:
;;   - Pause: one guardian sets the `paused-until` setting in dao-settings to now + `max-pause`; while it is in
;;     the future, execution-queue.claim fails. The pause ends by itself at that height. Resuming earlier takes
;;     a passed `setting` proposal (`paused-until` = 0) or `resume-execution` (DAO guard). A guardian cannot
;;     extend a running pause; a guardian who keeps pausing is removed by a `guardian-set` proposal, which a
;;     pause does not block (chain kinds do not go through claim).
;;   - Veto: proposals.conclude opens a veto window for every passed proposal (`open-veto-window`, closing at
;;     min(conclude + `veto-window`, eta)). Each guardian votes once; at `veto-quorum` votes the proposal is
;;     vetoed: proposals reads `is-vetoed` (status, bond, applying chain kinds), and an off-chain action is
;;     withdrawn from execution-queue with `veto-action`.
;;   - Every guardian power ends at the `guardian-sunset` burn height.
;; dependencies: lvdao-core (DAO guard), dao-settings (paused-until, max-pause, veto-quorum, guardian-sunset),
;;   execution-queue (veto-action).

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

;; guardian -> enabled
(define-map guardians principal bool)

;; proposal id -> its veto window; closes is a burn height (vetoes are accepted while burn height < closes)
(define-map veto-windows uint {closes: uint, offchain: bool, opened-at: uint, votes: uint, vetoed: bool})

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

;; Pauses the relay's execution for `max-pause` burn blocks.
;; Caller: an enabled guardian, before the sunset.
;; Event: execution-paused.
(define-public (pause-execution)
  (let ((guardian contract-caller)
        (until (+ burn-block-height (setting "max-pause"))))
    (try! (check-guardian-power guardian))
    ;; Check that execution is not already paused
    (asserts! (not (is-paused)) ERR_ALREADY_PAUSED)
    (try! (contract-call? .dao-settings set-setting "paused-until" until))
    (print {topic: "execution-paused", guardian: guardian, until: until})
    (ok until)))

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

;; Opens the veto window of a proposal that has just passed.
;; Caller: lvdao-core or an extension (proposals.conclude).
;; Event: veto-window-opened.
(define-public (open-veto-window (id uint) (closes uint) (offchain bool))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the window opens only once
    (asserts! (map-insert veto-windows id
                {closes: closes, offchain: offchain, opened-at: burn-block-height, votes: u0, vetoed: false})
              ERR_WINDOW_EXISTS)
    (print {topic: "veto-window-opened", id: id, closes: closes, offchain: offchain})
    (ok true)))

;; Casts the caller's veto vote on proposal `id`; the vote that reaches `veto-quorum` vetoes it.
;; Caller: an enabled guardian, before the sunset, while the proposal's veto window is open.
;; Event: veto-cast (every vote; vetoed is true on the vote that reaches the quorum).
(define-public (veto (id uint))
  (begin
    (try! (check-guardian-power contract-caller))
    (let ((window (unwrap! (map-get? veto-windows id) ERR_NO_VETO_WINDOW))
          (votes (+ (get votes window) u1))
          (quorum (setting "veto-quorum"))
          (vetoed (>= votes quorum)))
      ;; Check that the window is still open
      (asserts! (< burn-block-height (get closes window)) ERR_VETO_WINDOW_CLOSED)
      ;; Check that the proposal is not vetoed yet
      (asserts! (not (get vetoed window)) ERR_ALREADY_VETOED)
      ;; Check that this guardian votes only once
      (asserts! (map-insert veto-votes {id: id, guardian: contract-caller} burn-block-height) ERR_ALREADY_VOTED)
      (map-set veto-windows id (merge window {votes: votes, vetoed: vetoed}))
      (and vetoed (get offchain window) (try! (contract-call? .execution-queue veto-action id)))
      (print {topic: "veto-cast", id: id, guardian: contract-caller, votes: votes, quorum: quorum, vetoed: vetoed})
      (ok vetoed))))

(define-read-only (is-vetoed (id uint))
  (default-to false (get vetoed (map-get? veto-windows id))))

(define-read-only (is-guardian (who principal))
  (default-to false (map-get? guardians who)))

;; True while the `paused-until` setting lies in the future.
(define-read-only (is-paused)
  (< burn-block-height (setting "paused-until")))

(define-read-only (get-veto-window (id uint))
  (map-get? veto-windows id))

(define-read-only (has-voted (id uint) (who principal))
  (is-some (map-get? veto-votes {id: id, guardian: who})))

;; True before the `guardian-sunset` burn height.
(define-read-only (powers-active)
  (< burn-block-height (setting "guardian-sunset")))
