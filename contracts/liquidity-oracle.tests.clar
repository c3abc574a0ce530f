;; Rendezvous properties and invariants for liquidity-oracle (appended to the contract by `rv`).
;; The fuzz runner runs the real bootstrap first, so wallet_6 is the relay.

(define-data-var ghost-accepted uint u0)

;; The real report, with consistent channel fields most of the time.
(define-public (fuzz-report (onchain uint) (outbound uint) (inbound uint) (channels uint) (reserve uint))
  (let ((count (mod channels u20)))
    (try! (report-liquidity {onchain-sats: onchain, outbound-sats: (if (is-eq count u0) u0 outbound),
                             inbound-sats: (if (is-eq count u0) u0 inbound), channels: count,
                             lv-reserve: reserve, lv-withdrawal: u0, vault-sats: u0}))
    (var-set ghost-accepted (+ (var-get ghost-accepted) u1))
    (ok true)))

;; ---- invariants

;; Channel balances never come without channels.
(define-read-only (invariant-snapshot-consistent)
  (let ((snapshot (var-get latest)))
    (or (> (get channels snapshot) u0) (is-eq (+ (get outbound-sats snapshot) (get inbound-sats snapshot)) u0))))

;; Every accepted report is counted, and the newest one came from a relay.
(define-read-only (invariant-reports-counted-and-from-relay)
  (let ((last (var-get reported)))
    (and (>= (get reports last) (var-get ghost-accepted))
         (match (get reporter last) who (contract-call? .execution-queue is-relay who) (is-eq (get reports last) u0)))))

;; ---- properties

;; Only a relay reports.
(define-public (test-non-relay-refused (onchain uint))
  (if (contract-call? .execution-queue is-relay contract-caller)
    (ok false)
    (begin
      (asserts! (is-eq (report-liquidity {onchain-sats: onchain, outbound-sats: u0, inbound-sats: u0, channels: u0,
                                          lv-reserve: u0, lv-withdrawal: u0, vault-sats: u0})
                       ERR_NOT_RELAY)
                (err u1))
      (ok true))))

;; Balances without channels are refused.
(define-public (test-inconsistent-refused (outbound uint))
  (if (or (not (contract-call? .execution-queue is-relay contract-caller)) (is-eq outbound u0))
    (ok false)
    (begin
      (asserts! (is-eq (report-liquidity {onchain-sats: u0, outbound-sats: outbound, inbound-sats: u0, channels: u0,
                                          lv-reserve: u0, lv-withdrawal: u0, vault-sats: u0})
                       ERR_INCONSISTENT)
                (err u1))
      (ok true))))
