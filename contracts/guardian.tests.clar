;; Rendezvous properties and invariants for guardian (appended to the contract by `rv`).
;; scripts/fuzz.ts runs the real bootstrap first: wallet_7 and wallet_8 are guardians, veto-quorum is 2 and
;; the sunset is set. Veto windows are opened by proposals.conclude, so three are opened here at deployment
;; (on-chain kinds, so a veto does not need a queued action); `fuzz-veto` aims the real veto at them.

(define-constant FUZZ_IDS (list u1 u2 u3 u4 u5 u6))
(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))

(map-set veto-windows u1 {closes: u4294967295, vetoable: true, opened-at: burn-block-height})
(map-set veto-windows u2 {closes: (+ burn-block-height u300), vetoable: true, opened-at: burn-block-height})
(map-set veto-windows u3 {closes: (+ burn-block-height u3000), vetoable: true, opened-at: burn-block-height})

(define-public (fuzz-veto (slot uint))
  (veto (+ (mod slot u6) u1)))

(define-public (fuzz-pause)
  (pause-execution))

;; The DAO-guarded functions as the DAO would call them: guardian is an enabled extension after the bootstrap,
;; so as-contract? passes the DAO guard. Windows are opened for ids 1..6 only, so the invariants see them all;
;; some cannot be vetoed, as for a proposal that governs the guardians.
(define-public (fuzz-open-veto-window (slot uint) (blocks uint) (vetoable bool))
  (as-contract? () (try! (open-veto-window (+ (mod slot u6) u1) (+ burn-block-height (mod blocks u2000)) vetoable))))

(define-public (fuzz-resume-execution)
  (as-contract? () (try! (resume-execution))))

(define-public (fuzz-set-guardian (slot uint) (enabled bool))
  (as-contract? () (try! (set-guardian (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot u10))) enabled))))

;; ---- invariants

(define-private (count-vote (who principal) (acc {id: uint, votes: uint}))
  (merge acc {votes: (+ (get votes acc) (if (has-voted (get id acc) who) u1 u0))}))

(define-private (votes-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (let ((tally (tally-of id)))
         (and (is-eq (get votes tally) (get votes (fold count-vote FUZZ_HOLDERS {id: id, votes: u0})))
              (is-eq (get vetoed tally) (>= (get votes tally) (setting "veto-quorum")))))))

;; A window's vote count is the number of guardians who voted, and it is vetoed exactly at the quorum.
(define-read-only (invariant-veto-needs-quorum)
  (fold votes-consistent FUZZ_IDS true))

(define-private (unvetoable-untouched (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? veto-windows id)
         window (or (get vetoable window)
                    (let ((tally (tally-of id))) (and (is-eq (get votes tally) u0) (not (get vetoed tally)))))
         true)))

(define-private (votes-in-time (who principal) (acc {id: uint, ok: bool}))
  (merge acc {ok: (and (get ok acc)
                       (match (map-get? veto-votes {id: (get id acc), guardian: who})
                         height (and (< height (setting "guardian-sunset"))
                                     (< height (default-to u0 (get closes (map-get? veto-windows (get id acc))))))
                         true))}))

(define-private (window-votes-in-time (id uint) (ok-so-far bool))
  (and ok-so-far (get ok (fold votes-in-time FUZZ_HOLDERS {id: id, ok: true}))))

;; Every veto vote was cast before the sunset and inside its window.
(define-read-only (invariant-votes-before-sunset-and-close)
  (fold window-votes-in-time FUZZ_IDS true))

;; A window that cannot be vetoed (a proposal governing the guardians) never collects a veto vote.
(define-read-only (invariant-unvetoable-never-vetoed)
  (fold unvetoable-untouched FUZZ_IDS true))

;; A pause never reaches further than max-pause blocks from now.
(define-read-only (invariant-pause-bounded)
  (<= (setting "paused-until") (+ burn-block-height (setting "max-pause"))))

;; ---- properties

;; Someone who is not a guardian can neither pause nor veto.
(define-public (test-non-guardian-powerless (slot uint))
  (if (is-guardian contract-caller)
    (ok false)
    (begin
      (asserts! (is-eq (pause-execution) ERR_NOT_GUARDIAN) (err u1))
      (asserts! (is-eq (veto (+ (mod slot u3) u1)) ERR_NOT_GUARDIAN) (err u2))
      (ok true))))

;; A guardian's vote counts once.
(define-public (test-vote-counts-once (slot uint))
  (let ((id (+ (mod slot u3) u1)))
    (if (not (is-ok (veto id)))
      (ok false)
      (begin
        (asserts! (has-voted id contract-caller) (err u1))
        (asserts! (is-err (veto id)) (err u2))
        (ok true)))))

(define-private (resume-as-dao) (as-contract? () (try! (resume-execution))))
(define-private (open-window-as-dao (id uint) (closes uint)) (as-contract? () (try! (open-veto-window id closes true))))

;; Resuming needs a pause: while not paused it answers ERR_NOT_PAUSED, while paused it ends the pause.
(define-public (test-resume-ends-a-pause-only)
  (if (is-paused)
    (begin
      (try! (resume-as-dao))
      (asserts! (not (is-paused)) (err u1))
      (ok true))
    (begin
      (asserts! (is-eq (resume-as-dao) ERR_NOT_PAUSED) (err u2))
      (ok true))))

;; A veto window opens once per proposal.
(define-public (test-window-opens-once (slot uint) (closes uint))
  (begin
    (asserts! (is-eq (open-window-as-dao (+ (mod slot u3) u1) closes) ERR_WINDOW_EXISTS) (err u1))
    (ok true)))
