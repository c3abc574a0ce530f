;; title: liquidity-oracle
;; summary: The relay's snapshots of the node's liquidity, read by conviction-voting (the pool R) and the web app.
;; dependencies: lvdao-core, execution-queue (is-relay).

;; Errors (u1600-u1699)
;; The caller is not an enabled relay.
(define-constant ERR_NOT_RELAY (err u1601))
;; The snapshot reports channel balances but no channels.
(define-constant ERR_INCONSISTENT (err u1602))

(define-constant EMPTY {onchain-sats: u0, outbound-sats: u0, inbound-sats: u0, channels: u0,
                        lv-reserve: u0, lv-withdrawal: u0})

(define-data-var latest {onchain-sats: uint, outbound-sats: uint, inbound-sats: uint, channels: uint,
                         lv-reserve: uint, lv-withdrawal: uint} EMPTY)

(define-data-var reported {reporter: (optional principal), burn-height: uint, reports: uint}
                            {reporter: none, burn-height: u0, reports: u0})

;; Records the node's liquidity. Sats in sats; LV in LV base units.
;; Caller: an enabled relay.
;; Event: liquidity-reported.
(define-public (report-liquidity (snapshot {onchain-sats: uint, outbound-sats: uint, inbound-sats: uint,
                                            channels: uint, lv-reserve: uint, lv-withdrawal: uint}))
  (let ((reports (+ (get reports (var-get reported)) u1)))
    ;; Check that the caller is a relay
    (asserts! (contract-call? .execution-queue is-relay contract-caller) ERR_NOT_RELAY)
    ;; Check that channel balances come with channels
    (asserts! (or (> (get channels snapshot) u0)
                  (is-eq (+ (get outbound-sats snapshot) (get inbound-sats snapshot)) u0))
              ERR_INCONSISTENT)
    (var-set latest snapshot)
    (var-set reported {reporter: (some contract-caller), burn-height: burn-block-height, reports: reports})
    (print (merge snapshot {topic: "liquidity-reported", reporter: contract-caller, burn-height: burn-block-height}))
    (ok reports)))

;; The newest snapshot (all zero before the first report).
(define-read-only (get-liquidity)
  (var-get latest))

;; Who reported the newest snapshot, at which burn height, and how many reports there have been.
(define-read-only (get-last-report)
  (var-get reported))
