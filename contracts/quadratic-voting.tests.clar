;; Rendezvous properties and invariants for quadratic-voting (appended to the contract by `rv`).
;; The fuzz runner runs the real bootstrap first, so wallet_1..wallet_5 hold GT. Registration is DAO-guarded;
;; `fuzz-register` registers ids 1..3 as the DAO would (quadratic-voting is an enabled extension, so
;; as-contract? passes the guard), held from the previous Stacks block with the snapshot 0 to 3 blocks later,
;; as proposals.propose does; `fuzz-vote` aims the real vote at them and `fuzz-transfer` moves GT between the
;; wallets, so balances change between a proposal's held-from block and its snapshot.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))
(define-constant FUZZ_IDS (list u1 u2 u3))

(define-private (register-as-dao (id uint) (held-from uint) (snapshot uint) (start uint) (end uint)
                                 (members-only bool))
  (as-contract? () (try! (register-proposal id held-from snapshot start end members-only u1 u5000))))

(define-public (fuzz-register (slot uint) (delay uint) (length uint) (members-only bool))
  (register-as-dao (+ (mod slot u3) u1) (- stacks-block-height u1) (+ (- stacks-block-height u1) (mod delay u4))
                   burn-block-height (+ burn-block-height u100000 (mod length u5000)) members-only))

(define-public (fuzz-transfer (amount uint) (slot uint))
  (contract-call? .gt-token transfer (+ u1 (mod amount u1000000000000)) tx-sender
                  (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS)))) none))

(define-public (fuzz-vote (slot uint) (votes-cast uint) (support bool))
  (vote (+ (mod slot u3) u1) (+ u1 (mod votes-cast u100000)) support))

;; ---- invariants

(define-private (credits-are-squares (who principal) (acc {id: uint, ok: bool}))
  (merge acc {ok: (and (get ok acc)
                       (match (map-get? votes {id: (get id acc), voter: who})
                         cast (is-eq (get credits-spent cast) (* (get votes cast) (get votes cast)))
                         true))}))

(define-private (proposal-credits-are-squares (id uint) (ok-so-far bool))
  (and ok-so-far (get ok (fold credits-are-squares FUZZ_HOLDERS {id: id, ok: true}))))

;; Credits spent always equal votes squared.
(define-read-only (invariant-credits-spent-is-votes-squared)
  (fold proposal-credits-are-squares FUZZ_IDS true))

(define-private (balance-at (who principal) (height uint))
  (match (contract-call? .gt-token get-balance-at who height) balance balance code u0))

(define-private (add-vote (who principal) (acc {id: uint, for: uint, against: uint, voters: uint, ok: bool}))
  (match (map-get? votes {id: (get id acc), voter: who})
    cast (let ((credits (match (map-get? proposals (get id acc))
                           proposal (let ((at-from (balance-at who (get held-from proposal)))
                                          (at-snapshot (balance-at who (get snapshot-height proposal))))
                                      (if (< at-from at-snapshot) at-from at-snapshot))
                           u0)))
           (merge acc {for: (+ (get for acc) (if (get support cast) (get votes cast) u0)),
                       against: (+ (get against acc) (if (get support cast) u0 (get votes cast))),
                       voters: (+ (get voters acc) u1),
                       ok: (and (get ok acc) (<= (get credits-spent cast) credits))}))
    acc))

(define-private (tally-adds-up (id uint) (ok-so-far bool))
  (let ((sums (fold add-vote FUZZ_HOLDERS {id: id, for: u0, against: u0, voters: u0, ok: true}))
        (tally (get-tally id)))
    (and ok-so-far (get ok sums)
         (is-eq (get votes-for tally) (get for sums))
         (is-eq (get votes-against tally) (get against sums))
         (is-eq (get voters tally) (get voters sums)))))

;; The tally is the sum of the votes cast, and no vote uses power acquired after its proposal's snapshot: the
;; credits a voter spent never exceed min(GT at held-from, GT at the snapshot).
(define-read-only (invariant-tally-adds-up-within-credits)
  (fold tally-adds-up FUZZ_IDS true))

;; ---- properties

;; Splitting votes across calls costs exactly what casting them at once costs.
(define-public (test-split-votes-cost-the-same (slot uint) (first uint) (second uint))
  (let ((id (+ (mod slot u3) u1))
        (a (+ u1 (mod first u1000)))
        (b (+ u1 (mod second u1000))))
    (and (is-none (map-get? proposals id))
         (is-ok (register-as-dao id (- stacks-block-height u1) (- stacks-block-height u1) burn-block-height
                                 (+ burn-block-height u100000) false)))
    (if (or (is-none (map-get? proposals id)) (is-some (map-get? votes {id: id, voter: contract-caller}))
            (is-err (vote id a true)))
      (ok false)
      (begin
        (try! (vote id b true))
        (asserts! (is-eq (get credits-spent (unwrap-panic (map-get? votes {id: id, voter: contract-caller})))
                         (* (+ a b) (+ a b)))
                  (err u1))
        (ok true)))))

;; A voter cannot switch sides.
(define-public (test-no-side-switch (slot uint))
  (let ((id (+ (mod slot u3) u1)))
    (match (map-get? votes {id: id, voter: contract-caller})
      cast (begin
             (asserts! (is-eq (vote id u1 (not (get support cast))) ERR_SIDE_SWITCH) (err u1))
             (ok true))
      (ok false))))

;; Registration refuses an empty window and a second registration of the same id.
(define-public (test-register-guards (start uint))
  (begin
    (asserts! (is-eq (register-as-dao u100 u0 u0 start start false) ERR_BAD_WINDOW) (err u1))
    (if (is-some (map-get? proposals u1))
      (asserts! (is-eq (register-as-dao u1 u0 u0 u0 u1 false) ERR_ALREADY_REGISTERED) (err u2))
      true)
    (ok true)))

;; A vote before the snapshot block has passed is refused: credits are never read from a future block.
(define-public (test-no-vote-before-snapshot (slot uint) (ahead uint))
  (let ((id (+ u10 (mod slot u1000))))
    (if (is-some (map-get? proposals id))
      (ok false)
      (begin
        (try! (register-as-dao id (- stacks-block-height u1) (+ stacks-block-height (mod ahead u3)) burn-block-height
                               (+ burn-block-height u100) false))
        (asserts! (is-err (vote id u1 true)) (err u1))
        (ok true)))))
