;; title: action-validator
;; summary: Decodes and validates every action kind's payload (docs/design.md section 3, docs/contracts.md rules).
;; description:
;;   A payload is the consensus serialization of the kind's tuple. It is accepted only if it decodes to that
;;   exact tuple type and re-encodes to the same bytes, so every accepted payload has one canonical encoding,
;;   and only if its values pass the rules below with the bounds in dao-settings. Read-only: the relay and the
;;   web app can ask whether a payload would be accepted before proposing it. offchain/actions applies the
;;   same rules with the same error names.
;; dependencies: dao-settings (bounds).

;; Errors (u2100-u2199)
;; The kind is not one of the action kinds.
(define-constant ERR_UNKNOWN_KIND (err u2100))
;; The payload does not decode to the kind's tuple, or is not in canonical form.
(define-constant ERR_MALFORMED_PAYLOAD (err u2101))
;; A public key is not 33 bytes starting with 0x02 or 0x03.
(define-constant ERR_BAD_PUBKEY (err u2102))
;; A host is empty.
(define-constant ERR_BAD_HOST (err u2103))
;; local-sats lies outside [min-channel-sats, max-channel-sats].
(define-constant ERR_CHANNEL_SIZE (err u2104))
;; push-sats exceeds local-sats.
(define-constant ERR_PUSH_EXCEEDS_LOCAL (err u2105))
;; base-fee-msat exceeds 1,000,000,000.
(define-constant ERR_BASE_FEE (err u2106))
;; A fee rate in ppm exceeds its bound.
(define-constant ERR_FEE_PPM (err u2107))
;; cltv-delta lies outside [18, 2016].
(define-constant ERR_CLTV_DELTA (err u2108))
;; An inbound discount exceeds lnd's bounds.
(define-constant ERR_INBOUND_DISCOUNT (err u2109))
;; An outpoint's txid is not 32 bytes, or its vout is not below 2^32.
(define-constant ERR_BAD_OUTPOINT (err u2110))
;; max-fee-rate lies outside [1, 10000] sat/vB.
(define-constant ERR_FEE_RATE (err u2111))
;; A percentage exceeds 100, or min-inbound-pct + min-outbound-pct exceeds 100.
(define-constant ERR_PCT (err u2112))
;; An amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u2113))
;; budget-period lies outside [1, 52560] burn blocks.
(define-constant ERR_BUDGET_PERIOD (err u2114))
;; max-in-flight lies outside [1, 16].
(define-constant ERR_IN_FLIGHT (err u2115))
;; The same peer is listed twice.
(define-constant ERR_DUPLICATE_PEER (err u2116))
;; amount-sats exceeds max-loop-sats.
(define-constant ERR_LOOP_AMOUNT (err u2117))
;; max-fee-sats exceeds amount-sats.
(define-constant ERR_LOOP_FEE (err u2118))
;; The destination address is shorter than 14 characters.
(define-constant ERR_BAD_DEST (err u2119))
;; An LV wallet is not reserve, withdrawal or operations.
(define-constant ERR_BAD_WALLET (err u2120))
;; The from and to wallets are the same.
(define-constant ERR_SAME_WALLET (err u2121))
;; A GT grant exceeds 10^15 base units.
(define-constant ERR_GRANT_TOO_LARGE (err u2122))
;; The allocation bps do not sum to 10000.
(define-constant ERR_BPS_SUM (err u2123))
;; The setting key is not allow-listed.
(define-constant ERR_UNKNOWN_KEY (err u2124))
;; The setting value lies outside the key's bounds.
(define-constant ERR_SETTING_BOUNDS (err u2125))
;; A contract-proposal names a standard principal, not a contract.
(define-constant ERR_NOT_CONTRACT (err u2126))
;; A contract-proposal names a contract that is not deployed.
(define-constant ERR_CONTRACT_MISSING (err u2127))
;; A contract-proposal's code hash differs from the deployed contract's (contract-hash?).
(define-constant ERR_CODE_HASH (err u2128))
;; A treasury transfer exceeds 10^15 base units.
(define-constant ERR_TRANSFER_TOO_LARGE (err u2129))
;; A vault's descriptor-hash is not 32 bytes.
(define-constant ERR_DESCRIPTOR_HASH (err u2130))
;; A vault key is not a 78-byte serialized extended public key (its key data must start 0x02 or 0x03).
(define-constant ERR_BAD_XPUB (err u2131))
;; A vault has no guardian keys.
(define-constant ERR_NO_GUARDIANS (err u2132))
;; A vault key appears twice (relay, co-signer, last-resort and guardian keys must all differ).
(define-constant ERR_DUPLICATE_KEY (err u2133))
;; guardian-threshold lies outside [1, number of guardian keys].
(define-constant ERR_GUARDIAN_THRESHOLD (err u2134))
;; recovery-older lies outside [144, 52560] blocks.
(define-constant ERR_RECOVERY_OLDER (err u2135))
;; last-resort-older is not above recovery-older, or exceeds 65535 blocks.
(define-constant ERR_LAST_RESORT_OLDER (err u2136))
;; A vault's max-fee-rate lies outside [1, 1000] sat/vB.
(define-constant ERR_VAULT_FEE_RATE (err u2137))
;; reference-msat is zero.
(define-constant ERR_REFERENCE_PRICE (err u2138))
;; spread-bps exceeds 2000.
(define-constant ERR_SPREAD (err u2139))
;; target-inbound-bps exceeds 10000.
(define-constant ERR_TARGET_INBOUND (err u2140))
;; premium-slope-bps exceeds 10000.
(define-constant ERR_PREMIUM_SLOPE (err u2141))
;; max-premium-bps exceeds 5000.
(define-constant ERR_MAX_PREMIUM (err u2142))
;; quote-ttl lies outside [10, 3600] seconds.
(define-constant ERR_QUOTE_TTL (err u2143))
;; max-trade-lv is zero.
(define-constant ERR_TRADE_LIMIT (err u2144))
;; max-period-lv is below max-trade-lv.
(define-constant ERR_PERIOD_LIMIT (err u2145))
;; The pricing period is zero Stacks blocks.
(define-constant ERR_PRICING_PERIOD (err u2146))

;; Conviction pools: what a request is measured against.
(define-constant POOL_NONE u0)
(define-constant POOL_ONCHAIN u1)
(define-constant POOL_LV_RESERVE u2)
(define-constant POOL_GT_SUPPLY u3)

(define-constant KINDS (list "channel-open" "channel-close" "fee-policy" "rebalance-policy" "loop-out" "loop-in"
  "lv-transfer" "watchtower" "lv-allocation" "relay-set" "setting" "gt-grant" "member-attestor" "guardian-set"
  "contract-proposal" "treasury-transfer" "vault-set" "lv-pricing"))

(define-constant BPS u10000)
(define-constant MAX_VOUT u4294967295)
(define-constant MAX_BASE_FEE_MSAT u1000000000)
(define-constant MAX_INBOUND_BASE_MSAT u2147483647)
(define-constant MAX_INBOUND_PPM u1000000)
(define-constant MAX_SWAP_FEE_PPM u100000)
(define-constant MAX_GRANT u1000000000000000)
;; Vault bounds: relative timelocks in blocks (BIP-68 caps a block count at 65535), fee rate in sat/vB
(define-constant MIN_RECOVERY_OLDER u144)
(define-constant MAX_RECOVERY_OLDER u52560)
(define-constant MAX_LAST_RESORT_OLDER u65535)
(define-constant MAX_VAULT_FEE_RATE u1000)
;; Offset of the 33-byte public key in a serialized extended key (version 4, depth 1, fingerprint 4, child 4,
;; chain code 32); an extended private key has 0x00 there instead
(define-constant XPUB_KEY_OFFSET u45)
;; LV pricing bounds: bps, and quote lifetime in seconds
(define-constant MAX_SPREAD_BPS u2000)
(define-constant MAX_SLOPE_BPS u10000)
(define-constant MAX_PREMIUM_BPS u5000)
(define-constant MIN_QUOTE_TTL u10)
(define-constant MAX_QUOTE_TTL u3600)

;; The payload bounds in force, from dao-settings in one call.
(define-private (live-bounds (kind (string-ascii 24)))
  (let ((rules (contract-call? .dao-settings get-propose-rules)))
    {min-channel-sats: (get min-channel-sats rules), max-channel-sats: (get max-channel-sats rules),
     max-fee-ppm: (get max-fee-ppm rules), max-loop-sats: (get max-loop-sats rules)}))

(define-private (is-pubkey (key (buff 33)))
  (and (is-eq (len key) u33)
       (match (element-at? key u0) prefix (or (is-eq prefix 0x02) (is-eq prefix 0x03)) false)))

(define-private (is-outpoint (point {txid: (buff 32), vout: uint}))
  (and (is-eq (len (get txid point)) u32) (<= (get vout point) MAX_VOUT)))

(define-private (is-wallet (name (string-ascii 16)))
  (or (is-eq name "reserve") (is-eq name "withdrawal") (is-eq name "operations")))

(define-private (described (offchain bool) (requested uint) (pool uint))
  (ok {offchain: offchain, requested: requested, pool: pool, beneficiary: none}))

;; Validates `payload` for `kind` and describes it: whether the relay executes it, and for conviction the
;; amount it requests, the pool that amount is measured against, and who it pays (a gt-grant's recipient, who
;; may not stake on it).
(define-read-only (check-action (kind (string-ascii 24)) (payload (buff 2048)))
  (check-action-within kind payload (live-bounds kind)))

;; check-action with the payload bounds given (sats, ppm): proposals passes the ones it has already read from
;; dao-settings, so a proposal reads its settings once.
(define-read-only (check-action-within (kind (string-ascii 24)) (payload (buff 2048))
                                       (bounds {min-channel-sats: uint, max-channel-sats: uint, max-fee-ppm: uint,
                                                max-loop-sats: uint}))
  (begin
    ;; Check that the kind is known (no kind is longer than 17 characters)
    (asserts! (is-some (index-of? KINDS (unwrap! (as-max-len? kind u17) ERR_UNKNOWN_KIND))) ERR_UNKNOWN_KIND)
    ;; Check that there is a payload: the cost of from-consensus-buff? on zero bytes is undefined (log2 of 0),
    ;; which would abort the whole call instead of naming the error
    (asserts! (> (len payload) u0) ERR_MALFORMED_PAYLOAD)
    (if (is-eq kind "channel-open") (check-channel-open payload bounds)
    (if (is-eq kind "channel-close") (check-channel-close payload)
    (if (is-eq kind "fee-policy") (check-fee-policy payload bounds)
    (if (is-eq kind "rebalance-policy") (check-rebalance-policy payload)
    (if (is-eq kind "loop-out") (check-loop-out payload bounds)
    (if (is-eq kind "loop-in") (check-loop-in payload bounds)
    (if (is-eq kind "lv-transfer") (check-lv-transfer payload)
    (if (is-eq kind "watchtower") (check-watchtower payload)
    (if (is-eq kind "lv-allocation") (check-lv-allocation payload)
    (if (is-eq kind "relay-set") (check-principal-flag payload "relay")
    (if (is-eq kind "setting") (check-setting payload)
    (if (is-eq kind "gt-grant") (check-gt-grant payload)
    (if (is-eq kind "member-attestor") (check-principal-flag payload "attestor")
    (if (is-eq kind "guardian-set") (check-principal-flag payload "guardian")
    (if (is-eq kind "treasury-transfer") (check-treasury-transfer payload)
    (if (is-eq kind "vault-set") (check-vault-set payload)
    (if (is-eq kind "lv-pricing") (check-lv-pricing payload)
      (check-contract-proposal payload))))))))))))))))))))

;; True when `payload` is a valid `kind` action.
(define-read-only (validate (kind (string-ascii 24)) (payload (buff 2048)))
  (begin
    (try! (check-action kind payload))
    (ok true)))

(define-private (check-channel-open (payload (buff 2048))
                                    (bounds {min-channel-sats: uint, max-channel-sats: uint, max-fee-ppm: uint,
                                             max-loop-sats: uint}))
  (let ((action (unwrap! (from-consensus-buff? {peer: (buff 33), host: (string-ascii 64), local-sats: uint,
                                                push-sats: uint, private: bool, base-fee-msat: uint, fee-ppm: uint,
                                                cltv-delta: uint} payload) ERR_MALFORMED_PAYLOAD))
        (local (get local-sats action)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the peer is a public key
    (asserts! (is-pubkey (get peer action)) ERR_BAD_PUBKEY)
    ;; Check that there is a host to connect to
    (asserts! (> (len (get host action)) u0) ERR_BAD_HOST)
    ;; Check that the channel size is within the DAO's bounds
    (asserts! (and (>= local (get min-channel-sats bounds)) (<= local (get max-channel-sats bounds))) ERR_CHANNEL_SIZE)
    ;; Check that the push does not exceed the funding
    (asserts! (<= (get push-sats action) local) ERR_PUSH_EXCEEDS_LOCAL)
    (try! (check-fees (get base-fee-msat action) (get fee-ppm action) (get cltv-delta action) (get max-fee-ppm bounds)))
    (described true (+ local (get push-sats action)) POOL_ONCHAIN)))

(define-private (check-fees (base-fee-msat uint) (fee-ppm uint) (cltv-delta uint) (max-fee-ppm uint))
  (begin
    ;; Check that the base fee is within bounds
    (asserts! (<= base-fee-msat MAX_BASE_FEE_MSAT) ERR_BASE_FEE)
    ;; Check that the fee rate is within the DAO's bound
    (asserts! (<= fee-ppm max-fee-ppm) ERR_FEE_PPM)
    ;; Check that the CLTV delta is within [18, 2016]
    (asserts! (and (>= cltv-delta u18) (<= cltv-delta u2016)) ERR_CLTV_DELTA)
    (ok true)))

(define-private (check-channel-close (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {txid: (buff 32), vout: uint, force: bool, max-fee-rate: uint} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the channel point is an outpoint
    (asserts! (is-outpoint {txid: (get txid action), vout: (get vout action)}) ERR_BAD_OUTPOINT)
    ;; Check that the fee rate cap is within [1, 10000] sat/vB
    (asserts! (and (>= (get max-fee-rate action) u1) (<= (get max-fee-rate action) u10000)) ERR_FEE_RATE)
    (described true u0 POOL_NONE)))

(define-private (check-fee-policy (payload (buff 2048))
                                  (bounds {min-channel-sats: uint, max-channel-sats: uint, max-fee-ppm: uint,
                                           max-loop-sats: uint}))
  (let ((action (unwrap! (from-consensus-buff? {target: (optional {txid: (buff 32), vout: uint}), base-fee-msat: uint,
                                                fee-ppm: uint, inbound-base-discount-msat: uint,
                                                inbound-ppm-discount: uint, cltv-delta: uint} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that a target channel is an outpoint
    (asserts! (match (get target action) point (is-outpoint point) true) ERR_BAD_OUTPOINT)
    (try! (check-fees (get base-fee-msat action) (get fee-ppm action) (get cltv-delta action) (get max-fee-ppm bounds)))
    ;; Check that the inbound discounts fit lnd's int32 fields
    (asserts! (and (<= (get inbound-base-discount-msat action) MAX_INBOUND_BASE_MSAT)
                   (<= (get inbound-ppm-discount action) MAX_INBOUND_PPM))
              ERR_INBOUND_DISCOUNT)
    (described true u0 POOL_NONE)))

(define-private (check-rebalance-policy (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {min-inbound-pct: uint, min-outbound-pct: uint, max-swap-fee-ppm: uint,
                                                budget-sats: uint, budget-period: uint, max-in-flight: uint,
                                                peers: (list 16 (buff 33))} payload) ERR_MALFORMED_PAYLOAD))
        (peers (get peers action)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the thresholds are percentages that can hold together
    (asserts! (and (<= (get min-inbound-pct action) u100) (<= (get min-outbound-pct action) u100)
                   (<= (+ (get min-inbound-pct action) (get min-outbound-pct action)) u100))
              ERR_PCT)
    ;; Check that the swap fee cap is within bounds
    (asserts! (<= (get max-swap-fee-ppm action) MAX_SWAP_FEE_PPM) ERR_FEE_PPM)
    ;; Check that there is a budget
    (asserts! (> (get budget-sats action) u0) ERR_ZERO_AMOUNT)
    ;; Check that the budget period is within [1, 52560] burn blocks
    (asserts! (and (>= (get budget-period action) u1) (<= (get budget-period action) u52560)) ERR_BUDGET_PERIOD)
    ;; Check that at most 1 to 16 swaps run at once
    (asserts! (and (>= (get max-in-flight action) u1) (<= (get max-in-flight action) u16)) ERR_IN_FLIGHT)
    ;; Check that every peer is a public key
    (asserts! (is-eq (len (filter is-pubkey peers)) (len peers)) ERR_BAD_PUBKEY)
    ;; Check that no peer is listed twice
    (asserts! (get unique (fold check-unique peers {peers: peers, index: u0, unique: true})) ERR_DUPLICATE_PEER)
    (described true u0 POOL_NONE)))

(define-private (check-unique (peer (buff 33)) (state {peers: (list 16 (buff 33)), index: uint, unique: bool}))
  (merge state {index: (+ (get index state) u1),
                unique: (and (get unique state) (is-eq (index-of? (get peers state) peer) (some (get index state))))}))

(define-private (check-loop-amount (amount uint) (max-fee uint) (max-loop-sats uint))
  (begin
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the amount is within the DAO's bound
    (asserts! (<= amount max-loop-sats) ERR_LOOP_AMOUNT)
    ;; Check that the fee cap does not exceed the amount
    (asserts! (<= max-fee amount) ERR_LOOP_FEE)
    (ok true)))

(define-private (check-loop-out (payload (buff 2048))
                                (bounds {min-channel-sats: uint, max-channel-sats: uint, max-fee-ppm: uint,
                                         max-loop-sats: uint}))
  (let ((action (unwrap! (from-consensus-buff? {amount-sats: uint, channel: (optional {txid: (buff 32), vout: uint}),
                                                dest: (string-ascii 90), max-fee-sats: uint} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    (try! (check-loop-amount (get amount-sats action) (get max-fee-sats action) (get max-loop-sats bounds)))
    ;; Check that a source channel is an outpoint
    (asserts! (match (get channel action) point (is-outpoint point) true) ERR_BAD_OUTPOINT)
    ;; Check that the destination can be an address
    (asserts! (>= (len (get dest action)) u14) ERR_BAD_DEST)
    (described true (get amount-sats action) POOL_ONCHAIN)))

(define-private (check-loop-in (payload (buff 2048))
                               (bounds {min-channel-sats: uint, max-channel-sats: uint, max-fee-ppm: uint,
                                        max-loop-sats: uint}))
  (let ((action (unwrap! (from-consensus-buff? {amount-sats: uint, last-hop: (optional (buff 33)), max-fee-sats: uint}
                                               payload) ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    (try! (check-loop-amount (get amount-sats action) (get max-fee-sats action) (get max-loop-sats bounds)))
    ;; Check that a last hop is a public key
    (asserts! (match (get last-hop action) key (is-pubkey key) true) ERR_BAD_PUBKEY)
    (described true (get amount-sats action) POOL_ONCHAIN)))

(define-private (check-lv-transfer (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {from: (string-ascii 16), to: (string-ascii 16), amount: uint} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that both wallets are known
    (asserts! (and (is-wallet (get from action)) (is-wallet (get to action))) ERR_BAD_WALLET)
    ;; Check that the wallets differ
    (asserts! (not (is-eq (get from action) (get to action))) ERR_SAME_WALLET)
    ;; Check that the amount is positive
    (asserts! (> (get amount action) u0) ERR_ZERO_AMOUNT)
    (described true (get amount action) POOL_LV_RESERVE)))

(define-private (check-watchtower (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {add: bool, pubkey: (buff 33), host: (string-ascii 64)} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the tower key is a public key
    (asserts! (is-pubkey (get pubkey action)) ERR_BAD_PUBKEY)
    ;; Check that a tower to add has a host
    (asserts! (or (not (get add action)) (> (len (get host action)) u0)) ERR_BAD_HOST)
    (described true u0 POOL_NONE)))

(define-private (check-lv-allocation (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {infrastructure-bps: uint, channel-bps: uint, reserve-bps: uint} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the shares sum to exactly 10000 bps
    (asserts! (is-eq (+ (get infrastructure-bps action) (get channel-bps action) (get reserve-bps action)) u10000)
              ERR_BPS_SUM)
    (described false u0 POOL_NONE)))

;; relay-set, member-attestor and guardian-set: {<role>: principal, enabled: bool}.
(define-private (check-principal-flag (payload (buff 2048)) (role (string-ascii 8)))
  (let ((canonical (if (is-eq role "relay")
                     (match (from-consensus-buff? {relay: principal, enabled: bool} payload)
                       action (is-eq (to-consensus-buff? action) (some payload)) false)
                   (if (is-eq role "attestor")
                     (match (from-consensus-buff? {attestor: principal, enabled: bool} payload)
                       action (is-eq (to-consensus-buff? action) (some payload)) false)
                     (match (from-consensus-buff? {guardian: principal, enabled: bool} payload)
                       action (is-eq (to-consensus-buff? action) (some payload)) false)))))
    ;; Check that the payload decodes to the tuple and is canonical
    (asserts! canonical ERR_MALFORMED_PAYLOAD)
    (described false u0 POOL_NONE)))

(define-private (check-setting (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {key: (string-ascii 32), value: uint} payload) ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that dao-settings would accept the value for the key
    (try! (match (contract-call? .dao-settings check-setting (get key action) (get value action))
            entry (ok true)
            code (if (is-eq code u1101) ERR_UNKNOWN_KEY ERR_SETTING_BOUNDS)))
    (described false u0 POOL_NONE)))

(define-private (check-gt-grant (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {recipient: principal, amount: uint} payload) ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the grant is positive
    (asserts! (> (get amount action) u0) ERR_ZERO_AMOUNT)
    ;; Check that the grant is within bounds
    (asserts! (<= (get amount action) MAX_GRANT) ERR_GRANT_TOO_LARGE)
    ;; A grant is measured against the GT supply, so a larger grant needs more conviction; its recipient
    ;; cannot stake on it
    (ok {offchain: false, requested: (get amount action), pool: POOL_GT_SUPPLY,
         beneficiary: (some (get recipient action))})))

(define-private (check-treasury-transfer (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {recipient: principal, amount: uint} payload) ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the transfer is positive
    (asserts! (> (get amount action) u0) ERR_ZERO_AMOUNT)
    ;; Check that the transfer is within bounds
    (asserts! (<= (get amount action) MAX_GRANT) ERR_TRANSFER_TOO_LARGE)
    (described false u0 POOL_NONE)))

;; A serialized BIP-32 extended public key: 78 bytes whose key data is a compressed public key.
(define-private (is-xpub (key (buff 78)))
  (and (is-eq (len key) u78)
       (match (element-at? key XPUB_KEY_OFFSET) prefix (or (is-eq prefix 0x02) (is-eq prefix 0x03)) false)))

(define-private (check-unique-key (key (buff 78)) (state {keys: (list 10 (buff 78)), index: uint, unique: bool}))
  (merge state {index: (+ (get index state) u1),
                unique: (and (get unique state) (is-eq (index-of? (get keys state) key) (some (get index state))))}))

;; vault-set: the DAO's Taproot vault (docs/vault.md). Everyday spends need the relay and the co-signer;
;; k-of-n guardians may spend after recovery-older blocks; the last-resort key alone after last-resort-older.
;; The vault-set tuple a payload decodes to (none if it does not): the one statement of its type, which
;; chain-actions applies through as well.
(define-read-only (decode-vault-set (payload (buff 2048)))
  (from-consensus-buff? {descriptor-hash: (buff 32), relay-key: (buff 78), cosigner-key: (buff 78),
                         guardian-keys: (list 7 (buff 78)), guardian-threshold: uint, recovery-older: uint,
                         last-resort-key: (buff 78), last-resort-older: uint, max-fee-rate: uint} payload))

(define-private (check-vault-set (payload (buff 2048)))
  (let ((action (unwrap! (decode-vault-set payload) ERR_MALFORMED_PAYLOAD))
        (guardians (get guardian-keys action))
        (keys (unwrap-panic (as-max-len? (concat (list (get relay-key action) (get cosigner-key action)
                                                       (get last-resort-key action))
                                                 guardians)
                                         u10)))
        (recovery (get recovery-older action))
        (last-resort (get last-resort-older action)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the descriptor hash is a sha256
    (asserts! (is-eq (len (get descriptor-hash action)) u32) ERR_DESCRIPTOR_HASH)
    ;; Check that every key is an extended public key
    (asserts! (is-eq (len (filter is-xpub keys)) (len keys)) ERR_BAD_XPUB)
    ;; Check that there is at least one guardian
    (asserts! (> (len guardians) u0) ERR_NO_GUARDIANS)
    ;; Check that no key is used twice, so no party holds two of the policy's keys
    (asserts! (get unique (fold check-unique-key keys {keys: keys, index: u0, unique: true})) ERR_DUPLICATE_KEY)
    ;; Check that the guardian threshold is k of n with 1 <= k <= n
    (asserts! (and (>= (get guardian-threshold action) u1) (<= (get guardian-threshold action) (len guardians)))
              ERR_GUARDIAN_THRESHOLD)
    ;; Check that the recovery timelock is within [144, 52560] blocks
    (asserts! (and (>= recovery MIN_RECOVERY_OLDER) (<= recovery MAX_RECOVERY_OLDER)) ERR_RECOVERY_OLDER)
    ;; Check that the last resort waits longer than the guardians, within a relative timelock's range
    (asserts! (and (> last-resort recovery) (<= last-resort MAX_LAST_RESORT_OLDER)) ERR_LAST_RESORT_OLDER)
    ;; Check that the co-signer's fee rate cap is within [1, 1000] sat/vB
    (asserts! (and (>= (get max-fee-rate action) u1) (<= (get max-fee-rate action) MAX_VAULT_FEE_RATE))
              ERR_VAULT_FEE_RATE)
    (described false u0 POOL_NONE)))

;; lv-pricing: the LV desk's price rule (docs/market.md "Pricing"). Amounts: msat per LV base unit, LV base
;; units; shares and premiums in bps; quote-ttl in seconds; period in Stacks blocks.
;; The lv-pricing tuple a payload decodes to (none if it does not), shared with chain-actions like
;; decode-vault-set.
(define-read-only (decode-lv-pricing (payload (buff 2048)))
  (from-consensus-buff? {reference-msat: uint, spread-bps: uint, target-inbound-bps: uint, premium-slope-bps: uint,
                         max-premium-bps: uint, quote-ttl: uint, max-trade-lv: uint, max-period-lv: uint,
                         period: uint} payload))

(define-private (check-lv-pricing (payload (buff 2048)))
  (let ((action (unwrap! (decode-lv-pricing payload) ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that one LV stands for something
    (asserts! (> (get reference-msat action) u0) ERR_REFERENCE_PRICE)
    ;; Check that the spread is at most 2000 bps
    (asserts! (<= (get spread-bps action) MAX_SPREAD_BPS) ERR_SPREAD)
    ;; Check that the inbound target is a share
    (asserts! (<= (get target-inbound-bps action) BPS) ERR_TARGET_INBOUND)
    ;; Check that the premium slope is at most 10000 bps per 1% of shortfall
    (asserts! (<= (get premium-slope-bps action) MAX_SLOPE_BPS) ERR_PREMIUM_SLOPE)
    ;; Check that the premium cap is at most 5000 bps
    (asserts! (<= (get max-premium-bps action) MAX_PREMIUM_BPS) ERR_MAX_PREMIUM)
    ;; Check that a quote lives 10 to 3600 seconds
    (asserts! (and (>= (get quote-ttl action) MIN_QUOTE_TTL) (<= (get quote-ttl action) MAX_QUOTE_TTL))
              ERR_QUOTE_TTL)
    ;; Check that a trade may move some LV
    (asserts! (> (get max-trade-lv action) u0) ERR_TRADE_LIMIT)
    ;; Check that a period allows at least one full trade
    (asserts! (>= (get max-period-lv action) (get max-trade-lv action)) ERR_PERIOD_LIMIT)
    ;; Check that a period is at least one block, so period indexes are defined
    (asserts! (> (get period action) u0) ERR_PRICING_PERIOD)
    (described false u0 POOL_NONE)))

;; contract-proposal: {proposal: principal, code-hash: (buff 32)}, a deployed contract implementing
;; proposal-trait, run by lvdao-core. The code hash pins what voters approve: it is `contract-hash?` of the
;; contract (SHA-512/256 of its source), so the code cannot be chosen after the vote.
(define-private (check-contract-proposal (payload (buff 2048)))
  (let ((action (unwrap! (from-consensus-buff? {proposal: principal, code-hash: (buff 32)} payload)
                         ERR_MALFORMED_PAYLOAD)))
    ;; Check that the payload is canonical
    (asserts! (is-eq (to-consensus-buff? action) (some payload)) ERR_MALFORMED_PAYLOAD)
    ;; Check that the principal is a contract
    (asserts! (match (principal-destruct? (get proposal action))
                parts (is-some (get name parts))
                parts (is-some (get name parts)))
              ERR_NOT_CONTRACT)
    ;; Check that the contract is deployed and its code is the code voters are shown
    (asserts! (is-eq (unwrap! (contract-hash? (get proposal action)) ERR_CONTRACT_MISSING) (get code-hash action))
              ERR_CODE_HASH)
    (described false u0 POOL_NONE)))
