;; Rendezvous properties and invariants for dao-settings (appended to the contract by `rv`).
;; set-setting is DAO-guarded; `fuzz-set` calls it as the DAO would (dao-settings is an enabled extension, so
;; as-contract? passes the guard) on the allow-listed keys below, with values in and out of bounds.

(define-constant FUZZ_KEYS (list "proposal-threshold" "proposal-bond" "max-active-per-proposer" "claim-lease"
  "max-attempts" "min-channel-sats" "max-channel-sats" "max-fee-ppm" "max-loop-sats" "gt-per-lv" "guardian-sunset"
  "max-pause" "veto-quorum" "veto-window" "cv-decay" "cv-max-ratio" "cv-weight" "cv-min-stake-bps" "paused-until"
  "pause-cooldown" "pause-budget" "pause-period" "max-attestation" "grant-min-supporters"
  "channel-open:voting-period" "setting:timelock" "lv-transfer:mechanism" "watchtower:members-only"
  "treasury-transfer:quorum-votes" "gt-grant:expiry" "setting:voting-delay" "channel-open:pass-bps"))
;; Kinds whose config propose reads from the kept tuples, checked against the settings map.
(define-constant FUZZ_KINDS (list "channel-open" "setting" "lv-transfer" "watchtower" "treasury-transfer" "gt-grant"))

(define-private (fuzz-key (slot uint))
  (unwrap-panic (element-at? FUZZ_KEYS (mod slot (len FUZZ_KEYS)))))

(define-private (set-as-dao (key (string-ascii 32)) (value uint))
  (as-contract? () (try! (set-setting key value))))

;; A value inside the key's bounds when `inside`, else a raw one.
(define-public (fuzz-set (slot uint) (raw uint) (inside bool))
  (let ((key (fuzz-key slot))
        (entry (unwrap-panic (map-get? settings key)))
        (span (+ (- (get max entry) (get min entry)) u1)))
    (set-as-dao key (if inside (+ (get min entry) (mod raw span)) raw))))

;; ---- invariants

(define-private (within-bounds (key (string-ascii 32)) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? settings key)
         entry (and (>= (get value entry) (get min entry)) (<= (get value entry) (get max entry)))
         false)))

;; Every setting stays within its bounds, and the channel-size bounds stay ordered.
(define-read-only (invariant-settings-within-bounds)
  (and (fold within-bounds FUZZ_KEYS true)
       (<= (get-value "min-channel-sats") (get-value "max-channel-sats"))))

;; Every kind keeps a complete action config.
(define-read-only (invariant-action-configs-complete)
  (and (is-ok (get-action-config "channel-open")) (is-ok (get-action-config "lv-transfer"))
       (is-ok (get-action-config "setting")) (is-ok (get-action-config "gt-grant"))))

(define-private (field-value (kind (string-ascii 24)) (field (string-ascii 14)))
  (get-value (unwrap-panic (config-key kind field))))

(define-private (config-follows-settings (kind (string-ascii 24)) (ok-so-far bool))
  (let ((config (unwrap-panic (get-propose-config kind))))
    (and ok-so-far
         (is-eq (get mechanism config) (field-value kind "mechanism"))
         (is-eq (get voting-delay config) (field-value kind "voting-delay"))
         (is-eq (get voting-period config) (field-value kind "voting-period"))
         (is-eq (get quorum-votes config) (field-value kind "quorum-votes"))
         (is-eq (get pass-bps config) (field-value kind "pass-bps"))
         (is-eq (get timelock config) (field-value kind "timelock"))
         (is-eq (get expiry config) (field-value kind "expiry"))
         (is-eq (get members-only config) (field-value kind "members-only")))))

;; Each kind's copy of the proposal rules equals the rules.
(define-private (rules-copied (kind (string-ascii 24)) (ok-so-far bool))
  (let ((config (unwrap-panic (get-propose-config kind))) (rules (get-propose-rules)))
    (and ok-so-far
         (is-eq (get proposal-threshold config) (get proposal-threshold rules))
         (is-eq (get proposal-bond config) (get proposal-bond rules))
         (is-eq (get max-active-per-proposer config) (get max-active-per-proposer rules))
         (is-eq (get veto-window config) (get veto-window rules))
         (is-eq (get min-channel-sats config) (get min-channel-sats rules))
         (is-eq (get max-channel-sats config) (get max-channel-sats rules))
         (is-eq (get max-fee-ppm config) (get max-fee-ppm rules))
         (is-eq (get max-loop-sats config) (get max-loop-sats rules)))))

;; What propose reads in one call (get-propose-config: each kind's config, the proposal rules and the payload
;; bounds) always equals the settings map, whatever set-setting did.
(define-read-only (invariant-propose-config-follows-settings)
  (let ((rules (get-propose-rules)))
    (and (fold config-follows-settings FUZZ_KINDS true)
         (fold rules-copied FUZZ_KINDS true)
         (is-eq (get proposal-threshold rules) (get-value "proposal-threshold"))
         (is-eq (get proposal-bond rules) (get-value "proposal-bond"))
         (is-eq (get max-active-per-proposer rules) (get-value "max-active-per-proposer"))
         (is-eq (get veto-window rules) (get-value "veto-window"))
         (is-eq (get min-channel-sats rules) (get-value "min-channel-sats"))
         (is-eq (get max-channel-sats rules) (get-value "max-channel-sats"))
         (is-eq (get max-fee-ppm rules) (get-value "max-fee-ppm"))
         (is-eq (get max-loop-sats rules) (get-value "max-loop-sats")))))

;; ---- properties

;; A value outside a key's bounds is refused and changes nothing.
(define-public (test-out-of-bounds-refused (slot uint) (above uint))
  (let ((key (fuzz-key slot))
        (entry (unwrap-panic (map-get? settings key))))
    (if (>= (get max entry) u340282366920938463463374607431768211455)
      (ok false)
      (begin
        (asserts! (is-eq (set-as-dao key (+ (get max entry) u1 (mod above u1000))) ERR_OUT_OF_BOUNDS) (err u1))
        (asserts! (is-eq (get value (unwrap-panic (map-get? settings key))) (get value entry)) (err u2))
        (ok true)))))

;; Unknown keys are refused, and nobody outside the DAO sets anything.
(define-public (test-unknown-and-outsiders-refused (slot uint) (value uint))
  (begin
    (asserts! (is-eq (set-as-dao "no-such-setting" value) ERR_UNKNOWN_KEY) (err u1))
    (asserts! (is-eq (set-setting (fuzz-key slot) value) ERR_UNAUTHORIZED) (err u2))
    (ok true)))
