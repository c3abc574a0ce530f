;; title: gt-token
;; summary: The Governance Token (GT): SIP-010, 6 decimals, with balance checkpoints and delegated votes.
;; description:
;;   Every change of an account's balance or votes writes a checkpoint {height: stacks-block-height, balance,
;;   votes} for it, and every supply change one for the total supply (the ERC20Votes idea), so both can be read
;;   at a past height without `at-block` (disabled from epoch 3.4). One checkpoint per account per block: a
;;   second change in the same block overwrites it. The newest checkpoint is also kept apart, so the common case
;;   (no change since the asked height) costs one read; otherwise a binary search makes at most log2(count)+1 probes.
;;   Delegation: each holder's GT counts as votes of one delegate, the holder itself until it calls `delegate`
;;   (so a holder who never delegated votes with its own balance). An account's checkpoints carry its votes as a
;;   delegate beside its balance, so a transfer between holders who count for themselves writes no more than
;;   the two balance checkpoints; a holder who delegated to another adds that delegate's checkpoint. Mints,
;;   burns, transfers and escrows move votes from the sender's delegate to the recipient's. Every GT counts for
;;   exactly one delegate, so the delegates' votes sum to the total supply (docs/delegation.md).
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

;; An account's value at the end of a block: its balance, and its votes as a delegate (the supply's
;; checkpoints, under the owner none, keep votes at zero).
;; {owner: (some account) or none for the total supply, index} -> {height, balance, votes}
(define-map checkpoints {owner: (optional principal), index: uint} {height: uint, balance: uint, votes: uint})

;; owner -> the newest checkpoint, the number of checkpoints, and the delegate the account's GT counts for
;; (none while it counts for itself)
(define-map newest (optional principal) {count: uint, height: uint, balance: uint, votes: uint,
                                         delegate: (optional principal)})

(define-data-var token-uri (optional (string-utf8 256)) none)

;; Binary-search probes: enough for 2^32 checkpoints.
(define-constant PROBES (list u0 u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15
                              u16 u17 u18 u19 u20 u21 u22 u23 u24 u25 u26 u27 u28 u29 u30 u31 u32))

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (newest-of (owner (optional principal)))
  (default-to {count: u0, height: u0, balance: u0, votes: u0, delegate: none} (map-get? newest owner)))

;; Records `balance` and `votes` as the owner's values at the end of block `now` (this block; read once by the
;; caller, as each read of stacks-block-height costs a read), keeping the delegate of `last`.
(define-private (write-checkpoint (owner (optional principal))
                                  (last {count: uint, height: uint, balance: uint, votes: uint,
                                         delegate: (optional principal)})
                                  (balance uint) (votes uint) (now uint))
  (let ((same-block (and (> (get count last) u0) (is-eq (get height last) now)))
        (index (if same-block (- (get count last) u1) (get count last)))
        (count (+ index u1)))
    (map-set checkpoints {owner: owner, index: index} {height: now, balance: balance, votes: votes})
    (map-set newest owner (merge last {count: count, height: now, balance: balance, votes: votes}))))

;; Writes a holder's new balance; its votes move with it while it counts for itself.
(define-private (write-holder (who principal) (last {count: uint, height: uint, balance: uint, votes: uint,
                                                     delegate: (optional principal)})
                              (balance uint) (now uint))
  (let ((votes (if (is-some (get delegate last))
                 (get votes last)
                 (- (+ (get votes last) balance) (get balance last)))))
    (write-checkpoint (some who) last balance votes now)
    (and (not (is-eq votes (get votes last))) (votes-changed who (get votes last) votes))))

(define-private (votes-changed (who principal) (previous uint) (current uint))
  (begin
    (print {topic: "delegate-votes-changed", delegate: who, previous: previous, current: current})
    true))

;; Adds (or takes) `amount` votes to (from) delegate `who`, which is not the holder whose GT moved.
(define-private (shift-votes (who principal) (amount uint) (add bool) (now uint))
  (let ((last (newest-of (some who)))
        (votes (if add (+ (get votes last) amount) (- (get votes last) amount))))
    (write-checkpoint (some who) last (get balance last) votes now)
    (votes-changed who (get votes last) votes)))

;; After the holders' own checkpoints: moves `amount` votes out of the sender's delegate and into the
;; recipient's where those are other accounts (a holder counting for itself moved its votes with its balance).
;; Nothing moves when both delegate to the same other account.
(define-private (move-delegated (from-delegate (optional principal)) (to-delegate (optional principal))
                                (amount uint) (now uint))
  (if (and (is-some from-delegate) (is-eq from-delegate to-delegate))
    true
    (begin
      (match from-delegate who (shift-votes who amount false now) true)
      (match to-delegate who (shift-votes who amount true now) true))))

;; Moves GT between holders.
;; Caller: the sender, as tx-sender or contract-caller (SIP-010).
;; Events: gt-transfer, and delegate-votes-changed for each delegate whose votes move.
(define-public (transfer (amount uint) (sender principal) (recipient principal) (memo (optional (buff 34))))
  (let ((from (newest-of (some sender))))
    (try! (move amount sender from recipient memo stacks-block-height))
    (ok true)))

;; Moves GT into an escrow, as transfer does, and answers what the sender held at the end of the previous
;; Stacks block, with that block's height: proposals escrows a proposer's bond and checks the proposal threshold
;; against the balance before the proposal in one call.
;; Caller: the sender, as tx-sender or contract-caller.
;; Events: gt-transfer, and delegate-votes-changed for each delegate whose votes move.
(define-public (escrow (amount uint) (sender principal) (recipient principal))
  (let ((from (newest-of (some sender)))
        (now stacks-block-height)
        (prior (- now u1)))
    (try! (move amount sender from recipient none now))
    (ok {height: prior, balance: (if (<= (get height from) prior) (get balance from)
                                   (get balance (point-at (some sender) prior)))})))

(define-private (move (amount uint) (sender principal)
                      (from {count: uint, height: uint, balance: uint, votes: uint, delegate: (optional principal)})
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
    (write-holder sender from (- (get balance from) amount) now)
    (write-holder recipient to (+ (get balance to) amount) now)
    (move-delegated (get delegate from) (get delegate to) amount now)
    (print {topic: "gt-transfer", amount: amount, sender: sender, recipient: recipient, memo: memo})
    (ok true)))

;; Makes the caller's GT count as votes of `to` (the caller itself to take its votes back), from this block on.
;; Its whole balance moves from the previous delegate's votes to the new one's; GT it receives later follows.
;; Caller: any principal (contract-caller), holding GT or not.
;; Events: delegate-changed, and delegate-votes-changed for each delegate whose votes move.
(define-public (delegate (to principal))
  (let ((holder contract-caller)
        (last (newest-of (some holder)))
        (from (default-to holder (get delegate last)))
        (balance (get balance last))
        (now stacks-block-height)
        ;; the holder's own votes lose its balance if it counted for itself, and gain it if it will
        (votes (+ (- (get votes last) (if (is-eq from holder) balance u0)) (if (is-eq to holder) balance u0))))
    ;; Check that the delegation changes
    (asserts! (not (is-eq from to)) ERR_SAME_DELEGATE)
    (write-checkpoint (some holder) (merge last {delegate: (if (is-eq to holder) none (some to))}) balance votes now)
    (and (not (is-eq votes (get votes last))) (votes-changed holder (get votes last) votes))
    (and (> balance u0) (not (is-eq from holder)) (shift-votes from balance false now))
    (and (> balance u0) (not (is-eq to holder)) (shift-votes to balance true now))
    (print {topic: "delegate-changed", delegator: holder, from: from, to: to})
    (ok true)))

;; Creates GT.
;; Caller: lvdao-core or an extension (lv-ledger for contributions, proposals for gt-grant, the bootstrap).
;; Events: gt-minted, delegate-votes-changed.
(define-public (mint (amount uint) (recipient principal))
  (let ((to (newest-of (some recipient)))
        (supply (newest-of none))
        (now stacks-block-height))
    (try! (is-dao-or-extension))
    ;; Check that the amount is positive
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    (try! (ft-mint? gt amount recipient))
    (write-holder recipient to (+ (get balance to) amount) now)
    (write-checkpoint none supply (+ (get balance supply) amount) u0 now)
    (move-delegated none (get delegate to) amount now)
    (print {topic: "gt-minted", amount: amount, recipient: recipient})
    (ok true)))

;; Destroys GT.
;; Caller: lvdao-core or an extension.
;; Events: gt-burned, delegate-votes-changed.
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
    (write-holder owner from (- (get balance from) amount) now)
    (write-checkpoint none supply (- (get balance supply) amount) u0 now)
    (move-delegated (get delegate from) none amount now)
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
    (ok (get balance (point-at (some who) height)))))

;; The balance of `who` at the end of the previous Stacks block, and that block's height: what a proposer's
;; threshold is checked against.
(define-read-only (get-prior-balance (who principal))
  (let ((height (- stacks-block-height u1)))
    {height: height, balance: (get balance (point-at (some who) height))}))

;; The least of the balances of `who` at the end of Stacks blocks `from` and `to` (both in the past): GT that
;; was not held at both ends of the span counts for nothing. Costs one read when the balance has not moved
;; since `from`.
(define-read-only (get-balance-held (who principal) (from uint) (to uint))
  (ok (get balance (try! (least-held who from to)))))

;; The least of the votes of delegate `who` at the end of Stacks blocks `from` and `to` (both in the past).
;; Quadratic credits read this, so GT borrowed (or delegated) for one block around a proposal gives no votes.
;; Costs one read when the account has not changed since `from`.
(define-read-only (get-votes-held (who principal) (from uint) (to uint))
  (ok (get votes (try! (least-held who from to)))))

;; The least balance and the least votes of `who` at the ends of the span.
(define-private (least-held (who principal) (from uint) (to uint))
  (let ((last (newest-of (some who))))
    ;; Check that both heights are in the past
    (asserts! (< (if (> from to) from to) stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (if (and (<= (get height last) from) (<= (get height last) to))
          {balance: (get balance last), votes: (get votes last)}
          (let ((at-from (point-at (some who) from)) (at-to (point-at (some who) to)))
            {balance: (min-of (get balance at-from) (get balance at-to)),
             votes: (min-of (get votes at-from) (get votes at-to))})))))

(define-private (min-of (a uint) (b uint)) (if (< a b) a b))

;; The votes delegate `who` has now: the GT of every holder delegating to it, and its own while it has not
;; delegated.
(define-read-only (get-votes (who principal))
  (get votes (newest-of (some who))))

;; The votes of delegate `who` at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-votes-at (who principal) (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (get votes (point-at (some who) height)))))

;; The delegate `who`'s GT counts for (`who` itself when it has not delegated).
(define-read-only (get-delegate (who principal))
  (default-to who (get delegate (newest-of (some who)))))

;; The total supply at the end of Stacks block `height` (which must be in the past).
(define-read-only (get-total-supply-at (height uint))
  (begin
    ;; Check that the height is in the past
    (asserts! (< height stacks-block-height) ERR_FUTURE_HEIGHT)
    (ok (get balance (point-at none height)))))

(define-read-only (get-checkpoint-count (who principal))
  (get count (newest-of (some who))))

(define-read-only (get-checkpoint (who principal) (index uint))
  (map-get? checkpoints {owner: (some who), index: index}))

;; The owner's balance and votes at the end of block `height`.
(define-private (point-at (owner (optional principal)) (height uint))
  (let ((last (newest-of owner)))
    (if (<= (get height last) height)
      {balance: (get balance last), votes: (get votes last)}
      (search owner height (get count last)))))

;; Binary search for the newest checkpoint at or below `height`: an upper-bound search over [0, count) that
;; remembers the values of the last probe at or below the height. count+1 outcomes need exactly
;; floor(log2 count) + 1 probes.
(define-private (search (owner (optional principal)) (height uint) (count uint))
  (get point
    (fold probe
      (default-to PROBES (slice? PROBES u0 (+ (log2 count) u1)))
      {owner: owner, height: height, lo: u0, hi: count, point: {balance: u0, votes: u0}})))

(define-private (probe (step uint) (state {owner: (optional principal), height: uint, lo: uint, hi: uint,
                                           point: {balance: uint, votes: uint}}))
  (if (>= (get lo state) (get hi state))
    state
    (let ((mid (/ (+ (get lo state) (get hi state)) u2))
          (found (default-to {height: u0, balance: u0, votes: u0}
                   (map-get? checkpoints {owner: (get owner state), index: mid}))))
      (if (<= (get height found) (get height state))
        (merge state {lo: (+ mid u1), point: {balance: (get balance found), votes: (get votes found)}})
        (merge state {hi: mid})))))
