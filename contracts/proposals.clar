;; title: proposals
;; summary: Typed proposals: propose (validated payload, threshold, bond, anti-spam), cancel, conclude, bonds,
;;   and the derived status.
;; description:
;;   A proposal carries one typed action (docs/design.md), validated by action-validator before it gets an id.
;;   Its voting config is copied from dao-settings at creation, so later setting changes never move a running
;;   vote (conviction-voting freezes its own parameters the same way). Quadratic proposals are counted by
;;   quadratic-voting, conviction proposals by conviction-voting. Quadratic credits are the GT held both at
;;   the block before propose and at the snapshot `voting-delay` blocks later, so the proposer cannot choose
;;   the block power is measured at. `conclude` records the outcome once; a passed off-chain action is queued
;;   in execution-queue, and a passed chain action is applied here by a second `conclude` at or after its eta
;;   (or by the first when the timelock is 0), once, unless guardians vetoed it. An action that fails to apply
;;   is recorded as failed with its error code (`get-apply-failure`), so the proposal still ends. A
;;   contract-proposal runs only if the contract's code hash is still the one voted on. Status is derived from
;;   these stored facts (`get-proposal-status`); there is no mutable status field.
;;   Bonds: escrowed at propose; returned at an early cancel or when a defeated proposal concludes; for a
;;   passed proposal `release-bond` returns it once the veto window has closed (whether or not its action then
;;   applied), or sends it to the treasury if guardians vetoed the proposal. A late cancel (after voting
;;   started) sends it to the treasury too.
;;   Counting is the counting contracts' (`get-result`, the counting-trait), and applying a chain action is
;;   chain-actions': proposals only sequences.
;; dependencies: lvdao-core (execute), dao-settings, gt-token, action-validator, quadratic-voting,
;;   conviction-voting, execution-queue, guardian, chain-actions.

;; Errors (u1300-u1399)
;; No proposal has this id.
(define-constant ERR_UNKNOWN_PROPOSAL (err u1301))
;; The proposer's GT at the previous Stacks block is below the proposal threshold.
(define-constant ERR_BELOW_THRESHOLD (err u1302))
;; The proposer already has `max-active-per-proposer` open proposals.
(define-constant ERR_TOO_MANY_ACTIVE (err u1303))
;; The title is empty.
(define-constant ERR_EMPTY_TITLE (err u1304))
;; Only the proposer may cancel.
(define-constant ERR_NOT_PROPOSER (err u1306))
;; The proposal is concluded or cancelled already.
(define-constant ERR_CLOSED (err u1307))
;; The voting period has not ended.
(define-constant ERR_VOTING_NOT_ENDED (err u1308))
;; Conviction has not reached the threshold (and the voting window is still open).
(define-constant ERR_THRESHOLD_NOT_REACHED (err u1309))
;; A conviction proposal cannot conclude before its window starts.
(define-constant ERR_NOT_STARTED (err u1310))
;; The proposal is concluded and has nothing left to apply.
(define-constant ERR_ALREADY_CONCLUDED (err u1311))
;; The passed chain action's eta has not been reached.
(define-constant ERR_NOT_READY (err u1312))
;; The passed chain action has expired.
(define-constant ERR_EXPIRED (err u1313))
;; Guardians vetoed the proposal.
(define-constant ERR_VETOED (err u1314))
;; The bond is not releasable (not passed, veto window still open, or already released).
(define-constant ERR_BOND_NOT_RELEASABLE (err u1315))
;; A contract-proposal is applied with execute-proposal, which receives the contract.
(define-constant ERR_USE_EXECUTE_PROPOSAL (err u1316))
;; The contract given to execute-proposal is not the one the proposal names (by name and code hash), or the
;; proposal is not a contract-proposal.
(define-constant ERR_WRONG_CONTRACT (err u1317))
;; The body is empty: a proposal says what it is for, and no hash of the empty string stands for a missing text.
(define-constant ERR_EMPTY_BODY (err u1318))
;; The discussion link is not an http:// or https:// URL with a host part and without spaces.
(define-constant ERR_BAD_LINK (err u1319))
(use-trait proposal-trait .proposal-trait.proposal-trait)

(define-constant MECHANISM_QUADRATIC u1)
(define-constant MECHANISM_CONVICTION u2)

;; `setting` keys that govern the guardians: a proposal changing one cannot be vetoed by them.
(define-constant GUARDIAN_KEYS (list "guardian-sunset" "veto-quorum" "veto-window" "max-pause" "pause-cooldown"
                                     "pause-budget" "pause-period" "paused-until"))

(define-data-var last-id uint u0)

;; id -> the proposal, with the voting config in force when it was made (veto-window in burn blocks)
(define-map proposals uint {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint})

;; id -> the outcome, written once by the first conclude
(define-map outcomes uint {passed: bool, votes-for: uint, votes-against: uint, concluded-at: uint, eta: uint,
                           expires: uint, veto-closes: uint})

;; id -> {burn height of the cancel, whether voting had started}
(define-map cancellations uint {at: uint, late: bool})

;; id -> burn height at which a passed chain action was applied (or its application failed)
(define-map applied uint uint)

;; id -> the error a passed chain action failed to apply with, and when
(define-map apply-failures uint {at: uint, code: uint})

;; id -> how the bond was settled
(define-map bonds-settled uint {amount: uint, returned: bool, at: uint})

;; proposer -> open proposals (neither concluded nor cancelled)
(define-map active-count principal uint)

(define-private (open-count (who principal))
  (default-to u0 (map-get? active-count who)))

(define-private (close-one (who principal))
  (map-set active-count who (- (open-count who) u1)))

;; Moves `amount` GT held in escrow here to `recipient`.
(define-private (pay-out (amount uint) (recipient principal))
  (if (is-eq amount u0)
    (ok true)
    (as-contract? ((with-ft .gt-token "gt" amount))
      (try! (contract-call? .gt-token transfer amount tx-sender recipient none)))))

(define-private (settle-bond
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint}) (returned bool))
  (let ((amount (get bond proposal))
        (recipient (if returned (get proposer proposal) .treasury)))
    ;; Check that the bond is settled once
    (asserts! (map-insert bonds-settled id {amount: amount, returned: returned, at: burn-block-height})
              ERR_BOND_NOT_RELEASABLE)
    (try! (pay-out amount recipient))
    (print {topic: "bond-settled", id: id, amount: amount, returned: returned, recipient: recipient})
    (ok true)))

;; Escrows the bond and answers the proposer's GT at the end of the previous block, with that block's height.
(define-private (escrow-bond (proposer principal) (bond uint))
  (if (> bond u0)
    (contract-call? .gt-token escrow bond proposer current-contract)
    (ok (contract-call? .gt-token get-prior-balance proposer))))

;; Why escrowing the bond failed: ERR_BELOW_THRESHOLD's code when the proposer is below the threshold, else the
;; token's own refusal `code` (a bond above the balance).
(define-private (refusal (proposer principal) (threshold uint) (code uint))
  (if (< (get balance (contract-call? .gt-token get-prior-balance proposer)) threshold)
    (unwrap-err-panic ERR_BELOW_THRESHOLD)
    code))

;; The details hash of a proposal body: the sha256 of the body's consensus serialization (0x0e, the body's
;; UTF-8 length as 4 big-endian bytes, then its UTF-8 bytes), so anyone holding the text can recompute it.
(define-read-only (body-hash (body (string-utf8 4096)))
  (sha256 (unwrap-panic (to-consensus-buff? body))))

;; An http:// or https:// URL with at least one character after the scheme and no space.
(define-private (valid-link (url (string-ascii 256)))
  (and (or (and (> (len url) u8) (is-eq (slice? url u0 u8) (some "https://")))
           (and (> (len url) u7) (is-eq (slice? url u0 u7) (some "http://"))))
       (is-none (index-of? url " "))))

;; Creates a proposal carrying one typed action.
;; Caller: a GT holder (contract-caller) with at least `proposal-threshold` GT at the previous Stacks block,
;;   who pays `proposal-bond` GT into escrow.
;; Event: proposal-created, which carries the body (Markdown, up to 4096 characters) and the optional
;;   discussion link; the map keeps only the body's hash (`body-hash`). snapshot-height is the Stacks block
;;   quadratic credits are measured at (with the block before propose): voting-delay blocks ahead.
(define-public (propose (kind (string-ascii 24)) (payload (buff 2048)) (title (string-utf8 100))
                        (body (string-utf8 4096)) (link (optional (string-ascii 256))))
  (let ((proposer contract-caller)
        (id (+ (var-get last-id) u1))
        (found (contract-call? .dao-settings get-propose-config kind))
        (action (try! (contract-call? .action-validator check-action-within kind payload
                        (match found
                          c {min-channel-sats: (get min-channel-sats c), max-channel-sats: (get max-channel-sats c),
                             max-fee-ppm: (get max-fee-ppm c), max-loop-sats: (get max-loop-sats c)}
                          {min-channel-sats: u0, max-channel-sats: u0, max-fee-ppm: u0, max-loop-sats: u0}))))
        ;; every kind action-validator accepts has a config
        (config (unwrap-panic found))
        (now burn-block-height)
        (open (open-count proposer))
        (bond (get proposal-bond config))
        (start (+ now (get voting-delay config)))
        (end (+ start (get voting-period config)))
        (details-hash (body-hash body)))
    ;; Check that the proposal has a title
    (asserts! (> (len title) u0) ERR_EMPTY_TITLE)
    ;; Check that the proposal has a body
    (asserts! (> (len body) u0) ERR_EMPTY_BODY)
    ;; Check that a discussion link is an http(s) URL
    (asserts! (match link url (valid-link url) true) ERR_BAD_LINK)
    ;; Check that the proposer stays within the open-proposal limit
    (asserts! (< open (get max-active-per-proposer config)) ERR_TOO_MANY_ACTIVE)
    ;; A proposer who cannot pay the bond hears first whether it is below the threshold
    (let ((prior (try! (match (escrow-bond proposer bond)
                         held (ok held)
                         code (err (refusal proposer (get proposal-threshold config) code)))))
          (held-from (get height prior))
          (snapshot-height (+ held-from (get voting-delay config))))
      ;; Check that the proposer held the proposal threshold at the block before
      (asserts! (>= (get balance prior) (get proposal-threshold config)) ERR_BELOW_THRESHOLD)
      (if (is-eq (get mechanism config) MECHANISM_QUADRATIC)
        (try! (contract-call? .quadratic-voting register-proposal id held-from snapshot-height start end
                              (is-eq (get members-only config) u1) (get quorum-votes config) (get pass-bps config)))
        (try! (contract-call? .conviction-voting register-proposal id (get requested action) (get pool action)
                              (get beneficiary action) start end)))
      (map-set proposals id {kind: kind, payload: payload, proposer: proposer, title: title,
                             details-hash: details-hash, snapshot-height: snapshot-height, start: start, end: end,
                             mechanism: (get mechanism config), offchain: (get offchain action), created-at: now,
                             bond: bond, quorum-votes: (get quorum-votes config), pass-bps: (get pass-bps config),
                             timelock: (get timelock config), expiry: (get expiry config),
                             veto-window: (get veto-window config)})
      (map-set active-count proposer (+ open u1))
      (var-set last-id id)
      (print {topic: "proposal-created", id: id, kind: kind, proposer: proposer, payload: payload, title: title,
              body: body, link: link, details-hash: details-hash, start: start, end: end,
              snapshot-height: snapshot-height, mechanism: (get mechanism config), bond: bond})
      (ok id))))

;; Withdraws a proposal. Before voting starts the bond is returned; after, it goes to the treasury.
;; Caller: the proposer (contract-caller), before the proposal concludes.
;; Event: proposal-cancelled.
(define-public (cancel (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (late (>= burn-block-height (get start proposal))))
    ;; Check that the proposer cancels
    (asserts! (is-eq contract-caller (get proposer proposal)) ERR_NOT_PROPOSER)
    ;; Check that the proposal is still open
    (asserts! (and (is-none (map-get? outcomes id)) (is-none (map-get? cancellations id))) ERR_CLOSED)
    (map-set cancellations id {at: burn-block-height, late: late})
    (close-one (get proposer proposal))
    (and (is-eq (get mechanism proposal) MECHANISM_CONVICTION)
         (try! (contract-call? .conviction-voting close-proposal id)))
    (try! (settle-bond id proposal (not late)))
    (print {topic: "proposal-cancelled", id: id, late: late})
    (ok true)))

;; Concludes a proposal, or applies a passed chain action once its eta is reached.
;; Quadratic: after the voting period. Conviction: as soon as conviction-voting's get-result passes (defeated
;; after the window). Returns (ok false) when a chain action was applied and failed; the failure is recorded.
;; Caller: anyone.
;; Events: proposal-concluded, proposal-queued (passed), proposal-executed (chain action applied),
;;   proposal-apply-failed (chain action failed to apply).
(define-public (conclude (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (now burn-block-height))
    ;; Check that the proposal was not cancelled
    (asserts! (is-none (map-get? cancellations id)) ERR_CLOSED)
    (match (map-get? outcomes id)
      outcome (apply-chain-action id proposal outcome now)
      (record-outcome id proposal now))))

(define-private (record-outcome
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint}) (now uint))
  (let ((count (try! (count-votes id proposal now)))
        (passed (get passed count))
        (eta (+ now (get timelock proposal)))
        (expires (+ eta (get expiry proposal)))
        (veto-closes (let ((closes (+ now (get veto-window proposal)))) (if (< closes eta) closes eta)))
        (outcome {passed: passed, votes-for: (get votes-for count), votes-against: (get votes-against count),
                  concluded-at: now, eta: eta, expires: expires, veto-closes: veto-closes}))
    (map-set outcomes id outcome)
    (close-one (get proposer proposal))
    (and (is-eq (get mechanism proposal) MECHANISM_CONVICTION)
         (try! (contract-call? .conviction-voting close-proposal id)))
    (print {topic: "proposal-concluded", id: id, passed: passed, votes-for: (get votes-for count),
            votes-against: (get votes-against count)})
    (if passed
      (let ((may-veto (vetoable (get kind proposal) (get payload proposal))))
        (if (get offchain proposal)
          (try! (contract-call? .execution-queue queue-action id (get kind proposal) (get payload proposal) eta expires
                                veto-closes may-veto))
          (try! (contract-call? .guardian open-veto-window id veto-closes may-veto)))
        (print {topic: "proposal-queued", id: id, eta: eta, expires: expires})
        (if (and (not (get offchain proposal)) (is-eq (get timelock proposal) u0)
                 (not (is-eq (get kind proposal) "contract-proposal")))
          (apply-chain-action id proposal outcome now)
          (ok true)))
      (settle-bond id proposal true))))

;; The count of a proposal from its counting contract (the counting-trait's get-result).
(define-private (result-of (id uint) (mechanism uint))
  (if (is-eq mechanism MECHANISM_QUADRATIC)
    (contract-call? .quadratic-voting get-result id)
    (contract-call? .conviction-voting get-result id)))

;; The count at conclusion: quadratic after the period; conviction as soon as it passes, or defeated after the
;; window. For conviction, votes-for is the conviction and votes-against the threshold.
(define-private (count-votes
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint}) (now uint))
  (let ((result (try! (result-of id (get mechanism proposal)))))
    (if (is-eq (get mechanism proposal) MECHANISM_QUADRATIC)
      (begin
        ;; Check that the voting period has ended
        (asserts! (>= now (get end proposal)) ERR_VOTING_NOT_ENDED)
        (ok {passed: (get passes result), votes-for: (get votes-for result),
             votes-against: (get votes-against result)}))
      (let ((reached (get passes result))
            (open (< now (get end proposal))))
        ;; Check that the conviction window has started
        (asserts! (>= now (get start proposal)) ERR_NOT_STARTED)
        ;; Check that an open window concludes only once the proposal passes
        (asserts! (or reached (not open)) ERR_THRESHOLD_NOT_REACHED)
        (ok {passed: (and reached open), votes-for: (get votes-for result),
             votes-against: (get votes-against result)})))))

;; False for a proposal that governs the guardians themselves: a guardian-set, or a setting of a guardian key.
(define-private (vetoable (kind (string-ascii 24)) (payload (buff 2048)))
  (not (or (is-eq kind "guardian-set")
           (and (is-eq kind "setting")
                (match (from-consensus-buff? {key: (string-ascii 32), value: uint} payload)
                  action (match (as-max-len? (get key action) u15)
                           key (is-some (index-of? GUARDIAN_KEYS key))
                           false)
                  false)))))

;; The second conclude of a passed chain action: applies it once, at or after eta and before expiry, through
;; chain-actions. An action that fails to apply (for example a setting the settings of now refuse) is recorded
;; as failed with its error code, and the conclude succeeds, so the proposal still ends.
(define-private (apply-chain-action
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint})
    (outcome {passed: bool, votes-for: uint, votes-against: uint, concluded-at: uint, eta: uint, expires: uint,
              veto-closes: uint})
    (now uint))
  (begin
    (try! (check-applicable id proposal outcome now))
    ;; Check that a contract-proposal goes through execute-proposal, which receives its contract
    (asserts! (not (is-eq (get kind proposal) "contract-proposal")) ERR_USE_EXECUTE_PROPOSAL)
    (map-set applied id now)
    (record-application id (get kind proposal) now
      (contract-call? .chain-actions apply-action (get kind proposal) (get payload proposal)))))

;; Prints the result of applying a passed action, and records a failure with its code.
(define-private (record-application (id uint) (kind (string-ascii 24)) (now uint) (result (response bool uint)))
  (match result
    done (begin
           (print {topic: "proposal-executed", id: id, kind: kind})
           (ok true))
    code (begin
           (map-set apply-failures id {at: now, code: code})
           (print {topic: "proposal-apply-failed", id: id, kind: kind, code: code})
           (ok false))))

;; Checks that a passed chain action can be applied now.
(define-private (check-applicable
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint})
    (outcome {passed: bool, votes-for: uint, votes-against: uint, concluded-at: uint, eta: uint, expires: uint,
              veto-closes: uint})
    (now uint))
  (begin
    ;; Check that there is a passed chain action left to apply (applied and failed ones are done)
    (asserts! (and (get passed outcome) (not (get offchain proposal)) (is-none (map-get? applied id)))
              ERR_ALREADY_CONCLUDED)
    ;; Check that the timelock has run
    (asserts! (>= now (get eta outcome)) ERR_NOT_READY)
    ;; Check that the action has not expired
    (asserts! (< now (get expires outcome)) ERR_EXPIRED)
    ;; Check that guardians did not veto it
    (asserts! (not (contract-call? .guardian is-vetoed id)) ERR_VETOED)
    (ok true)))

;; Runs a passed contract-proposal: lvdao-core executes the named contract as the DAO, once, at or after eta
;; and before expiry, unless guardians vetoed it, and only while the contract's code hash is the one voted on.
;; This is how the DAO enables new extensions or upgrades. A contract whose execute fails is recorded as
;; failed, with its error code, and execute-proposal returns (ok false).
;; Caller: anyone, passing the contract the proposal names.
;; Events: proposal-executed or proposal-apply-failed, dao-executed (from lvdao-core), and whatever the
;;   contract prints.
(define-public (execute-proposal (id uint) (proposal <proposal-trait>))
  (let ((stored (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (outcome (unwrap! (map-get? outcomes id) ERR_NOT_READY))
        (action (unwrap! (from-consensus-buff? {proposal: principal, code-hash: (buff 32)} (get payload stored))
                         ERR_WRONG_CONTRACT)))
    ;; Check that this is a contract-proposal naming this contract
    (asserts! (and (is-eq (get kind stored) "contract-proposal") (is-eq (get proposal action) (contract-of proposal)))
              ERR_WRONG_CONTRACT)
    ;; Check that the code is the code voted on (deployed code cannot change, so this holds by construction
    ;; since propose checked it; it is checked again so that execution never rests on that alone)
    (asserts! (is-eq (contract-hash? (contract-of proposal)) (ok (get code-hash action))) ERR_WRONG_CONTRACT)
    (try! (check-applicable id stored outcome burn-block-height))
    (map-set applied id burn-block-height)
    (record-application id (get kind stored) burn-block-height
                        (contract-call? .lvdao-core execute proposal tx-sender))))

;; Returns or forfeits the bond of a passed proposal once its veto window has closed.
;; Caller: anyone.
;; Event: bond-settled.
(define-public (release-bond (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (outcome (unwrap! (map-get? outcomes id) ERR_BOND_NOT_RELEASABLE)))
    ;; Check that the proposal passed and its veto window has closed
    (asserts! (and (get passed outcome) (>= burn-block-height (get veto-closes outcome))) ERR_BOND_NOT_RELEASABLE)
    (settle-bond id proposal (not (contract-call? .guardian is-vetoed id)))))

;; ---------------------------------------------------------------------------------------------------------
;; Reads

(define-read-only (get-proposal (id uint))
  (map-get? proposals id))

(define-read-only (get-outcome (id uint))
  (map-get? outcomes id))

(define-read-only (get-last-id)
  (var-get last-id))

(define-read-only (get-open-count (who principal))
  (open-count who))

(define-read-only (get-bond-settlement (id uint))
  (map-get? bonds-settled id))

;; The error a passed chain action (or contract-proposal) failed to apply with, and the burn height.
(define-read-only (get-apply-failure (id uint))
  (map-get? apply-failures id))

;; pending active defeated succeeded queued executing executed failed expired cancelled vetoed
(define-read-only (get-proposal-status (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (now burn-block-height))
    (ok (if (is-some (map-get? cancellations id))
      "cancelled"
      (match (map-get? outcomes id)
        outcome (concluded-status id proposal outcome now)
        (if (< now (get start proposal))
          "pending"
          (open-status proposal (match (result-of id (get mechanism proposal)) result (get passes result) code false)
                       now)))))))

;; The status of a proposal neither cancelled nor concluded whose window has started, given whether its count
;; passes now.
(define-private (open-status (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint}) (passes bool) (now uint))
  (if (is-eq (get mechanism proposal) MECHANISM_QUADRATIC)
    (if (< now (get end proposal)) "active" (if passes "succeeded" "defeated"))
    (if (>= now (get end proposal)) "defeated" (if passes "succeeded" "active"))))

(define-constant PAGE_OFFSETS (list u0 u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19))

;; Up to 20 proposals, ids `first` to `first + 19` (those that exist), each with its stored tuple, its derived
;; status (as get-proposal-status), its outcome once concluded, and its count: for a concluded proposal the
;; counts recorded at conclusion, else the counting contract's get-result now (quadratic: votes for and
;; against; conviction: the conviction and the threshold). One read for a page of the proposals list.
;; Caller: anyone (read-only).
(define-read-only (get-proposals-page (first uint))
  (get items (fold page-entry PAGE_OFFSETS {first: first, last: (var-get last-id), now: burn-block-height,
                                            items: (list)})))

(define-private (page-entry
    (offset uint)
    (page {first: uint, last: uint, now: uint,
           items: (list 20 {id: uint,
                            proposal: {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                                       title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                                       start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                                       bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint,
                                       expiry: uint, veto-window: uint},
                            status: (string-ascii 12),
                            outcome: (optional {passed: bool, votes-for: uint, votes-against: uint,
                                                concluded-at: uint, eta: uint, expires: uint, veto-closes: uint}),
                            votes-for: uint, votes-against: uint})}))
  (let ((id (+ (get first page) offset)))
    (match (if (and (> id u0) (<= id (get last page))) (map-get? proposals id) none)
      proposal (merge page {items: (unwrap-panic (as-max-len? (append (get items page)
                                                                (summary id proposal (get now page))) u20))})
      page)))

(define-private (summary
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint}) (now uint))
  (let ((outcome (map-get? outcomes id))
        (cancelled (is-some (map-get? cancellations id)))
        (count (match outcome
                 o {passes: (get passed o), votes-for: (get votes-for o), votes-against: (get votes-against o)}
                 (match (result-of id (get mechanism proposal))
                   result result
                   code {passes: false, votes-for: u0, votes-against: u0}))))
    {id: id, proposal: proposal,
     status: (unwrap-panic (as-max-len?
               (if cancelled
                 "cancelled"
                 (match outcome
                   o (concluded-status id proposal o now)
                   (if (< now (get start proposal)) "pending" (open-status proposal (get passes count) now))))
               u12)),
     outcome: outcome, votes-for: (get votes-for count), votes-against: (get votes-against count)}))

(define-private (concluded-status
    (id uint)
    (proposal {kind: (string-ascii 24), payload: (buff 2048), proposer: principal,
                            title: (string-utf8 100), details-hash: (buff 32), snapshot-height: uint,
                            start: uint, end: uint, mechanism: uint, offchain: bool, created-at: uint,
                            bond: uint, quorum-votes: uint, pass-bps: uint, timelock: uint, expiry: uint,
                            veto-window: uint})
                                  (outcome {passed: bool, votes-for: uint, votes-against: uint, concluded-at: uint,
                                            eta: uint, expires: uint, veto-closes: uint})
                                  (now uint))
  (if (not (get passed outcome))
    "defeated"
    (if (contract-call? .guardian is-vetoed id)
      "vetoed"
      (if (get offchain proposal)
        (match (contract-call? .execution-queue get-action id)
          action (let ((status (get status action)))
                   (if (is-eq status "claimed") "executing" (unwrap-panic (as-max-len? status u12))))
          "queued")
        (if (is-some (map-get? apply-failures id))
          "failed"
          (if (is-some (map-get? applied id))
            "executed"
            (if (>= now (get expires outcome)) "expired" "queued")))))))
