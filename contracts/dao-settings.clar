;; title: dao-settings
;; summary: Allow-listed uint settings, each with bounds, and the per-kind action configs built from them.
;; description:
;;   Every key lives in one map with its value and bounds; a key that is not in the map does not exist.
;;   Action configs are settings too, keyed `<kind>:<field>` (for example `channel-open:voting-period`), so a
;;   passed `setting` proposal changes them like any other key. Units are given next to each default below.
;;   What `propose` reads (a kind's config, the proposal rules and the payload bounds) is also kept as two
;;   tuples, written by every `set-setting` of one of their keys, so a proposal reads its settings in one call
;;   (`get-propose-config`) instead of one call per key.
;; dependencies: lvdao-core (DAO guard).

;; Errors (u1100-u1199)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1100))
;; The key is not an allow-listed setting.
(define-constant ERR_UNKNOWN_KEY (err u1101))
;; The value lies outside the key's bounds.
(define-constant ERR_OUT_OF_BOUNDS (err u1102))
;; The kind has no action config.
(define-constant ERR_UNKNOWN_KIND (err u1103))
;; The value would make min-channel-sats exceed max-channel-sats.
(define-constant ERR_INCONSISTENT (err u1104))

(define-constant MAX_HEIGHT u4294967295)

;; key -> {value, min, max}
(define-map settings (string-ascii 32) {value: uint, min: uint, max: uint})

;; kind -> everything propose reads for it: the values of the `<kind>:<field>` settings and a copy of the
;; proposal rules (propose-rules), so a proposal reads its settings in one read
(define-map configs (string-ascii 24)
  {mechanism: uint, voting-delay: uint, voting-period: uint, quorum-votes: uint, pass-bps: uint,
                      timelock: uint, expiry: uint, members-only: uint, proposal-threshold: uint, proposal-bond: uint,
                      max-active-per-proposer: uint, veto-window: uint, min-channel-sats: uint,
                      max-channel-sats: uint, max-fee-ppm: uint, max-loop-sats: uint})

;; The kinds that have a config, so a change of a proposal rule reaches each kind's copy
(define-constant KINDS (list "channel-open" "channel-close" "fee-policy" "rebalance-policy" "loop-out" "loop-in"
  "lv-transfer" "watchtower" "lv-allocation" "relay-set" "setting" "gt-grant" "member-attestor" "guardian-set"
  "contract-proposal" "treasury-transfer" "vault-set" "lv-pricing"))

;; The DAO's Bitcoin vault (docs/vault.md), set by a passed vault-set proposal: the sha256 of its descriptor,
;; the extended public keys (78 serialized bytes each), the recovery timelocks in blocks, the co-signer's fee
;; rate cap in sat/vB, and the Stacks block height it was set at
(define-data-var vault
  (optional {descriptor-hash: (buff 32), relay-key: (buff 78), cosigner-key: (buff 78),
             guardian-keys: (list 7 (buff 78)), guardian-threshold: uint, recovery-older: uint,
             last-resort-key: (buff 78), last-resort-older: uint, max-fee-rate: uint, set-at: uint})
  none)

;; The other settings propose reads: its own rules and the payload bounds action-validator checks
(define-data-var propose-rules {proposal-threshold: uint, proposal-bond: uint, max-active-per-proposer: uint,
                                veto-window: uint, min-channel-sats: uint, max-channel-sats: uint,
                                max-fee-ppm: uint, max-loop-sats: uint}
  {proposal-threshold: u0, proposal-bond: u0, max-active-per-proposer: u0, veto-window: u0, min-channel-sats: u0,
   max-channel-sats: u0, max-fee-ppm: u0, max-loop-sats: u0})

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

;; Checks that `value` is a valid value for `key` now.
(define-read-only (check-setting (key (string-ascii 32)) (value uint))
  (let ((entry (unwrap! (map-get? settings key) ERR_UNKNOWN_KEY)))
    ;; Check that the value is within the key's bounds
    (asserts! (and (>= value (get min entry)) (<= value (get max entry))) ERR_OUT_OF_BOUNDS)
    ;; Check that the channel size bounds stay ordered
    (asserts! (or (not (is-eq key "min-channel-sats")) (<= value (get-value "max-channel-sats"))) ERR_INCONSISTENT)
    (asserts! (or (not (is-eq key "max-channel-sats")) (>= value (get-value "min-channel-sats"))) ERR_INCONSISTENT)
    (ok entry)))

;; Sets one setting.
;; Caller: lvdao-core or an extension (proposals applies `setting`; guardian sets `paused-until`).
;; Event: setting-changed.
(define-public (set-setting (key (string-ascii 32)) (value uint))
  (let ((entry (try! (is-dao-or-extension-then-check key value))))
    (map-set settings key (merge entry {value: value}))
    (remember key value)
    (print {topic: "setting-changed", key: key, old-value: (get value entry), value: value})
    (ok true)))

;; Keeps the propose tuples in step with the settings map.
(define-private (remember (key (string-ascii 32)) (value uint))
  (match (index-of? key ":")
    colon (let ((kind (unwrap-panic (as-max-len? (unwrap-panic (slice? key u0 colon)) u24)))
                (field (unwrap-panic (slice? key (+ colon u1) (len key)))))
            (match (map-get? configs kind)
              config (map-set configs kind (with-field config field value))
              false))
    (let ((rules (with-rule (var-get propose-rules) key value)))
      (and (not (is-eq rules (var-get propose-rules)))
           (begin
             (var-set propose-rules rules)
             (fold copy-rules KINDS rules)
             true)))))

;; Writes the proposal rules into one kind's config.
(define-private (copy-rules (kind (string-ascii 24))
                            (rules {proposal-threshold: uint, proposal-bond: uint, max-active-per-proposer: uint,
                                    veto-window: uint, min-channel-sats: uint, max-channel-sats: uint,
                                    max-fee-ppm: uint, max-loop-sats: uint}))
  (begin
    (match (map-get? configs kind) config (map-set configs kind (merge config rules)) false)
    rules))

(define-private (with-field (config {mechanism: uint, voting-delay: uint, voting-period: uint, quorum-votes: uint,
                                    pass-bps: uint, timelock: uint, expiry: uint, members-only: uint,
                                    proposal-threshold: uint, proposal-bond: uint, max-active-per-proposer: uint,
                                    veto-window: uint, min-channel-sats: uint, max-channel-sats: uint,
                                    max-fee-ppm: uint, max-loop-sats: uint})
                            (field (string-ascii 32)) (value uint))
  (if (is-eq field "mechanism") (merge config {mechanism: value})
  (if (is-eq field "voting-delay") (merge config {voting-delay: value})
  (if (is-eq field "voting-period") (merge config {voting-period: value})
  (if (is-eq field "quorum-votes") (merge config {quorum-votes: value})
  (if (is-eq field "pass-bps") (merge config {pass-bps: value})
  (if (is-eq field "timelock") (merge config {timelock: value})
  (if (is-eq field "expiry") (merge config {expiry: value})
  (if (is-eq field "members-only") (merge config {members-only: value})
    config)))))))))

(define-private (with-rule (rules {proposal-threshold: uint, proposal-bond: uint, max-active-per-proposer: uint,
                                   veto-window: uint, min-channel-sats: uint, max-channel-sats: uint,
                                   max-fee-ppm: uint, max-loop-sats: uint})
                           (key (string-ascii 32)) (value uint))
  (if (is-eq key "proposal-threshold") (merge rules {proposal-threshold: value})
  (if (is-eq key "proposal-bond") (merge rules {proposal-bond: value})
  (if (is-eq key "max-active-per-proposer") (merge rules {max-active-per-proposer: value})
  (if (is-eq key "veto-window") (merge rules {veto-window: value})
  (if (is-eq key "min-channel-sats") (merge rules {min-channel-sats: value})
  (if (is-eq key "max-channel-sats") (merge rules {max-channel-sats: value})
  (if (is-eq key "max-fee-ppm") (merge rules {max-fee-ppm: value})
  (if (is-eq key "max-loop-sats") (merge rules {max-loop-sats: value})
    rules)))))))))

(define-private (is-dao-or-extension-then-check (key (string-ascii 32)) (value uint))
  (begin
    (try! (is-dao-or-extension))
    (check-setting key value)))

;; Replaces the vault. The values were checked by action-validator when the vault-set was proposed.
;; Caller: lvdao-core or an extension (chain-actions applies a passed vault-set).
;; Event: vault-set.
(define-public (set-vault (keys {descriptor-hash: (buff 32), relay-key: (buff 78), cosigner-key: (buff 78),
                                 guardian-keys: (list 7 (buff 78)), guardian-threshold: uint, recovery-older: uint,
                                 last-resort-key: (buff 78), last-resort-older: uint, max-fee-rate: uint}))
  (let ((entry (merge keys {set-at: stacks-block-height})))
    (try! (is-dao-or-extension))
    (var-set vault (some entry))
    (print {topic: "vault-set", descriptor-hash: (get descriptor-hash keys), relay-key: (get relay-key keys),
            cosigner-key: (get cosigner-key keys), guardian-keys: (get guardian-keys keys),
            guardian-threshold: (get guardian-threshold keys), recovery-older: (get recovery-older keys),
            last-resort-key: (get last-resort-key keys), last-resort-older: (get last-resort-older keys),
            max-fee-rate: (get max-fee-rate keys), set-at: stacks-block-height})
    (ok true)))

;; The vault in force, if a vault-set has passed.
(define-read-only (get-vault)
  (var-get vault))

(define-read-only (get-setting (key (string-ascii 32)))
  (ok (get value (unwrap! (map-get? settings key) ERR_UNKNOWN_KEY))))

(define-read-only (get-setting-bounds (key (string-ascii 32)))
  (map-get? settings key))

(define-private (get-value (key (string-ascii 32)))
  (default-to u0 (get value (map-get? settings key))))

(define-private (config-key (kind (string-ascii 24)) (field (string-ascii 14)))
  (as-max-len? (concat (concat kind ":") field) u32))

;; The voting and execution parameters for proposals of `kind`.
;; mechanism: u1 quadratic, u2 conviction. Windows in burn blocks.
(define-read-only (get-action-config (kind (string-ascii 24)))
  (let ((config (unwrap! (map-get? configs kind) ERR_UNKNOWN_KIND)))
    (ok {mechanism: (get mechanism config), voting-delay: (get voting-delay config),
         voting-period: (get voting-period config), quorum-votes: (get quorum-votes config),
         pass-bps: (get pass-bps config), timelock: (get timelock config), expiry: (get expiry config),
         members-only: (is-eq (get members-only config) u1)})))

;; Everything propose reads for `kind`, in one read (none for an unknown kind): its voting config, the proposal
;; rules (threshold and bond in GT base units, open proposals, veto window in burn blocks) and the payload
;; bounds (sats, ppm).
(define-read-only (get-propose-config (kind (string-ascii 24)))
  (map-get? configs kind))

;; The proposal rules and payload bounds, the same for every kind.
(define-read-only (get-propose-rules)
  (var-get propose-rules))

;; ---------------------------------------------------------------------------------------------------------
;; Defaults, written once at deploy time.

(define-private (init-setting (entry {key: (string-ascii 32), value: uint, min: uint, max: uint}))
  (begin
    (map-set settings (get key entry) {value: (get value entry), min: (get min entry), max: (get max entry)})
    (remember (get key entry) (get value entry))))

(define-private (init-field (field {name: (string-ascii 14), value: uint, min: uint, max: uint})
                            (kind (string-ascii 24)))
  (begin
    (init-setting {key: (unwrap-panic (config-key kind (get name field))), value: (get value field),
                   min: (get min field), max: (get max field)})
    kind))

(define-private (init-kind (spec {kind: (string-ascii 24), mechanism: uint, delay: uint, period: uint,
                                  quorum: uint, pass-bps: uint, timelock: uint}))
  (begin
  (map-set configs (get kind spec) (merge {mechanism: u0, voting-delay: u0, voting-period: u0, quorum-votes: u0,
                                           pass-bps: u0, timelock: u0, expiry: u0, members-only: u0}
                                          (var-get propose-rules)))
  (fold init-field
    (list {name: "mechanism", value: (get mechanism spec), min: u1, max: u2}         ;; u1 quadratic, u2 conviction
          {name: "voting-delay", value: (get delay spec), min: u0, max: u4320}        ;; burn blocks
          {name: "voting-period", value: (get period spec), min: u1, max: u8640}      ;; burn blocks
          {name: "quorum-votes", value: (get quorum spec), min: u0, max: u1000000000000000} ;; quadratic votes
          {name: "pass-bps", value: (get pass-bps spec), min: u1, max: u10000}        ;; bps
          {name: "timelock", value: (get timelock spec), min: u0, max: u4320}         ;; burn blocks
          {name: "expiry", value: u1008, min: u6, max: u52560}                        ;; burn blocks after eta
          {name: "members-only", value: u0, min: u0, max: u1})                        ;; 0 or 1
    (get kind spec))))

(map init-setting (list
  {key: "proposal-threshold", value: u1000000000, min: u0, max: u100000000000000}     ;; GT base units
  {key: "proposal-bond", value: u100000000, min: u0, max: u10000000000000}            ;; GT base units
  {key: "max-active-per-proposer", value: u3, min: u1, max: u50}                      ;; open proposals
  {key: "claim-lease", value: u6, min: u1, max: u1008}                                ;; burn blocks
  {key: "max-attempts", value: u3, min: u1, max: u20}                                 ;; attempts
  {key: "min-channel-sats", value: u20000, min: u20000, max: u100000000000}           ;; sats
  {key: "max-channel-sats", value: u16777215, min: u20000, max: u100000000000}        ;; sats
  {key: "max-fee-ppm", value: u5000, min: u0, max: u1000000}                          ;; ppm
  {key: "max-loop-sats", value: u10000000, min: u1, max: u100000000000}               ;; sats
  ;; gt-per-lv: GT base units per LV unit, scale 10^6
  {key: "gt-per-lv", value: u1000000, min: u1, max: u1000000000000}
  {key: "guardian-sunset", value: u0, min: u0, max: MAX_HEIGHT}                       ;; burn height
  {key: "max-pause", value: u144, min: u1, max: u2016}                                ;; burn blocks
  {key: "veto-quorum", value: u2, min: u1, max: u16}                                  ;; guardians
  {key: "veto-window", value: u144, min: u1, max: u4320}                              ;; burn blocks
  {key: "cv-decay", value: u998396779171, min: u500000000000, max: u999999999999}     ;; a per burn block, scale 10^12
  {key: "cv-max-ratio", value: u2000, min: u1, max: u10000}                           ;; beta, bps
  {key: "cv-weight", value: u10000000000, min: u1, max: u1000000000000}                ;; rho, scale 10^12
  {key: "cv-min-stake-bps", value: u2500, min: u0, max: u10000}                       ;; bps of GT supply
  {key: "paused-until", value: u0, min: u0, max: MAX_HEIGHT}                         ;; burn height, 0 = not paused
  ;; pause-cooldown: burn blocks between one guardian's pauses; pause-budget: paused burn blocks per pause-period
  {key: "pause-cooldown", value: u1008, min: u0, max: u4320}
  {key: "pause-budget", value: u432, min: u1, max: u52560}
  {key: "pause-period", value: u2016, min: u1, max: u52560}                           ;; burn blocks
  ;; max-attestation: burn blocks a membership may last
  {key: "max-attestation", value: u52560, min: u1, max: u262800}
  ;; grant-min-supporters: stakers a gt-grant needs, recipient excluded
  {key: "grant-min-supporters", value: u3, min: u1, max: u100}))

(map init-kind (list
  {kind: "channel-open", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "channel-close", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "fee-policy", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "rebalance-policy", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "loop-out", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "loop-in", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "watchtower", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u5000, timelock: u6}
  {kind: "setting", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "relay-set", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "member-attestor", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "contract-proposal", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "guardian-set", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "lv-transfer", mechanism: u2, delay: u0, period: u4320, quorum: u0, pass-bps: u5000, timelock: u6}
  {kind: "lv-allocation", mechanism: u2, delay: u0, period: u4320, quorum: u0, pass-bps: u5000, timelock: u6}
  {kind: "gt-grant", mechanism: u2, delay: u0, period: u4320, quorum: u0, pass-bps: u5000, timelock: u144}
  {kind: "treasury-transfer", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "vault-set", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
  {kind: "lv-pricing", mechanism: u1, delay: u6, period: u144, quorum: u1000000, pass-bps: u6000, timelock: u12}
))
