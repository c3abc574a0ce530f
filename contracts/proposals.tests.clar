;; Rendezvous properties and invariants for proposals (appended to the contract by `rv`).
;; scripts/fuzz.ts constructs the DAO with the fuzz bootstrap of scripts/fuzz-fixtures.ts: the real bootstrap
;; (wallet_1..wallet_5 hold GT, wallet_6 relays), then a profile of short windows (votes run 4 burn blocks,
;; timelocks 0 to 2, expiry 8, veto window 2, conviction decay 0.9) and a quorum of 4 votes, and three agent
;; contracts with GT: agent 1 a relay, agents 2 and 3 guardians. `fuzz-propose` makes a valid proposal of any
;; kind for the caller; the other fuzz- wrappers vote, stake, move GT, veto, pause, claim and report through
;; the agents, and conclude, execute, cancel and release bonds, aimed at the proposals each step applies to.
;; So proposals pass, wait out their timelock, are applied, fail to apply, get queued, claimed, reported,
;; expire or are vetoed under random interleavings; scripts/fuzz-campaign.ts prints how many ended where. rv
;; also calls every public function with raw arguments.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))
(define-constant FUZZ_AGENTS (list .lvdao-fuzz-agent-1 .lvdao-fuzz-agent-2 .lvdao-fuzz-agent-3))
;; Who proposals name (recipients, relays, attestors, guardians): the agents, wallet_6 (the relay), wallet_7
;; (a guardian) and wallet_1.
(define-constant FUZZ_NAMED (list .lvdao-fuzz-agent-1 .lvdao-fuzz-agent-2 .lvdao-fuzz-agent-3
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5))
(define-constant FUZZ_KINDS (list "setting" "lv-allocation" "watchtower" "relay-set" "treasury-transfer" "gt-grant"
  "member-attestor" "guardian-set" "contract-proposal" "lv-transfer" "rebalance-policy" "loop-out" "fee-policy"
  "channel-close"))
;; Settings a `setting` proposal changes, with how far above the key's minimum its value may go: the channel
;; bounds can come to contradict a pending proposal (which then fails to apply); the guardian keys make
;; proposals guardians cannot veto.
(define-constant FUZZ_SETTINGS (list {key: "max-fee-ppm", span: u1000001} {key: "claim-lease", span: u4}
  {key: "veto-window", span: u4} {key: "min-channel-sats", span: u40000} {key: "max-channel-sats", span: u40000}
  {key: "pause-cooldown", span: u4} {key: "proposal-bond", span: u300000000}))
;; Proposals up to the watermark are final (`is-final`): their bond is settled and nothing about them can change
;; any more, and what they moved into and out of the treasury is summed in the ghosts below. The wrappers and the
;; invariants read the FUZZ_WINDOW ids above the watermark, and fuzz-propose waits while that window is full, so
;; a campaign makes proposals for as long as it runs.
(define-constant FUZZ_OFFSETS (list u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20 u21 u22
  u23 u24 u25 u26 u27 u28 u29 u30 u31 u32))
(define-constant FUZZ_WINDOW u32)
(define-constant FUZZ_RECENT u4)
(define-constant FUZZ_BPS u10000)
(define-constant FUZZ_PUBKEY 0x021111111111111111111111111111111111111111111111111111111111111111)

;; The highest id up to which every proposal is final, and their bonds forfeited to and transfers paid by the
;; treasury.
(define-data-var ghost-watermark uint u0)
(define-data-var ghost-final-forfeited uint u0)
(define-data-var ghost-final-paid uint u0)
;; fuzz-conclude calls that succeeded and left a passed chain action neither applied (or failed) nor pending.
(define-data-var ghost-unsettled-concludes uint u0)
;; Reports that succeeded although the reporting agent was not an enabled relay.
(define-data-var ghost-reports-by-non-relays uint u0)

(define-private (fuzz-id (slot uint))
  (+ (mod slot (if (> (var-get last-id) u0) (var-get last-id) u1)) u1))

(define-private (recent-id (slot uint))
  (let ((last (var-get last-id)) (back (mod slot FUZZ_RECENT)))
    (if (> last back) (- last back) u1)))

;; Whether proposal `id` is one a wrapper of this `mode` aims at: u1 quadratic in its voting window (to vote),
;; u2 conviction in its window (to stake), u3 due to conclude, or a passed chain action due to apply (to conclude
;; or execute), u4 a passed off-chain action still open in the queue (to claim, report, expire), u5 passed with
;; its veto window open (to veto), u6 passed with its bond releasable (to release it).
(define-private (aimed-at (mode uint) (id uint))
  (match (map-get? proposals id)
    proposal
      (let ((now burn-block-height))
        (match (map-get? outcomes id)
          outcome (and (get passed outcome)
                       (if (is-eq mode u3)
                         (and (not (get offchain proposal)) (is-none (map-get? applied id))
                              (>= now (get eta outcome)) (< now (get expires outcome))
                              (not (contract-call? .guardian is-vetoed id)))
                       (if (is-eq mode u4)
                         (match (contract-call? .execution-queue get-action id)
                           action (or (is-eq (get status action) "queued") (is-eq (get status action) "claimed"))
                           false)
                       (if (is-eq mode u5)
                         (match (contract-call? .guardian get-veto-window id)
                           window (and (< now (get closes window)) (get vetoable window) (not (get vetoed window)))
                           false)
                         (and (is-eq mode u6) (>= now (get veto-closes outcome))
                              (is-none (map-get? bonds-settled id)))))))
          (and (is-none (map-get? cancellations id))
               (if (is-eq mode u3)
                 (>= now (if (is-eq (get mechanism proposal) MECHANISM_QUADRATIC)
                           (get end proposal)
                           (get start proposal)))
                 (and (is-eq (get mechanism proposal) mode)
                      (>= now (get start proposal)) (< now (get end proposal)))))))
    false))

(define-private (window-id (offset uint)) (+ (var-get ghost-watermark) offset))

;; The ids above the watermark: every proposal that is not final is among them.
(define-private (window-ids) (map window-id FUZZ_OFFSETS))

(define-private (collect-aimed (id uint) (acc {mode: uint, found: (list 32 uint)}))
  (if (aimed-at (get mode acc) id)
    (merge acc {found: (unwrap-panic (as-max-len? (append (get found acc) id) u32))})
    acc))

;; One of the ids above the watermark that a wrapper of this mode aims at, else one of the newest ids.
(define-private (aimed-id (mode uint) (slot uint))
  (let ((found (get found (fold collect-aimed (window-ids) {mode: mode, found: (list)}))))
    (if (is-eq (len found) u0) (recent-id slot) (unwrap-panic (element-at? found (mod slot (len found)))))))

;; GT the proposal `id` moved into the treasury (a forfeited bond) and out of it (a treasury-transfer applied).
(define-private (treasury-flows (id uint))
  (match (map-get? proposals id)
    proposal {forfeited: (match (map-get? bonds-settled id)
                           settled (if (get returned settled) u0 (get amount settled))
                           u0),
              paid: (if (and (is-eq (get kind proposal) "treasury-transfer") (is-some (map-get? applied id))
                             (is-none (map-get? apply-failures id)))
                      (get amount (unwrap-panic (from-consensus-buff? {recipient: principal, amount: uint}
                                                                      (get payload proposal))))
                      u0)}
    {forfeited: u0, paid: u0}))

;; True when the bond of proposal `id` is settled and nothing is left to happen to it: it was cancelled or
;; defeated, or its chain action was applied, expired or vetoed, or its off-chain action left the queue.
(define-private (is-final (id uint))
  (match (map-get? proposals id)
    proposal (and (is-some (map-get? bonds-settled id))
                  (match (map-get? outcomes id)
                    outcome (or (not (get passed outcome))
                                (if (get offchain proposal)
                                  (match (contract-call? .execution-queue get-action id)
                                    action (not (or (is-eq (get status action) "queued")
                                                    (is-eq (get status action) "claimed")))
                                    true)
                                  (or (is-some (map-get? applied id)) (>= burn-block-height (get expires outcome))
                                      (contract-call? .guardian is-vetoed id))))
                    true))
    false))

(define-private (advance-one (offset uint) (moving bool))
  (let ((id (+ (var-get ghost-watermark) u1)))
    (if (and moving (is-final id))
      (let ((flows (treasury-flows id)))
        (var-set ghost-final-forfeited (+ (var-get ghost-final-forfeited) (get forfeited flows)))
        (var-set ghost-final-paid (+ (var-get ghost-final-paid) (get paid flows)))
        (var-set ghost-watermark id))
      false)))

;; Moves the watermark over the final proposals just above it.
(define-private (advance)
  (fold advance-one FUZZ_OFFSETS true))

(define-private (named (slot uint))
  (unwrap-panic (element-at? FUZZ_NAMED (mod slot (len FUZZ_NAMED)))))

(define-private (setting-payload (value uint))
  (let ((choice (unwrap-panic (element-at? FUZZ_SETTINGS (mod value (len FUZZ_SETTINGS)))))
        (bounds (unwrap-panic (contract-call? .dao-settings get-setting-bounds (get key choice)))))
    (unwrap-panic (to-consensus-buff? {key: (get key choice),
                                       value: (+ (get min bounds) (mod (/ value u7) (get span choice)))}))))

(define-private (fuzz-payload (choice uint) (value uint))
  (unwrap-panic
    (if (is-eq choice u0) (some (setting-payload value))
    (if (is-eq choice u1)
      (let ((infrastructure (mod value u5001)) (reserve (mod (/ value u5001) u5000)))
        (to-consensus-buff? {infrastructure-bps: infrastructure, channel-bps: (- u10000 infrastructure reserve),
                             reserve-bps: reserve}))
    (if (is-eq choice u2)
      (to-consensus-buff? {add: (is-eq (mod value u2) u0), pubkey: FUZZ_PUBKEY, host: "tower.example:9911"})
    (if (is-eq choice u3)
      (to-consensus-buff? {relay: (named (mod value u4)), enabled: (is-eq (mod (/ value u4) u2) u0)})
    (if (is-eq choice u4)
      (to-consensus-buff? {recipient: (named value), amount: (+ u1 (mod value u300000000))})
    (if (is-eq choice u5)
      (to-consensus-buff? {recipient: (named value), amount: (+ u1 (mod value u1000000000))})
    (if (is-eq choice u6)
      (to-consensus-buff? {attestor: (named value), enabled: (is-eq (mod value u2) u0)})
    (if (is-eq choice u7)
      (to-consensus-buff? {guardian: (named (+ u1 (mod value u4))), enabled: (is-eq (mod (/ value u4) u2) u0)})
    (if (is-eq choice u8)
      (to-consensus-buff? {proposal: .lvdao-fuzz-proposal,
                           code-hash: (unwrap-panic (contract-hash? .lvdao-fuzz-proposal))})
    (if (is-eq choice u9)
      (to-consensus-buff? {from: "reserve", to: "operations", amount: (+ u1 (mod value u1000))})
    (if (is-eq choice u10)
      (to-consensus-buff? {min-inbound-pct: u20, min-outbound-pct: u20, max-swap-fee-ppm: u1000,
                           budget-sats: (+ u1 (mod value u1000000)), budget-period: u10, max-in-flight: u1,
                           peers: (list FUZZ_PUBKEY)})
    (if (is-eq choice u11)
      (to-consensus-buff? {amount-sats: (+ u1000 (mod value u100000)), channel: none,
                           dest: "bcrt1qfuzzdestinationaddress", max-fee-sats: u1000})
    (if (is-eq choice u12)
      (to-consensus-buff? {target: none, base-fee-msat: u1000, fee-ppm: (mod value u100),
                           inbound-base-discount-msat: u0, inbound-ppm-discount: u0, cltv-delta: u40})
      (to-consensus-buff? {txid: 0x1111111111111111111111111111111111111111111111111111111111111111,
                           vout: (mod value u4), force: false, max-fee-rate: u10}))))))))))))))))

(define-public (fuzz-propose (kind-slot uint) (value uint))
  (let ((choice (mod kind-slot (len FUZZ_KINDS))))
    (advance)
    ;; Check that the window above the watermark has room for one more proposal
    (asserts! (< (var-get last-id) (+ (var-get ghost-watermark) FUZZ_WINDOW)) (err u9999))
    (propose (unwrap-panic (element-at? FUZZ_KINDS choice)) (fuzz-payload choice value) u"fuzz" u"fuzz body" none)))

(define-public (fuzz-vote (agent uint) (slot uint) (votes uint) (support bool))
  (let ((id (aimed-id u1 slot)) (count (+ u1 (mod votes u6))) (which (mod agent u3)))
    (if (is-eq which u0) (contract-call? .lvdao-fuzz-agent-1 vote id count support)
    (if (is-eq which u1) (contract-call? .lvdao-fuzz-agent-2 vote id count support)
      (contract-call? .lvdao-fuzz-agent-3 vote id count support)))))

(define-public (fuzz-stake (agent uint) (slot uint) (amount uint))
  (let ((id (aimed-id u2 slot)) (gt (+ u1 (mod amount u100000000000))) (which (mod agent u3)))
    (if (is-eq which u0) (contract-call? .lvdao-fuzz-agent-1 stake id gt)
    (if (is-eq which u1) (contract-call? .lvdao-fuzz-agent-2 stake id gt)
      (contract-call? .lvdao-fuzz-agent-3 stake id gt)))))

(define-public (fuzz-unstake (agent uint) (slot uint) (amount uint))
  (let ((id (recent-id slot)) (which (mod agent u3))
        (staked (contract-call? .conviction-voting get-stake id (unwrap-panic (element-at? FUZZ_AGENTS which))))
        (gt (+ u1 (mod amount (if (> staked u0) staked u1)))))
    (if (is-eq which u0) (contract-call? .lvdao-fuzz-agent-1 unstake id gt)
    (if (is-eq which u1) (contract-call? .lvdao-fuzz-agent-2 unstake id gt)
      (contract-call? .lvdao-fuzz-agent-3 unstake id gt)))))

;; Moves GT between the agents and from the caller to an agent, so voting power moves between a proposal's
;; held-from block and its snapshot.
(define-public (fuzz-move-gt (from uint) (to uint) (amount uint))
  (let ((gt (+ u1 (mod amount u50000000000))) (recipient (unwrap-panic (element-at? FUZZ_AGENTS (mod to u3))))
        (which (mod from u4)))
    (if (is-eq which u0) (contract-call? .lvdao-fuzz-agent-1 send-gt gt recipient)
    (if (is-eq which u1) (contract-call? .lvdao-fuzz-agent-2 send-gt gt recipient)
    (if (is-eq which u2) (contract-call? .lvdao-fuzz-agent-3 send-gt gt recipient)
      (contract-call? .gt-token transfer gt tx-sender recipient none))))))

(define-public (fuzz-veto (agent uint) (slot uint))
  (if (is-eq (mod agent u2) u0)
    (contract-call? .lvdao-fuzz-agent-2 veto (aimed-id u5 slot))
    (contract-call? .lvdao-fuzz-agent-3 veto (aimed-id u5 slot))))

(define-public (fuzz-pause (agent uint))
  (if (is-eq (mod agent u2) u0)
    (contract-call? .lvdao-fuzz-agent-2 pause)
    (contract-call? .lvdao-fuzz-agent-3 pause)))

;; Whether a claim or report goes through agent 1 rather than agent 2: through whichever of them relay-set
;; proposals left a relay (agent 1 when both or neither are), except one call in four through agent 2.
(define-private (through-agent-1 (agent uint))
  (and (not (is-eq (mod agent u4) u3))
       (or (contract-call? .execution-queue is-relay .lvdao-fuzz-agent-1)
           (not (contract-call? .execution-queue is-relay .lvdao-fuzz-agent-2)))))

(define-public (fuzz-claim (agent uint) (slot uint))
  (if (through-agent-1 agent)
    (contract-call? .lvdao-fuzz-agent-1 claim (aimed-id u4 slot))
    (contract-call? .lvdao-fuzz-agent-2 claim (aimed-id u4 slot))))

(define-public (fuzz-report (agent uint) (slot uint) (success bool) (code uint) (retryable bool))
  (let ((id (aimed-id u4 slot))
        (first (through-agent-1 agent))
        (reporter (if first .lvdao-fuzz-agent-1 .lvdao-fuzz-agent-2))
        (result (if success
                  (if first (contract-call? .lvdao-fuzz-agent-1 report-success id 0x0102)
                            (contract-call? .lvdao-fuzz-agent-2 report-success id 0x0102))
                  (match (if first
                           (contract-call? .lvdao-fuzz-agent-1 report-failure id (+ u1 (mod code u600)) retryable)
                           (contract-call? .lvdao-fuzz-agent-2 report-failure id (+ u1 (mod code u600)) retryable))
                    requeued (ok true)
                    failure (err failure)))))
    (and (is-ok result) (not (contract-call? .execution-queue is-relay reporter))
         (var-set ghost-reports-by-non-relays (+ (var-get ghost-reports-by-non-relays) u1)))
    result))

(define-public (fuzz-expire (slot uint))
  (contract-call? .execution-queue expire (aimed-id u4 slot)))

;; A liquidity report through agent 1, so lv-transfer proposals have a pool to ask from.
(define-public (fuzz-report-liquidity (onchain uint) (reserve uint))
  (contract-call? .lvdao-fuzz-agent-1 report-liquidity (mod onchain u100000000) (mod reserve u100000)))

(define-public (fuzz-cancel (slot uint)) (cancel (recent-id slot)))
(define-public (fuzz-release-bond (slot uint))
  (begin
    (advance)
    (release-bond (aimed-id u6 slot))))
(define-public (fuzz-execute-proposal (slot uint)) (execute-proposal (aimed-id u3 slot) .lvdao-fuzz-proposal))

;; True when proposal `id` is not a passed chain action, or its action was applied (or failed to apply), or
;; it is still pending: before its eta, or a contract-proposal (applied by execute-proposal).
(define-private (chain-action-settled (id uint))
  (match (map-get? outcomes id)
    outcome (let ((proposal (unwrap-panic (map-get? proposals id))))
              (or (not (get passed outcome)) (get offchain proposal) (is-some (map-get? applied id))
                  (< burn-block-height (get eta outcome)) (is-eq (get kind proposal) "contract-proposal")))
    true))

(define-public (fuzz-conclude (slot uint))
  (let ((id (aimed-id u3 slot))
        (result (conclude id)))
    (and (is-ok result) (not (chain-action-settled id))
         (var-set ghost-unsettled-concludes (+ (var-get ghost-unsettled-concludes) u1)))
    result))

;; ---- invariants

(define-private (add-escrowed (id uint) (sum uint))
  (match (map-get? proposals id)
    proposal (if (is-none (map-get? bonds-settled id)) (+ sum (get bond proposal)) sum)
    sum))

;; The GT proposals holds is exactly the bonds not yet settled, and a bond is settled at most once.
(define-read-only (invariant-escrow-is-unsettled-bonds)
  (and (<= (var-get last-id) (+ (var-get ghost-watermark) FUZZ_WINDOW))
       (is-eq (unwrap-panic (contract-call? .gt-token get-balance current-contract))
              (fold add-escrowed (window-ids) u0))))

(define-private (count-open (id uint) (acc {who: principal, open: uint}))
  (match (map-get? proposals id)
    proposal (if (and (is-eq (get proposer proposal) (get who acc)) (is-none (map-get? outcomes id))
                      (is-none (map-get? cancellations id)))
               (merge acc {open: (+ (get open acc) u1)})
               acc)
    acc))

(define-private (open-count-matches (who principal) (ok-so-far bool))
  (and ok-so-far (is-eq (open-count who) (get open (fold count-open (window-ids) {who: who, open: u0})))))

;; Each proposer's open count is the number of their proposals neither concluded nor cancelled.
(define-read-only (invariant-open-counts-match)
  (fold open-count-matches FUZZ_HOLDERS true))

(define-private (status-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (if (> id (var-get last-id))
         (is-err (get-proposal-status id))
         (let ((status (unwrap-panic (get-proposal-status id)))
               (failed (is-some (map-get? apply-failures id))))
           (and (or (is-none (map-get? cancellations id)) (is-eq status "cancelled"))
                (or (is-none (map-get? applied id)) (is-eq status (if failed "failed" "executed")))
                (or (not failed) (is-some (map-get? applied id)))
                (match (map-get? outcomes id)
                  outcome (or (get passed outcome) (is-eq status "defeated"))
                  true))))))

;; Every id up to last-id has a derived status matching its stored facts (an applied action reads executed,
;; or failed exactly when its failure is recorded), and no other id has one.
(define-read-only (invariant-status-follows-facts)
  (fold status-consistent (window-ids) true))

(define-private (agent-credits-held (who principal) (acc {id: uint, held-from: uint, snapshot: uint, ok: bool}))
  (merge acc {ok: (and (get ok acc)
                       (match (contract-call? .quadratic-voting get-vote (get id acc) who)
                         cast (and (<= (get credits-spent cast)
                                       (unwrap-panic (contract-call? .gt-token get-balance-at who (get held-from acc))))
                                   (<= (get credits-spent cast)
                                       (unwrap-panic (contract-call? .gt-token get-balance-at who (get snapshot acc)))))
                         true))}))

(define-private (credits-held (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (contract-call? .quadratic-voting get-proposal id)
         counted (get ok (fold agent-credits-held FUZZ_AGENTS
                               {id: id, held-from: (get held-from counted), snapshot: (get snapshot-height counted),
                                ok: true}))
         true)))

;; No vote uses power acquired after its proposal's snapshot: a voter's credits never exceed the GT it held
;; at both the block before propose and the snapshot.
(define-read-only (invariant-credits-within-held-power)
  (fold credits-held (window-ids) true))

;; A relay that is not enabled (never was, or a relay-set disabled it) never reports successfully.
(define-read-only (invariant-no-report-by-non-relay)
  (is-eq (var-get ghost-reports-by-non-relays) u0))

(define-private (add-treasury-flows (id uint) (acc {forfeited: uint, paid: uint}))
  (let ((flows (treasury-flows id)))
    {forfeited: (+ (get forfeited acc) (get forfeited flows)), paid: (+ (get paid acc) (get paid flows))}))

;; The treasury pays out only what passed treasury-transfers say: its balance plus what they paid is exactly
;; the bonds forfeited to it.
(define-read-only (invariant-treasury-pays-only-passed-transfers)
  (let ((flows (fold add-treasury-flows (window-ids)
                     {forfeited: (var-get ghost-final-forfeited), paid: (var-get ghost-final-paid)})))
    (is-eq (+ (contract-call? .treasury get-balance) (get paid flows)) (get forfeited flows))))

(define-private (no-passed-tie (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? outcomes id)
         outcome (let ((proposal (unwrap-panic (map-get? proposals id)))
                       (total (+ (get votes-for outcome) (get votes-against outcome))))
                   (or (not (get passed outcome)) (not (is-eq (get mechanism proposal) MECHANISM_QUADRATIC))
                       (and (> (* (get votes-for outcome) FUZZ_BPS) (* (get pass-bps proposal) total))
                            (>= total (get quorum-votes proposal)))))
         true)))

;; A quadratic proposal passes only with strictly more than pass-bps of the votes and the quorum: a tie fails.
(define-read-only (invariant-no-passed-tie)
  (fold no-passed-tie (window-ids) true))

(define-private (chain-outcome-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (or (is-none (map-get? applied id)) (not (contract-call? .guardian is-vetoed id)))
       (match (map-get? outcomes id)
         outcome (or (is-none (map-get? applied id))
                     (and (get passed outcome) (not (get offchain (unwrap-panic (map-get? proposals id))))
                          (>= (unwrap-panic (map-get? applied id)) (get eta outcome))
                          (< (unwrap-panic (map-get? applied id)) (get expires outcome))))
         (is-none (map-get? applied id)))))

;; conclude never leaves a passed chain action neither applied (or failed) nor pending, and an action is
;; applied only when it passed, between its eta and its expiry, and never after a veto.
(define-read-only (invariant-passed-chain-actions-settle)
  (and (is-eq (var-get ghost-unsettled-concludes) u0)
       (fold chain-outcome-consistent (window-ids) true)))

(define-private (recipient-unstaked (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? proposals id)
         proposal (or (not (is-eq (get kind proposal) "gt-grant"))
                      (is-eq (contract-call? .conviction-voting get-stake id
                               (get recipient (unwrap-panic (from-consensus-buff? {recipient: principal, amount: uint}
                                                                                  (get payload proposal)))))
                             u0))
         true)))

;; A gt-grant's recipient never holds stake on it.
(define-read-only (invariant-grant-recipient-never-stakes)
  (fold recipient-unstaked (window-ids) true))

;; ---- properties

;; A cancelled proposal cannot be cancelled or concluded again.
(define-public (test-cancel-is-final (kind-slot uint) (value uint))
  (match (fuzz-propose kind-slot value)
    id (begin
         (try! (cancel id))
         (asserts! (is-eq (cancel id) ERR_CLOSED) (err u1))
         (asserts! (is-eq (conclude id) ERR_CLOSED) (err u2))
         (ok true))
    code (ok false)))

;; Only the proposer cancels.
(define-public (test-only-proposer-cancels (slot uint))
  (let ((id (fuzz-id slot)))
    (match (map-get? proposals id)
      proposal (if (is-eq (get proposer proposal) contract-caller)
                 (ok false)
                 (begin
                   (asserts! (is-eq (cancel id) ERR_NOT_PROPOSER) (err u1))
                   (ok true)))
      (ok false))))

;; A malformed payload never gets an id.
(define-public (test-bad-payload-gets-no-id (payload (buff 2048)))
  (let ((before (var-get last-id)))
    (if (is-ok (contract-call? .action-validator check-action "lv-allocation" payload))
      (ok false)
      (begin
        (asserts! (is-err (propose "lv-allocation" payload u"fuzz" u"fuzz body" none))
                  (err u1))
        (asserts! (is-eq (var-get last-id) before) (err u2))
        (ok true)))))

;; execute-proposal runs only the contract a concluded contract-proposal names: any other contract, or any
;; other kind, is refused.
(define-public (test-execute-proposal-needs-the-named-contract (slot uint))
  (let ((id (fuzz-id slot)))
    (if (is-none (map-get? outcomes id))
      (ok false)
      (begin
        (asserts! (is-eq (execute-proposal id .lvdao-bootstrap) ERR_WRONG_CONTRACT) (err u1))
        (ok true)))))
