;; Rendezvous properties for action-validator (appended to the contract by `rv`). The contract keeps no state,
;; so it has properties only: random tuples and random bytes against the validation rules.

(define-constant FUZZ_KINDS (list "channel-open" "channel-close" "fee-policy" "rebalance-policy" "loop-out" "loop-in"
  "lv-transfer" "watchtower" "lv-allocation" "relay-set" "setting" "gt-grant" "member-attestor" "guardian-set"
  "contract-proposal" "treasury-transfer" "vault-set" "lv-pricing"))
(define-constant FUZZ_WALLETS (list "reserve" "withdrawal" "operations" "treasury" ""))

;; An lv-allocation is accepted exactly when its shares sum to 10000.
(define-public (test-allocation-accepted-iff-sum (a uint) (b uint) (c uint))
  (let ((payload (unwrap-panic (to-consensus-buff? {infrastructure-bps: a, channel-bps: b, reserve-bps: c}))))
    (asserts! (is-eq (is-ok (check-action "lv-allocation" payload)) (is-eq (+ a b c) u10000)) (err u1))
    (ok true)))

;; An lv-transfer is accepted exactly between two different known wallets, for a positive amount, and asks
;; for its amount from the LV reserve.
(define-public (test-lv-transfer-rules (from-slot uint) (to-slot uint) (amount uint))
  (let ((from (unwrap-panic (element-at? FUZZ_WALLETS (mod from-slot u5))))
        (to (unwrap-panic (element-at? FUZZ_WALLETS (mod to-slot u5))))
        (result (check-action "lv-transfer" (unwrap-panic (to-consensus-buff? {from: from, to: to, amount: amount}))))
        (valid (and (< (mod from-slot u5) u3) (< (mod to-slot u5) u3) (not (is-eq from to)) (> amount u0))))
    (asserts! (is-eq (is-ok result) valid) (err u1))
    (asserts! (or (not valid)
                  (is-eq result (ok {offchain: true, requested: amount, pool: POOL_LV_RESERVE, beneficiary: none})))
              (err u2))
    (ok true)))

;; A setting payload is accepted exactly when dao-settings would take the value.
(define-public (test-setting-matches-dao-settings (value uint) (known bool))
  (let ((key (if known "max-fee-ppm" "no-such-key"))
        (result (check-action "setting" (unwrap-panic (to-consensus-buff? {key: key, value: value})))))
    (asserts! (is-eq (is-ok result) (is-ok (contract-call? .dao-settings check-setting key value))) (err u1))
    (ok true)))

;; Whatever the bytes, an accepted payload is the canonical encoding of a value of the kind's type, and an
;; unknown kind is refused.
(define-public (test-random-bytes (kind-slot uint) (payload (buff 2048)))
  (let ((kind (unwrap-panic (element-at? FUZZ_KINDS (mod kind-slot (len FUZZ_KINDS))))))
    (asserts! (is-eq (check-action "no-such-kind" payload) ERR_UNKNOWN_KIND) (err u1))
    (match (check-action kind payload)
      accepted (begin
                  (asserts! (is-eq (validate kind payload) (ok true)) (err u2))
                  (ok true))
      code (ok true))))

;; A canonical gt-grant is accepted exactly for 0 < amount <= 10^15.
(define-public (test-grant-bounds (recipient principal) (amount uint) (scale uint))
  (let ((scaled (* amount (pow u10 (mod scale u9))))
        (result (check-action "gt-grant" (unwrap-panic (to-consensus-buff? {recipient: recipient, amount: scaled})))))
    (asserts! (is-eq (is-ok result) (and (> scaled u0) (<= scaled u1000000000000000))) (err u1))
    (ok true)))

;; A canonical treasury-transfer is accepted exactly for 0 < amount <= 10^15.
(define-public (test-treasury-transfer-bounds (recipient principal) (amount uint) (scale uint))
  (let ((scaled (* amount (pow u10 (mod scale u9))))
        (result (check-action "treasury-transfer"
                              (unwrap-panic (to-consensus-buff? {recipient: recipient, amount: scaled})))))
    (asserts! (is-eq (is-ok result) (and (> scaled u0) (<= scaled u1000000000000000))) (err u1))
    (ok true)))

;; A contract-proposal is accepted exactly for a deployed contract with the code hash given: another hash, a
;; contract that is not deployed and a standard principal are refused with their own errors.
(define-public (test-contract-proposal-pins-code (code-hash (buff 32)))
  (let ((deployed (unwrap-panic (contract-hash? .lvdao-bootstrap))))
    (asserts! (is-eq (is-ok (check-action "contract-proposal"
                                          (unwrap-panic (to-consensus-buff? {proposal: .lvdao-bootstrap,
                                                                             code-hash: code-hash}))))
                     (is-eq code-hash deployed))
              (err u1))
    (asserts! (is-eq (check-action "contract-proposal"
                                   (unwrap-panic (to-consensus-buff? {proposal: .no-such-contract,
                                                                      code-hash: deployed})))
                     ERR_CONTRACT_MISSING)
              (err u2))
    (asserts! (is-eq (check-action "contract-proposal"
                                   (unwrap-panic (to-consensus-buff? {proposal: tx-sender, code-hash: deployed})))
                     ERR_NOT_CONTRACT)
              (err u3))
    (ok true)))
;; An lv-pricing is accepted exactly when every field is within its documented bounds.
(define-public (test-lv-pricing-bounds (reference uint) (spread uint) (target uint) (slope uint) (cap uint) (ttl uint)
                                       (trade uint) (period-lv uint) (period uint))
  (let ((pricing {reference-msat: reference, spread-bps: (mod spread u2200), target-inbound-bps: (mod target u11000),
                  premium-slope-bps: (mod slope u11000), max-premium-bps: (mod cap u5500), quote-ttl: (mod ttl u4000),
                  max-trade-lv: trade, max-period-lv: period-lv, period: (mod period u3)})
        (valid (and (> reference u0) (<= (get spread-bps pricing) u2000) (<= (get target-inbound-bps pricing) u10000)
                    (<= (get premium-slope-bps pricing) u10000) (<= (get max-premium-bps pricing) u5000)
                    (>= (get quote-ttl pricing) u10) (<= (get quote-ttl pricing) u3600) (> trade u0)
                    (>= period-lv trade) (> (get period pricing) u0))))
    (asserts! (is-eq (is-ok (check-action "lv-pricing" (unwrap-panic (to-consensus-buff? pricing)))) valid) (err u1))
    (ok true)))
