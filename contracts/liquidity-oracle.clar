;; title: liquidity-oracle
;; summary: The relay's snapshots of the node's liquidity, read by conviction-voting (the pool R) and the web app.
;; description:
;;   `get-liquidity` is the newest snapshot, for display. Conviction pools read `get-pool-values`: for each pool
;;   the (lower) median of the last 5 reports, where reports in the same burn block share one slot (the newest
;;   wins).
;;   So no single report moves a pool: a relay that wants to move it must report the same false value in 3
;;   distinct burn blocks, in the open, and conviction-voting freezes the value at propose anyway.
;; dependencies: lvdao-core, execution-queue (is-relay).

;; Errors (u1600-u1699)
;; The caller is not an enabled relay.
(define-constant ERR_NOT_RELAY (err u1601))
;; The snapshot reports channel balances but no channels.
(define-constant ERR_INCONSISTENT (err u1602))

(define-constant EMPTY {onchain-sats: u0, outbound-sats: u0, inbound-sats: u0, channels: u0,
                        lv-reserve: u0, lv-withdrawal: u0, vault-sats: u0})

(define-data-var latest {onchain-sats: uint, outbound-sats: uint, inbound-sats: uint, channels: uint,
                         lv-reserve: uint, lv-withdrawal: uint, vault-sats: uint} EMPTY)

(define-data-var reported {reporter: (optional principal), burn-height: uint, reports: uint}
                            {reporter: none, burn-height: u0, reports: u0})

;; The pool values of the last 5 burn blocks that had a report, newest first.
(define-data-var recent (list 5 {onchain-sats: uint, lv-reserve: uint}) (list))

;; The lower median of up to five values (the smaller middle one of an even count, so with few reports a pool
;; reads low and a request needs more conviction, never less): the value v with fewer than k+1 values below
;; it and at least k+1 at or below it, k = (n - 1) / 2.
(define-private (lower-median (values (list 5 uint)))
  (if (is-eq (len values) u0)
    u0
    (get found (fold median-candidate values {values: values, k: (/ (- (len values) u1) u2), found: u0}))))

(define-private (median-candidate (v uint) (state {values: (list 5 uint), k: uint, found: uint}))
  (let ((below (len (filter is-below (map pair-with (get values state) (list v v v v v)))))
        (at-or-below (len (filter is-at-or-below (map pair-with (get values state) (list v v v v v))))))
    (if (and (<= below (get k state)) (> at-or-below (get k state))) (merge state {found: v}) state)))

(define-private (pair-with (x uint) (v uint)) {x: x, v: v})
(define-private (is-below (p {x: uint, v: uint})) (< (get x p) (get v p)))
(define-private (is-at-or-below (p {x: uint, v: uint})) (<= (get x p) (get v p)))

;; Records the node's liquidity. Sats in sats; LV in LV base units; vault-sats is the DAO vault's confirmed
;; balance (docs/vault.md).
;; Caller: an enabled relay.
;; Event: liquidity-reported.
(define-public (report-liquidity (snapshot {onchain-sats: uint, outbound-sats: uint, inbound-sats: uint,
                                            channels: uint, lv-reserve: uint, lv-withdrawal: uint,
                                            vault-sats: uint}))
  (let ((reports (+ (get reports (var-get reported)) u1)))
    ;; Check that the caller is a relay
    (asserts! (contract-call? .execution-queue is-relay contract-caller) ERR_NOT_RELAY)
    ;; Check that channel balances come with channels
    (asserts! (or (> (get channels snapshot) u0)
                  (is-eq (+ (get outbound-sats snapshot) (get inbound-sats snapshot)) u0))
              ERR_INCONSISTENT)
    (var-set latest snapshot)
    (var-set recent
      (unwrap-panic (as-max-len?
        (concat (list {onchain-sats: (get onchain-sats snapshot), lv-reserve: (get lv-reserve snapshot)})
                (let ((older (var-get recent)))
                  ;; a second report in the same burn block replaces that block's slot
                  (if (and (> (get reports (var-get reported)) u0)
                           (is-eq (get burn-height (var-get reported)) burn-block-height))
                    (default-to (list) (slice? older u1 (len older)))
                    (default-to older (slice? older u0 (if (> (len older) u4) u4 (len older)))))))
        u5)))
    (var-set reported {reporter: (some contract-caller), burn-height: burn-block-height, reports: reports})
    (print (merge snapshot {topic: "liquidity-reported", reporter: contract-caller, burn-height: burn-block-height}))
    (ok reports)))

;; The newest snapshot (all zero before the first report).
(define-read-only (get-liquidity)
  (var-get latest))

;; The pools conviction-voting measures requests against: the lower median of the last 5 burn blocks' reports
;; (all zero before the first report).
(define-read-only (get-pool-values)
  (let ((values (var-get recent)))
    {onchain-sats: (lower-median (map get-onchain values)), lv-reserve: (lower-median (map get-lv-reserve values))}))

(define-private (get-onchain (v {onchain-sats: uint, lv-reserve: uint})) (get onchain-sats v))
(define-private (get-lv-reserve (v {onchain-sats: uint, lv-reserve: uint})) (get lv-reserve v))

;; Who reported the newest snapshot, at which burn height, and how many reports there have been.
(define-read-only (get-last-report)
  (var-get reported))
