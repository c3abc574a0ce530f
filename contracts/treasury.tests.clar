;; Rendezvous properties and invariants for treasury (appended to the contract by `rv`).
;; scripts/fuzz.ts runs the fuzz bootstrap first, so wallet_1..wallet_5 hold GT. Bonds reach the treasury from
;; proposals; here `fuzz-fund` stands in for them (the caller sends GT), and `fuzz-pay` pays out as proposals
;; applies a passed treasury-transfer (treasury is an enabled extension, so as-contract? passes the DAO guard).
;; Both count what they move, so the balance can be checked against funded - paid. rv also calls transfer-gt
;; with raw arguments from every account.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB))

(define-data-var ghost-funded uint u0)
(define-data-var ghost-paid uint u0)

(define-private (pay-as-dao (amount uint) (recipient principal))
  (as-contract? ((with-ft .gt-token "gt" amount)) (try! (transfer-gt amount recipient))))

(define-public (fuzz-fund (amount uint))
  (let ((gt (+ u1 (mod amount u10000000000))))
    (try! (contract-call? .gt-token transfer gt tx-sender current-contract none))
    (ok (var-set ghost-funded (+ (var-get ghost-funded) gt)))))

;; A payout of part of the balance (or a little more, which must be refused), to a test account.
(define-public (fuzz-pay (amount uint) (slot uint))
  (let ((gt (mod amount (+ (get-balance) u2))))
    (try! (pay-as-dao gt (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS))))))
    (ok (var-set ghost-paid (+ (var-get ghost-paid) gt)))))

;; ---- invariants

;; The treasury never pays more than the DAO's transfers say: its balance is exactly what came in minus what
;; the DAO paid out.
(define-read-only (invariant-balance-is-funded-minus-paid)
  (and (<= (var-get ghost-paid) (var-get ghost-funded))
       (is-eq (get-balance) (- (var-get ghost-funded) (var-get ghost-paid)))))

;; ---- properties

;; Nobody outside the DAO pays out of the treasury.
(define-public (test-outsiders-cannot-pay (amount uint) (recipient principal))
  (begin
    (asserts! (is-eq (transfer-gt amount recipient) ERR_UNAUTHORIZED) (err u1))
    (ok true)))

;; The DAO cannot pay nothing, nor more than the balance, and a refused payout moves nothing.
(define-public (test-overdraw-and-zero-refused (extra uint) (slot uint))
  (let ((before (get-balance))
        (recipient (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS))))))
    (asserts! (is-eq (pay-as-dao u0 recipient) ERR_ZERO_AMOUNT) (err u1))
    (asserts! (is-eq (pay-as-dao (+ before u1 (mod extra u1000000)) recipient) ERR_INSUFFICIENT_BALANCE) (err u2))
    (asserts! (is-eq (get-balance) before) (err u3))
    (ok true)))
