;; title: sip-010-trait
;; summary: The SIP-010 fungible token interface that gt-token implements.
;; dependencies: none.
(define-trait sip-010-trait
  (
    ;; Moves `amount` from `sender` to `recipient`; the sender must be tx-sender or contract-caller.
    (transfer (uint principal principal (optional (buff 34))) (response bool uint))
    (get-name () (response (string-ascii 32) uint))
    (get-symbol () (response (string-ascii 32) uint))
    (get-decimals () (response uint uint))
    (get-balance (principal) (response uint uint))
    (get-total-supply () (response uint uint))
    (get-token-uri () (response (optional (string-utf8 256)) uint))
  )
)
