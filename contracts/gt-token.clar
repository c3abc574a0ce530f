;; title: gt-token
;; summary: The Governance Token (GT): SIP-010, 6 decimals, with vote checkpoints.
;; description:
;;   Every balance change writes a checkpoint {height: stacks-block-height, balance} for the holder, and every
;;   supply change one for the total supply (the ERC20Votes idea), so voting power can be read at a past
;;   height without `at-block` (disabled from epoch 3.4). One checkpoint per holder per block: a second change
;;   in the same block overwrites it. The newest checkpoint is also kept apart, so the common case (no change
;;   since the asked height) costs one read; otherwise a binary search makes at most log2(count)+1 probes.
;; dependencies: traits/sip-010-trait, lvdao-core (DAO guard for mint and burn).

(impl-trait .sip-010-trait.sip-010-trait)

;; Errors (u1200-u1299)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1200))
;; The sender is neither tx-sender nor contract-caller.
(define-constant ERR_NOT_TOKEN_OWNER (err u1201))
;; The amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u1202))
;; The balance is smaller than the amount.
(define-constant ERR_INSUFFICIENT_BALANCE (err u1203))
;; The asked height is not in the past (it must be below stacks-block-height).
(define-constant ERR_FUTURE_HEIGHT (err u1204))
;; Sender and recipient are the same principal.
(define-constant ERR_SELF_TRANSFER (err u1205))

(define-fungible-token gt)

(define-data-var token-uri (optional (string-utf8 256)) none)

;; A checkpoint owner: (some holder) for a balance, none for the total supply.
;; {owner, index} -> {height, balance}
(define-map checkpoints {owner: (optional principal), index: uint} {height: uint, balance: uint})

;; owner -> the newest checkpoint and the number of checkpoints
(define-map newest (optional principal) {count: uint, height: uint, balance: uint})

;; Binary-search probes: enough for 2^32 checkpoints.
(define-constant PROBES (list u0 u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15
                              u16 u17 u18 u19 u20 u21 u22 u23 u24 u25 u26 u27 u28 u29 u30 u31 u32))

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (newest-of (owner (optional principal)))
  (default-to {count: u0, height: u0, balance: u0} (map-get? newest owner)))

;; Records `balance` as the owner's value at the end of block `now` (this block; read once by the caller, as each
;; read of stacks-block-height costs a read).
(define-private (write-checkpoint (owner (optional principal)) (last {count: uint, height: uint, balance: uint})
                                  (balance uint) (now uint))
  (let ((same-block (and (> (get count last) u0) (is-eq (get height last) now)))
        (index (if same-block (- (get count last) u1) (get count last)))
        (count (+ index u1)))
    (map-set checkpoints {owner: owner, index: index} {height: now, balance: balance})
    (map-set newest owner {count: count, height: now, balance: balance})))

;; Moves GT between holders.
;; Caller: the sender, as tx-sender or contract-caller (SIP-010).
;; Event: gt-transfer.
(define-public (transfer (amount uint) (sender principal) (recipient principal) (memo (optional (buff 34))))
  (let ((from (newest-of (some sender))))
    (try! (move amount sender from recipient memo stacks-block-height))
    (ok true)))

;; Moves GT into an escrow, as transfer does, and answers what the sender held at the end of the previous
;; Stacks block, with that block's height: proposals escrows a proposer's bond and checks the proposal threshold
;; against the balance before the proposal in one call.
;; Caller: the sender, as tx-sender or contract-caller.
;; Event: gt-transfer.
(define-public (escrow (amount uint) (sender principal) (recipient principal))
  (let ((from (newest-of (some sender)))
        (now stacks-block-height)
        (prior (- now u1)))
    (try! (move amount sender from recipient none now))
    (ok {height: prior, balance: (if (<= (get height from) prior) (get balance from) (value-at (some sender) prior))})))

(define-private (move (amount uint) (sender principal) (from {count: uint, height: uint, balance: uint})
                      (recipient principal) (memo (optional (buff 34))) (now uint))
  (let ((to (newest-of (some recipient))))
    ;; Check that the sender authorises the transfer
    (asserts! (or (is-eq tx-sender sender) (is-eq contract-caller sender)) ERR_NOT_TOKEN_OWNER)
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that sender and recipient differ
    (asserts! (not (is-eq sender recipient)) ERR_SELF_TRANSFER)
    ;; Check that the sender holds the amount
    (asserts! (>= (get balance from) amount) ERR_INSUFFICIENT_BALANCE)
    (try! (ft-transfer? gt amount sender recipient))
    (write-checkpoint (some sender) from (- (get balance from) amount) now)
    (write-checkpoint (some recipient) to (+ (get balance to) amount) now)
    (print {topic: "gt-transfer", amount: amount, sender: sender, recipient: recipient, memo: memo})
    (ok true)))

;; Creates GT.
;; Caller: lvdao-core or an extension (lv-ledger for contributions, proposals for gt-grant, the bootstrap).
;; Event: gt-minted.
(define-public (mint (amount uint) (recipient principal))
  (let ((to (newest-of (some recipient)))
        (supply (newest-of none))
        (now stacks-block-height))
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    (try! (ft-mint? gt amount recipient))
    (write-checkpoint (some recipient) to (+ (get balance to) amount) now)
    (write-checkpoint none supply (+ (get balance supply) amount) now)
    (print {topic: "gt-minted", amount: amount, recipient: recipient})
    (ok true)))

;; Destroys GT.
;; Caller: lvdao-core or an extension.
;; Event: gt-burned.
(define-public (burn (amount uint) (owner principal))
  (let ((from (newest-of (some owner)))
        (supply (newest-of none))
        (now stacks-block-height))
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the owner holds the amount
    (asserts! (>= (get balance from) amount) ERR_INSUFFICIENT_BALANCE)
    (try! (ft-burn? gt amount owner))
    (write-checkpoint (some owner) from (- (get balance from) amount) now)
    (write-checkpoint none supply (- (get balance supply) amount) now)
    (print {topic: "gt-burned", amount: amount, owner: owner})
    (ok true)))

;; Sets the token metadata URI.
;; Caller: lvdao-core or an extension.
;; Event: token-uri-set.
(define-public (set-token-uri (uri (optional (string-utf8 256))))
  (begin
    (try! (is-dao-or-extension))
    (var-set token-uri uri)
    (print {topic: "token-uri-set", uri: uri})
    (ok true)))

;; ---------------------------------------------------------------------------------------------------------
;; SIP-010 reads

(define-read-only (get-name) (ok "lvdao Governance Token"))
(define-read-only (get-symbol) (ok "GT"))
(define-read-only (get-decimals) (ok u6))
(define-read-only (get-balance (who principal)) (ok (ft-get-balance gt who)))
(define-read-only (get-total-supply) (ok (ft-get-supply gt)))
(define-read-only (get-token-uri) (ok (var-get token-uri)))

;; ---------------------------------------------------------------------------------------------------------
;; Checkpoint reads

;; The balance of `who` at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-balance-at (who principal) (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (value-at (some who) height))))

;; The balance of `who` at the end of the previous Stacks block, and that block's height: what a proposer's
;; threshold is checked against.
(define-read-only (get-prior-balance (who principal))
  (let ((height (- stacks-block-height u1)))
    {height: height, balance: (value-at (some who) height)}))

;; The least of the balances of `who` at the end of Stacks blocks `from` and `to` (both in the past): GT that
;; was not held at both ends of the span counts for nothing. Quadratic credits read this, so GT borrowed for
;; one block around a proposal gives no votes. Costs one read when the balance has not moved since `from`.
(define-read-only (get-balance-held (who principal) (from uint) (to uint))
  (let ((last (newest-of (some who))))
    ;; Check that both heights are in the past
    (asserts! (< (if (> from to) from to) stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (if (and (<= (get height last) from) (<= (get height last) to))
          (get balance last)
          (let ((at-from (value-at (some who) from)) (at-to (value-at (some who) to)))
            (if (< at-from at-to) at-from at-to))))))

;; The total supply at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-total-supply-at (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (value-at none height))))

(define-read-only (get-checkpoint-count (who principal))
  (get count (newest-of (some who))))

(define-read-only (get-checkpoint (who principal) (index uint))
  (map-get? checkpoints {owner: (some who), index: index}))

(define-private (value-at (owner (optional principal)) (height uint))
  (let ((last (newest-of owner)))
    (if (<= (get height last) height)
      (get balance last)
      (search owner height (get count last)))))

;; Binary search for the newest checkpoint at or below `height`: an upper-bound search over [0, count) that
;; remembers the balance of the last probe at or below the height. count+1 outcomes need exactly
;; floor(log2 count) + 1 probes.
(define-private (search (owner (optional principal)) (height uint) (count uint))
  (get balance
    (fold probe
      (default-to PROBES (slice? PROBES u0 (+ (log2 count) u1)))
      {owner: owner, height: height, lo: u0, hi: count, balance: u0})))

(define-private (probe (step uint) (state {owner: (optional principal), height: uint, lo: uint, hi: uint, balance: uint}))
  (if (>= (get lo state) (get hi state))
    state
    (let ((mid (/ (+ (get lo state) (get hi state)) u2))
          (point (default-to {height: u0, balance: u0}
                   (map-get? checkpoints {owner: (get owner state), index: mid}))))
      (if (<= (get height point) (get height state))
        (merge state {lo: (+ mid u1), balance: (get balance point)})
        (merge state {hi: mid})))))
