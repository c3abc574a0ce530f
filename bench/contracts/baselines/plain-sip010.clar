;; Bench baseline: a plain SIP-010 token with no checkpoints, to price what GT's vote checkpoints add to a
;; transfer. Deployed only by bench/contracts/contracts.ts, never by a deployment plan.
(define-fungible-token plain)
(define-public (transfer (amount uint) (sender principal) (recipient principal) (memo (optional (buff 34))))
  (begin
    (asserts! (or (is-eq tx-sender sender) (is-eq contract-caller sender)) (err u1))
    (try! (ft-transfer? plain amount sender recipient))
    (match memo to-print (print to-print) 0x)
    (ok true)))
(define-public (faucet (amount uint)) (ft-mint? plain amount tx-sender))
(define-read-only (get-balance (who principal)) (ok (ft-get-balance plain who)))
