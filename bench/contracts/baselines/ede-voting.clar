;; Bench baseline: voting the way ExecutorDAO's proposal-voting extension does it, written from its design
;; (not its code): a vote locks the voter's governance tokens in the token contract and adds them to the
;; proposal's tally, one token one vote. Deployed only by bench/contracts/contracts.ts.
(define-fungible-token edg)
(define-fungible-token edg-locked)
(define-map proposals uint {votes-for: uint, votes-against: uint, start-block-height: uint, end-block-height: uint,
                            concluded: bool, passed: bool, proposer: principal})
(define-map member-total-votes {proposal: uint, voter: principal} uint)

(define-public (faucet (amount uint)) (ft-mint? edg amount tx-sender))

(define-public (add-proposal (id uint) (start uint) (end uint))
  (ok (map-set proposals id {votes-for: u0, votes-against: u0, start-block-height: start, end-block-height: end,
                             concluded: false, passed: false, proposer: tx-sender})))

;; The token side: lock moves voting power out of the spendable balance.
(define-private (lock (amount uint) (owner principal))
  (begin
    (try! (ft-burn? edg amount owner))
    (ft-mint? edg-locked amount owner)))

(define-public (vote (amount uint) (for bool) (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) (err u2)))
        (voter tx-sender)
        (previous (default-to u0 (map-get? member-total-votes {proposal: id, voter: voter}))))
    (asserts! (>= stacks-block-height (get start-block-height proposal)) (err u3))
    (asserts! (< stacks-block-height (get end-block-height proposal)) (err u4))
    (asserts! (<= amount (ft-get-balance edg voter)) (err u5))
    (try! (lock amount voter))
    (map-set member-total-votes {proposal: id, voter: voter} (+ previous amount))
    (map-set proposals id
      (if for
        (merge proposal {votes-for: (+ (get votes-for proposal) amount)})
        (merge proposal {votes-against: (+ (get votes-against proposal) amount)})))
    (print {event: "vote", proposal: id, voter: voter, for: for, amount: amount})
    (ok true)))
