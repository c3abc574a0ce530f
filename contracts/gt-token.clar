;; title: gt-token
;; summary: The Governance Token (GT): SIP-010, 6 decimals, with balance checkpoints and delegated votes.
;; description:
;;   Every balance change writes a checkpoint {height: stacks-block-height, balance} for the holder, and every
;;   supply change one for the total supply (the ERC20Votes idea), so balances can be read at a past height
;;   without `at-block` (disabled from epoch 3.4). One checkpoint per series per block: a second change in the
;;   same block overwrites it. The newest checkpoint is also kept apart, so the common case (no change since the
;;   asked height) costs one read; otherwise a binary search makes at most log2(count)+1 probes.
;;   Delegation: each holder's GT counts as votes of one delegate, the holder itself until it calls `delegate`
;;   (so a holder who never delegated votes with its own balance). Each delegate's votes have checkpoints of
;;   their own; mints, burns, transfers and escrows move votes from the sender's delegate to the recipient's.
;;   Every GT counts for exactly one delegate, so the delegates' votes sum to the total supply
;;   (docs/delegation.md).
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
;; The holder already delegates to this principal.
(define-constant ERR_SAME_DELEGATE (err u1206))

(define-fungible-token gt)

(define-data-var token-uri (optional (string-utf8 256)) none)

;; A checkpoint series: {account: (some holder), votes: false} for a balance, {account: (some delegate),
;; votes: true} for a delegate's votes, and SUPPLY for the total supply.
;; {owner: series, index} -> {height, balance}
(define-map checkpoints {owner: {account: (optional principal), votes: bool}, index: uint} {height: uint, balance: uint})

;; series -> the newest checkpoint and the number of checkpoints
(define-map newest {account: (optional principal), votes: bool} {count: uint, height: uint, balance: uint})

(define-constant SUPPLY {account: none, votes: false})

;; holder -> the delegate its GT counts for; absent while the holder counts for itself
(define-map delegates principal principal)

;; Binary-search probes: enough for 2^32 checkpoints.
(define-constant PROBES (list u0 u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15
                              u16 u17 u18 u19 u20 u21 u22 u23 u24 u25 u26 u27 u28 u29 u30 u31 u32))

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (balance-series (who principal)) {account: (some who), votes: false})
(define-private (votes-series (who principal)) {account: (some who), votes: true})

(define-private (newest-of (owner {account: (optional principal), votes: bool}))
  (default-to {count: u0, height: u0, balance: u0} (map-get? newest owner)))

(define-private (delegate-of (who principal))
  (default-to who (map-get? delegates who)))

;; Records `balance` as the series' value at the end of block `now` (this block; read once by the caller, as each
;; read of stacks-block-height costs a read).
(define-private (write-checkpoint (owner {account: (optional principal), votes: bool})
                                  (last {count: uint, height: uint, balance: uint}) (balance uint) (now uint))
  (let ((same-block (and (> (get count last) u0) (is-eq (get height last) now)))
        (index (if same-block (- (get count last) u1) (get count last)))
        (count (+ index u1)))
    (map-set checkpoints {owner: owner, index: index} {height: now, balance: balance})
    (map-set newest owner {count: count, height: now, balance: balance})))

;; Moves GT between holders.
;; Caller: the sender, as tx-sender or contract-caller (SIP-010).
;; Events: gt-transfer, and delegate-votes-changed for both delegates when they differ.
(define-public (transfer (amount uint) (sender principal) (recipient principal) (memo (optional (buff 34))))
  (let ((from (newest-of (balance-series sender))))
    (try! (move amount sender from recipient memo stacks-block-height))
    (ok true)))

;; Moves GT into an escrow, as transfer does, and answers what the sender held at the end of the previous
;; Stacks block, with that block's height: proposals escrows a proposer's bond and checks the proposal threshold
;; against the balance before the proposal in one call.
;; Caller: the sender, as tx-sender or contract-caller.
;; Events: gt-transfer, and delegate-votes-changed for both delegates when they differ.
(define-public (escrow (amount uint) (sender principal) (recipient principal))
  (let ((from (newest-of (balance-series sender)))
        (now stacks-block-height)
        (prior (- now u1)))
    (try! (move amount sender from recipient none now))
    (ok {height: prior, balance: (if (<= (get height from) prior) (get balance from)
                                   (value-at (balance-series sender) prior))})))

(define-private (move (amount uint) (sender principal) (from {count: uint, height: uint, balance: uint})
                      (recipient principal) (memo (optional (buff 34))) (now uint))
  (let ((to (newest-of (balance-series recipient))))
    ;; Check that the sender authorises the transfer
    (asserts! (or (is-eq tx-sender sender) (is-eq contract-caller sender)) ERR_NOT_TOKEN_OWNER)
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that sender and recipient differ
    (asserts! (not (is-eq sender recipient)) ERR_SELF_TRANSFER)
    ;; Check that the sender holds the amount
    (asserts! (>= (get balance from) amount) ERR_INSUFFICIENT_BALANCE)
    (try! (ft-transfer? gt amount sender recipient))
    (write-checkpoint (balance-series sender) from (- (get balance from) amount) now)
    (write-checkpoint (balance-series recipient) to (+ (get balance to) amount) now)
    (move-votes (delegate-of sender) (delegate-of recipient) amount now)
    (print {topic: "gt-transfer", amount: amount, sender: sender, recipient: recipient, memo: memo})
    (ok true)))

;; Moves `amount` votes from delegate `from` to delegate `to`; nothing when they are the same delegate.
(define-private (move-votes (from principal) (to principal) (amount uint) (now uint))
  (if (is-eq from to)
    true
    (begin
      (subtract-votes from amount now)
      (add-votes to amount now))))

(define-private (add-votes (who principal) (amount uint) (now uint))
  (let ((last (newest-of (votes-series who))))
    (set-votes who last (+ (get balance last) amount) now)))

(define-private (subtract-votes (who principal) (amount uint) (now uint))
  (let ((last (newest-of (votes-series who))))
    (set-votes who last (- (get balance last) amount) now)))

(define-private (set-votes (who principal) (last {count: uint, height: uint, balance: uint}) (votes uint)
                           (now uint))
  (begin
    (write-checkpoint (votes-series who) last votes now)
    (print {topic: "delegate-votes-changed", delegate: who, previous: (get balance last), current: votes})
    true))

;; Makes the caller's GT count as votes of `to` (the caller itself to take its votes back), from this block on.
;; Its whole balance moves from the previous delegate's votes to the new one's; GT it receives later follows.
;; Caller: any principal (contract-caller), holding GT or not.
;; Events: delegate-changed, and delegate-votes-changed for both delegates when the balance is not zero.
(define-public (delegate (to principal))
  (let ((delegator contract-caller)
        (from (delegate-of delegator))
        (balance (get balance (newest-of (balance-series delegator)))))
    ;; Check that the delegation changes
    (asserts! (not (is-eq from to)) ERR_SAME_DELEGATE)
    (if (is-eq to delegator)
      (map-delete delegates delegator)
      (map-set delegates delegator to))
    (and (> balance u0) (move-votes from to balance stacks-block-height))
    (print {topic: "delegate-changed", delegator: delegator, from: from, to: to})
    (ok true)))

;; Creates GT.
;; Caller: lvdao-core or an extension (lv-ledger for contributions, proposals for gt-grant, the bootstrap).
;; Events: gt-minted, delegate-votes-changed.
(define-public (mint (amount uint) (recipient principal))
  (let ((to (newest-of (balance-series recipient)))
        (supply (newest-of SUPPLY))
        (now stacks-block-height))
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    (try! (ft-mint? gt amount recipient))
    (write-checkpoint (balance-series recipient) to (+ (get balance to) amount) now)
    (write-checkpoint SUPPLY supply (+ (get balance supply) amount) now)
    (add-votes (delegate-of recipient) amount now)
    (print {topic: "gt-minted", amount: amount, recipient: recipient})
    (ok true)))

;; Destroys GT.
;; Caller: lvdao-core or an extension.
;; Events: gt-burned, delegate-votes-changed.
(define-public (burn (amount uint) (owner principal))
  (let ((from (newest-of (balance-series owner)))
        (supply (newest-of SUPPLY))
        (now stacks-block-height))
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that the owner holds the amount
    (asserts! (>= (get balance from) amount) ERR_INSUFFICIENT_BALANCE)
    (try! (ft-burn? gt amount owner))
    (write-checkpoint (balance-series owner) from (- (get balance from) amount) now)
    (write-checkpoint SUPPLY supply (- (get balance supply) amount) now)
    (subtract-votes (delegate-of owner) amount now)
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
    (ok (value-at (balance-series who) height))))

;; The balance of `who` at the end of the previous Stacks block, and that block's height: what a proposer's
;; threshold is checked against.
(define-read-only (get-prior-balance (who principal))
  (let ((height (- stacks-block-height u1)))
    {height: height, balance: (value-at (balance-series who) height)}))

;; The least of the balances of `who` at the end of Stacks blocks `from` and `to` (both in the past): GT that
;; was not held at both ends of the span counts for nothing. Costs one read when the balance has not moved
;; since `from`.
(define-read-only (get-balance-held (who principal) (from uint) (to uint))
  (least-held (balance-series who) from to))

;; The least of the votes of delegate `who` at the end of Stacks blocks `from` and `to` (both in the past).
;; Quadratic credits read this, so GT borrowed (or delegated) for one block around a proposal gives no votes.
;; Costs one read when the votes have not moved since `from`.
(define-read-only (get-votes-held (who principal) (from uint) (to uint))
  (least-held (votes-series who) from to))

(define-private (least-held (owner {account: (optional principal), votes: bool}) (from uint) (to uint))
  (let ((last (newest-of owner)))
    ;; Check that both heights are in the past
    (asserts! (< (if (> from to) from to) stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (if (and (<= (get height last) from) (<= (get height last) to))
          (get balance last)
          (let ((at-from (value-at owner from)) (at-to (value-at owner to)))
            (if (< at-from at-to) at-from at-to))))))

;; The votes delegate `who` has now: the GT of every holder delegating to it (its own while it has not
;; delegated).
(define-read-only (get-votes (who principal))
  (get balance (newest-of (votes-series who))))

;; The votes of delegate `who` at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-votes-at (who principal) (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (value-at (votes-series who) height))))

;; The delegate `who`'s GT counts for (`who` itself when it has not delegated).
(define-read-only (get-delegate (who principal))
  (delegate-of who))

;; The total supply at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-total-supply-at (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (value-at SUPPLY height))))

(define-read-only (get-checkpoint-count (who principal))
  (get count (newest-of (balance-series who))))

(define-read-only (get-checkpoint (who principal) (index uint))
  (map-get? checkpoints {owner: (balance-series who), index: index}))

(define-private (value-at (owner {account: (optional principal), votes: bool}) (height uint))
  (let ((last (newest-of owner)))
    (if (<= (get height last) height)
      (get balance last)
      (search owner height (get count last)))))

;; Binary search for the newest checkpoint at or below `height`: an upper-bound search over [0, count) that
;; remembers the balance of the last probe at or below the height. count+1 outcomes need exactly
;; floor(log2 count) + 1 probes.
(define-private (search (owner {account: (optional principal), votes: bool}) (height uint) (count uint))
  (get balance
    (fold probe
      (default-to PROBES (slice? PROBES u0 (+ (log2 count) u1)))
      {owner: owner, height: height, lo: u0, hi: count, balance: u0})))

(define-private (probe (step uint) (state {owner: {account: (optional principal), votes: bool}, height: uint, lo: uint,
                                           hi: uint, balance: uint}))
  (if (>= (get lo state) (get hi state))
    state
    (let ((mid (/ (+ (get lo state) (get hi state)) u2))
          (point (default-to {height: u0, balance: u0}
                   (map-get? checkpoints {owner: (get owner state), index: mid}))))
      (if (<= (get height point) (get height state))
        (merge state {lo: (+ mid u1), balance: (get balance point)})
        (merge state {hi: mid})))))
