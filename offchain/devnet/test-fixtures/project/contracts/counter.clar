;; counter: a test contract for the devnet node emulation.
;; It prints an event per change, holds a fungible token for post-condition tests, and has a function that fails
;; at runtime. Badges (an NFT) exercise the non-fungible event and post-condition shapes. Depends on nothing.

(define-fungible-token chip)
(define-data-var count uint u0)

;; Anyone: adds `by` to the count. Prints {topic: "incremented", count, caller}.
(define-public (incr (by uint))
  (begin
    (var-set count (+ (var-get count) by))
    (print {topic: "incremented", count: (var-get count), caller: contract-caller})
    (ok (var-get count))))

;; Anyone: always fails at runtime (unwrap of none), after a state change that must not stand.
(define-public (boom)
  (begin
    (var-set count u999999)
    (ok (unwrap-panic (element-at? (list u1) u5)))))

;; Anyone: mints `amount` chips to the caller.
(define-public (mint (amount uint))
  (ft-mint? chip amount tx-sender))

;; Anyone: sends chips to `to` and marks the count, so a post-condition abort is visible as "no state change".
(define-public (give (amount uint) (to principal))
  (begin
    (var-set count u424242)
    (print {topic: "given", amount: amount})
    (ft-transfer? chip amount tx-sender to)))

(define-read-only (get-count) (var-get count))
(define-read-only (get-chips (who principal)) (ft-get-balance chip who))

(define-non-fungible-token badge uint)

;; Anyone: mints badge `id` to the caller.
(define-public (mint-badge (id uint))
  (nft-mint? badge id tx-sender))

;; Anyone: sends badge `id` to `to`.
(define-public (give-badge (id uint) (to principal))
  (nft-transfer? badge id tx-sender to))
