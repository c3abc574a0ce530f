;; title: lv-ledger
;; summary: Liquidity Voucher (LV) contributions that mint GT, the LV allocation, and the revenue epochs.
;; description:
;;   - Contributions: a holder pledges an LV amount (`pledge`), the relay answers with a tapd address
;;     (`set-pledge-address`), and once the LV has arrived the relay confirms it (`confirm-contribution`),
;;     which mints `amount * gt-per-lv / 10^6` GT to the pledger. A pledge is confirmed once, for at most the
;;     pledged amount, and an anchor outpoint counts for one contribution only. An anchor is exactly 36 bytes
;;     (txid in display order, then vout as uint32 big-endian), so one outpoint has one key. A contribution that
;;     would mint 0 GT is refused and the pledge stays open.
;;   - Allocation: how newly minted LV (routing revenue) is split between infrastructure, channels and the
;;     reserve, in bps that always sum to 10000. Only a passed `lv-allocation` proposal changes it.
;;   - Revenue epochs: the relay records each epoch once; its three shares must equal `split-revenue` exactly:
;;     each share is the floor of lv-minted * bps / 10000, and the units left over (at most 2) go one each to
;;     the shares with the largest remainders, ties in the order infrastructure, channels, reserve.
;;   - LV pricing: the desk's price rule, set only by a passed `lv-pricing` proposal. A quote is computed
;;     off-chain from it and the liquidity oracle's snapshot (docs/market.md "Pricing").
;;   - Trade summaries: after each pricing period (Stacks blocks; period index = stacks-block-height / period),
;;     the relay records the desk's trades of that period once: count, volumes, average premium, and the hash of
;;     the trade list, so an auditor can check the desk's journal against it.
;; dependencies: lvdao-core (DAO guard), gt-token (mint), dao-settings (gt-per-lv), execution-queue (is-relay).

;; Errors (u1800-u1899)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1800))
;; The caller is not an enabled relay.
(define-constant ERR_NOT_RELAY (err u1801))
;; The amount is zero.
(define-constant ERR_ZERO_AMOUNT (err u1802))
;; No pledge has this id.
(define-constant ERR_UNKNOWN_PLEDGE (err u1803))
;; The pledge has already been confirmed.
(define-constant ERR_ALREADY_CONFIRMED (err u1804))
;; The tapd address is empty.
(define-constant ERR_EMPTY_ADDRESS (err u1805))
;; The relay has not given the pledge an address yet.
(define-constant ERR_NO_ADDRESS (err u1806))
;; The confirmed amount is larger than the pledge.
(define-constant ERR_AMOUNT_EXCEEDS_PLEDGE (err u1807))
;; The anchor outpoint has already been counted for a contribution.
(define-constant ERR_ANCHOR_USED (err u1808))
;; The allocation's bps do not sum to 10000.
(define-constant ERR_BPS_SUM (err u1809))
;; The revenue epoch has already been recorded.
(define-constant ERR_EPOCH_RECORDED (err u1810))
;; The three shares do not add up to the LV minted.
(define-constant ERR_SHARES_SUM (err u1811))
;; A share differs from the allocation's largest-remainder split (split-revenue).
(define-constant ERR_SHARE_MISMATCH (err u1812))
;; The anchor is not exactly 36 bytes (a 32-byte txid in display order, then the vout as 4 bytes big-endian).
(define-constant ERR_BAD_ANCHOR (err u1813))
;; The contribution is too small to mint any GT at the current gt-per-lv.
(define-constant ERR_ZERO_MINT (err u1814))
;; No lv-pricing has passed, so there are no trade periods.
(define-constant ERR_NO_PRICING (err u1815))
;; The period is the current one or later: only a complete period can be summarised.
(define-constant ERR_PERIOD_NOT_OVER (err u1816))
;; The period's trade summary has already been recorded.
(define-constant ERR_SUMMARY_RECORDED (err u1817))
;; A summary of no trades carries volume, or one of some trades carries no LV.
(define-constant ERR_SUMMARY_INCONSISTENT (err u1818))

(define-constant BPS u10000)
(define-constant GT_PER_LV_SCALE u1000000) ;; gt-per-lv is GT base units per LV unit, scale 10^6

;; The allocation in force until the first passed `lv-allocation` proposal (bps, sum 10000).
(define-data-var allocation {infrastructure-bps: uint, channel-bps: uint, reserve-bps: uint}
  {infrastructure-bps: u1000, channel-bps: u6000, reserve-bps: u3000})

(define-data-var last-pledge-id uint u0)

;; pledge id -> pledge; amounts are LV units; heights are burn heights
(define-map pledges uint
  {pledger: principal, amount: uint, created-at: uint, tap-addr: (optional (string-ascii 512)),
   confirmed: (optional {anchor: (buff 36), amount: uint, gt-minted: uint, confirmed-at: uint})})

;; anchor outpoint (txid 32 bytes + vout 4 bytes) -> the pledge it confirmed
(define-map anchors (buff 36) uint)

;; epoch -> what the relay recorded for it
(define-map revenue-epochs uint
  {revenue-sats: uint, lv-minted: uint, to-infrastructure: uint, to-channels: uint, to-reserve: uint,
   evidence: (buff 64), recorded-at: uint})

;; The LV desk's price rule (docs/market.md "Pricing"): reference-msat is msat per LV base unit; spread-bps,
;; target-inbound-bps, premium-slope-bps (per 100 bps of inbound shortfall) and max-premium-bps in bps;
;; quote-ttl in seconds; max-trade-lv and max-period-lv in LV base units; period in Stacks blocks; set-at is the
;; Stacks block height it was set at
(define-data-var lv-pricing
  (optional {reference-msat: uint, spread-bps: uint, target-inbound-bps: uint, premium-slope-bps: uint,
             max-premium-bps: uint, quote-ttl: uint, max-trade-lv: uint, max-period-lv: uint, period: uint,
             set-at: uint})
  none)

;; period index -> the desk's trades in it: volumes in LV base units and sats, premium in bps, and the sha256 of
;; the trade list (docs/market.md); recorded-at is a Stacks block height
(define-map trade-summaries uint
  {trades: uint, lv-volume: uint, sats-volume: uint, avg-premium-bps: uint, trades-hash: (buff 32),
   recorded-at: uint})

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (check-relay)
  (ok (asserts! (contract-call? .execution-queue is-relay contract-caller) ERR_NOT_RELAY)))

;; The pledge a relay acts on, after checking the relay.
(define-private (relay-pledge (pledge-id uint))
  (begin
    (try! (check-relay))
    (ok (unwrap! (map-get? pledges pledge-id) ERR_UNKNOWN_PLEDGE))))

;; Pledges `amount` LV units; the relay then gives the pledge a tapd address.
;; Caller: anyone (the pledger is contract-caller).
;; Event: lv-pledged.
(define-public (pledge (amount uint))
  (let ((pledge-id (+ (var-get last-pledge-id) u1)))
    ;; Check that something is pledged
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    (map-set pledges pledge-id
      {pledger: contract-caller, amount: amount, created-at: burn-block-height, tap-addr: none, confirmed: none})
    (var-set last-pledge-id pledge-id)
    (print {topic: "lv-pledged", pledge-id: pledge-id, pledger: contract-caller, amount: amount})
    (ok pledge-id)))

;; Gives an unconfirmed pledge the tapd address to send its LV to (a new address replaces the old one).
;; Caller: an enabled relay.
;; Event: lv-pledge-address.
(define-public (set-pledge-address (pledge-id uint) (tap-addr (string-ascii 512)))
  (let ((entry (try! (relay-pledge pledge-id))))
    ;; Check that the address is not empty
    (asserts! (> (len tap-addr) u0) ERR_EMPTY_ADDRESS)
    ;; Check that the pledge is still waiting for its LV
    (asserts! (is-none (get confirmed entry)) ERR_ALREADY_CONFIRMED)
    (map-set pledges pledge-id (merge entry {tap-addr: (some tap-addr)}))
    (print {topic: "lv-pledge-address", pledge-id: pledge-id, pledger: (get pledger entry), tap-addr: tap-addr})
    (ok true)))

;; Confirms that `amount` LV of a pledge arrived in the transfer anchored at `anchor`, and mints GT for it.
;; Caller: an enabled relay.
;; Event: lv-contributed.
(define-public (confirm-contribution (pledge-id uint) (anchor (buff 36)) (amount uint))
  (let ((entry (try! (relay-pledge pledge-id)))
        (pledger (get pledger entry))
        (gt-minted (/ (* amount (unwrap-panic (contract-call? .dao-settings get-setting "gt-per-lv")))
                      GT_PER_LV_SCALE)))
    ;; Check that the pledge is confirmed only once
    (asserts! (is-none (get confirmed entry)) ERR_ALREADY_CONFIRMED)
    ;; Check that the pledge has an address to receive LV at
    (asserts! (is-some (get tap-addr entry)) ERR_NO_ADDRESS)
    ;; Check that some LV arrived
    (asserts! (> amount u0) ERR_ZERO_AMOUNT)
    ;; Check that no more than the pledge is counted
    (asserts! (<= amount (get amount entry)) ERR_AMOUNT_EXCEEDS_PLEDGE)
    ;; Check that the anchor is one outpoint in its one encoding
    (asserts! (is-eq (len anchor) u36) ERR_BAD_ANCHOR)
    ;; Check that the contribution mints some GT, so a pledge never closes for nothing
    (asserts! (> gt-minted u0) ERR_ZERO_MINT)
    ;; Check that the anchor outpoint counts once
    (asserts! (map-insert anchors anchor pledge-id) ERR_ANCHOR_USED)
    (map-set pledges pledge-id
      (merge entry {confirmed: (some {anchor: anchor, amount: amount, gt-minted: gt-minted,
                                      confirmed-at: burn-block-height})}))
    (try! (contract-call? .gt-token mint gt-minted pledger))
    (print {topic: "lv-contributed", pledge-id: pledge-id, pledger: pledger, anchor: anchor, amount: amount,
            gt-minted: gt-minted})
    (ok gt-minted)))

;; Replaces the LV allocation.
;; Caller: lvdao-core or an extension (proposals applies a passed `lv-allocation` proposal).
;; Event: lv-allocation-set.
(define-public (set-allocation (infrastructure-bps uint) (channel-bps uint) (reserve-bps uint))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the shares cover exactly the whole
    (asserts! (is-eq (+ infrastructure-bps channel-bps reserve-bps) BPS) ERR_BPS_SUM)
    (var-set allocation {infrastructure-bps: infrastructure-bps, channel-bps: channel-bps, reserve-bps: reserve-bps})
    (print {topic: "lv-allocation-set", infrastructure-bps: infrastructure-bps, channel-bps: channel-bps,
            reserve-bps: reserve-bps})
    (ok true)))

;; The largest-remainder split of `lv-minted` by the allocation in force.
(define-read-only (split-revenue (lv-minted uint))
  (split-by lv-minted (var-get allocation)))

(define-private (split-by (total uint) (split {infrastructure-bps: uint, channel-bps: uint, reserve-bps: uint}))
  (let ((a (* total (get infrastructure-bps split)))
        (b (* total (get channel-bps split)))
        (c (* total (get reserve-bps split)))
        (ra (mod a BPS)) (rb (mod b BPS)) (rc (mod c BPS))
        (fa (/ a BPS)) (fb (/ b BPS)) (fc (/ c BPS))
        (left (- total (+ fa fb fc)))
        ;; rank of each remainder: how many shares go before it (larger remainder, or equal and earlier)
        (rank-a (+ (if (> rb ra) u1 u0) (if (> rc ra) u1 u0)))
        (rank-b (+ (if (>= ra rb) u1 u0) (if (> rc rb) u1 u0)))
        (rank-c (+ (if (>= ra rc) u1 u0) (if (>= rb rc) u1 u0))))
    {to-infrastructure: (+ fa (if (< rank-a left) u1 u0)),
     to-channels: (+ fb (if (< rank-b left) u1 u0)),
     to-reserve: (+ fc (if (< rank-c left) u1 u0))}))

;; Records a revenue epoch: the routing revenue, the LV minted for it, and how that LV was split.
;; Caller: an enabled relay.
;; Event: revenue-epoch.
(define-public (record-revenue-epoch (epoch uint) (revenue-sats uint) (lv-minted uint) (to-infrastructure uint)
                                     (to-channels uint) (to-reserve uint) (evidence (buff 64)))
  (let ((split (var-get allocation)))
    (try! (check-relay))
    ;; Check that the shares add up to the LV minted
    (asserts! (is-eq (+ to-infrastructure to-channels to-reserve) lv-minted) ERR_SHARES_SUM)
    ;; Check that the shares are exactly the allocation's largest-remainder split
    (asserts! (is-eq (split-by lv-minted split)
                     {to-infrastructure: to-infrastructure, to-channels: to-channels, to-reserve: to-reserve})
              ERR_SHARE_MISMATCH)
    ;; Check that the epoch is recorded once
    (asserts! (map-insert revenue-epochs epoch
                {revenue-sats: revenue-sats, lv-minted: lv-minted, to-infrastructure: to-infrastructure,
                 to-channels: to-channels, to-reserve: to-reserve, evidence: evidence,
                 recorded-at: burn-block-height})
              ERR_EPOCH_RECORDED)
    (print {topic: "revenue-epoch", epoch: epoch, revenue-sats: revenue-sats, lv-minted: lv-minted,
            to-infrastructure: to-infrastructure, to-channels: to-channels, to-reserve: to-reserve,
            evidence: evidence, infrastructure-bps: (get infrastructure-bps split),
            channel-bps: (get channel-bps split), reserve-bps: (get reserve-bps split)})
    (ok true)))

;; Replaces the LV pricing. The values were checked by action-validator when the lv-pricing was proposed.
;; Caller: lvdao-core or an extension (chain-actions applies a passed lv-pricing).
;; Event: lv-pricing-set.
(define-public (set-lv-pricing (pricing {reference-msat: uint, spread-bps: uint, target-inbound-bps: uint,
                                         premium-slope-bps: uint, max-premium-bps: uint, quote-ttl: uint,
                                         max-trade-lv: uint, max-period-lv: uint, period: uint}))
  (let ((entry (merge pricing {set-at: stacks-block-height})))
    (try! (is-dao-or-extension))
    (var-set lv-pricing (some entry))
    (print {topic: "lv-pricing-set", reference-msat: (get reference-msat pricing), spread-bps: (get spread-bps pricing),
            target-inbound-bps: (get target-inbound-bps pricing), premium-slope-bps: (get premium-slope-bps pricing),
            max-premium-bps: (get max-premium-bps pricing), quote-ttl: (get quote-ttl pricing),
            max-trade-lv: (get max-trade-lv pricing), max-period-lv: (get max-period-lv pricing),
            period: (get period pricing), set-at: stacks-block-height})
    (ok true)))

;; Records the desk's trades in one complete period (the period index under the pricing in force).
;; Caller: an enabled relay.
;; Event: trade-summary-recorded.
(define-public (record-trade-summary (period uint) (trades uint) (lv-volume uint) (sats-volume uint)
                                     (avg-premium-bps uint) (trades-hash (buff 32)))
  (let ((summary {trades: trades, lv-volume: lv-volume, sats-volume: sats-volume, avg-premium-bps: avg-premium-bps,
                  trades-hash: trades-hash, recorded-at: stacks-block-height}))
    (try! (check-relay))
    ;; Check that the period is over: its index is below the current one under the pricing in force
    (asserts! (< period (/ stacks-block-height (get period (unwrap! (var-get lv-pricing) ERR_NO_PRICING))))
              ERR_PERIOD_NOT_OVER)
    ;; Check that a period without trades has no volume and one with trades moved some LV
    (asserts! (if (is-eq trades u0) (is-eq (+ lv-volume sats-volume) u0) (> lv-volume u0)) ERR_SUMMARY_INCONSISTENT)
    ;; Check that the period is recorded once
    (asserts! (map-insert trade-summaries period summary) ERR_SUMMARY_RECORDED)
    (print {topic: "trade-summary-recorded", period: period, trades: trades, lv-volume: lv-volume,
            sats-volume: sats-volume, avg-premium-bps: avg-premium-bps, trades-hash: trades-hash,
            recorded-at: stacks-block-height, reporter: contract-caller})
    (ok true)))

;; The LV pricing in force, if an lv-pricing has passed.
(define-read-only (get-lv-pricing)
  (var-get lv-pricing))

;; The desk's trade summary of a period, if recorded.
(define-read-only (get-trade-summary (period uint))
  (map-get? trade-summaries period))

(define-read-only (get-allocation)
  (var-get allocation))

(define-read-only (get-pledge (pledge-id uint))
  (map-get? pledges pledge-id))

(define-read-only (get-last-pledge-id)
  (var-get last-pledge-id))

;; The pledge an anchor outpoint confirmed, if any.
(define-read-only (get-anchor (anchor (buff 36)))
  (map-get? anchors anchor))

(define-read-only (get-revenue-epoch (epoch uint))
  (map-get? revenue-epochs epoch))
