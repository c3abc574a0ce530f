;; title: treasury
;; summary: The DAO's own GT: forfeited proposal bonds, paid out only by a passed `treasury-transfer` proposal.
;; description:
;;   proposals sends a forfeited bond here (a late cancel, a vetoed proposal). Nothing leaves except through
;;   `transfer-gt`, which only the DAO may call (proposals applies a passed `treasury-transfer`), and which runs
;;   under a Clarity 4 allowance of exactly the amount voted, so no call path can move more.
;; dependencies: lvdao-core (DAO guard), gt-token.

;; Errors (u2300-u2399)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u2300))
;; The amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u2301))
;; The treasury holds less GT than the amount.
(define-constant ERR_INSUFFICIENT_BALANCE (err u2302))

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

;; Pays `amount` GT of the treasury to `recipient`.
;; Caller: lvdao-core or an extension (proposals applies a passed `treasury-transfer`).
;; Event: treasury-transfer.
(define-public (transfer-gt (amount uint) (recipient principal))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the treasury holds the amount
    (asserts! (<= amount (get-balance)) ERR_INSUFFICIENT_BALANCE)
    (try! (as-contract? ((with-ft .gt-token "gt" amount))
            (try! (contract-call? .gt-token transfer amount tx-sender recipient none))))
    (print {topic: "treasury-transfer", amount: amount, recipient: recipient})
    (ok true)))

;; The GT the treasury holds, in base units.
(define-read-only (get-balance)
  (unwrap-panic (contract-call? .gt-token get-balance current-contract)))
