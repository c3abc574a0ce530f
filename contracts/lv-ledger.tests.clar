;; Rendezvous properties and invariants for lv-ledger (appended to the contract by `rv`).
;; scripts/fuzz.ts runs the real bootstrap first, so wallet_6 is the relay. `fuzz-*` functions aim the real
;; relay calls at existing pledges, a small set of anchors (so anchors get reused) and a few epochs, with
;; splits that follow the allocation; rv also calls every public function with raw random arguments.

(define-constant FUZZ_PLEDGES (list u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20
  u21 u22 u23 u24 u25 u26 u27 u28 u29 u30 u31 u32 u33 u34 u35 u36 u37 u38 u39 u40))
(define-constant FUZZ_EPOCHS (list u0 u1 u2 u3 u4 u5 u6 u7))
(define-constant FUZZ_ANCHORS (list 0x01 0x02 0x03 0x04 0x05 0x06))

(define-private (fuzz-pledge-id (slot uint))
  (+ (mod slot (if (> (var-get last-pledge-id) u0) (var-get last-pledge-id) u1)) u1))

;; One of six outpoints, half the time in its 36-byte encoding, otherwise cut short (a txid without some of its
;; vout's last bytes: 33 to 35 bytes), which confirm-contribution must refuse.
(define-private (fuzz-anchor (slot uint))
  (let ((full (concat (unwrap-panic (element-at? FUZZ_ANCHORS (mod slot u6)))
                      0x0000000000000000000000000000000000000000000000000000000000000000000000))
        (cut (mod (/ slot u6) u8)))
    (if (< cut u4) (unwrap-panic (as-max-len? (unwrap-panic (slice? full u0 (- u36 cut))) u36)) full)))

(define-public (fuzz-set-address (slot uint))
  (set-pledge-address (fuzz-pledge-id slot) "taprt1qqqsqqspqqzzqfuzzaddressforthepledge"))

;; The real confirm-contribution, for at most the pledged amount most of the time.
(define-public (fuzz-confirm (slot uint) (anchor-slot uint) (amount uint))
  (let ((id (fuzz-pledge-id slot)))
    (confirm-contribution id (fuzz-anchor anchor-slot)
      (mod amount (+ (default-to u0 (get amount (map-get? pledges id))) u2)))))

;; The real record-revenue-epoch with the allocation's split (split-revenue), or, when `exact` is false, with the
;; remainder all given to channels, which the contract refuses whenever that differs from the split.
(define-public (fuzz-record-epoch (slot uint) (minted uint) (exact bool))
  (let ((split (var-get allocation))
        (exact-split (split-revenue minted))
        (to-infrastructure (/ (* minted (get infrastructure-bps split)) BPS))
        (to-reserve (/ (* minted (get reserve-bps split)) BPS)))
    (if exact
      (record-revenue-epoch (mod slot u8) (* minted u3) minted (get to-infrastructure exact-split)
                            (get to-channels exact-split) (get to-reserve exact-split) 0x00)
      (record-revenue-epoch (mod slot u8) (* minted u3) minted to-infrastructure
                            (- minted to-infrastructure to-reserve) to-reserve 0x00))))

;; set-allocation as the DAO would call it (lv-ledger is an enabled extension after the bootstrap), with
;; shares that sum to 10000 when `valid`, and raw ones otherwise.
(define-public (fuzz-set-allocation (infrastructure uint) (channels uint) (reserve uint) (valid bool))
  (let ((i (mod infrastructure (+ BPS u1)))
        (c (mod channels (+ (- BPS i) u1))))
    (as-contract? () (try! (if valid
                               (set-allocation i c (- BPS i c))
                               (set-allocation infrastructure channels reserve))))))

;; ---- invariants

;; The allocation always sums to 10000.
(define-read-only (invariant-allocation-sums-to-10000)
  (let ((split (get-allocation)))
    (is-eq (+ (get infrastructure-bps split) (get channel-bps split) (get reserve-bps split)) BPS)))

(define-private (pledge-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? pledges id)
         entry (match (get confirmed entry)
                 confirmed (and (<= (get amount confirmed) (get amount entry))
                                (is-eq (len (get anchor confirmed)) u36)
                                (> (get gt-minted confirmed) u0)
                                (> (get amount confirmed) u0)
                                (is-some (get tap-addr entry))
                                (is-eq (map-get? anchors (get anchor confirmed)) (some id)))
                 true)
         (> id (var-get last-pledge-id)))))

;; A confirmation never exceeds its pledge, needs an address, mints some GT and owns its anchor, which is always
;; exactly 36 bytes (one outpoint, one encoding); ids have no gaps.
(define-read-only (invariant-confirmations-within-pledges)
  (fold pledge-consistent FUZZ_PLEDGES true))

(define-private (epoch-consistent (epoch uint) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? revenue-epochs epoch)
         entry (is-eq (+ (get to-infrastructure entry) (get to-channels entry) (get to-reserve entry))
                      (get lv-minted entry))
         true)))

;; Every recorded epoch's shares add up to the LV minted.
(define-read-only (invariant-epoch-shares-add-up)
  (fold epoch-consistent FUZZ_EPOCHS true))

;; ---- properties

;; Pledge ids count up from 1 without gaps.
(define-public (test-pledge-ids-increase (amount uint))
  (let ((expected (+ (var-get last-pledge-id) u1)))
    (if (is-eq amount u0)
      (ok false)
      (begin
        (asserts! (is-eq (try! (pledge amount)) expected) (err u1))
        (asserts! (is-eq (get amount (unwrap! (get-pledge expected) (err u2))) amount) (err u3))
        (ok true)))))

;; A split more than 1 unit off the allocation is refused.
(define-public (test-wrong-split-refused (slot uint) (minted uint) (shift uint))
  (let ((split (var-get allocation))
        (to-infrastructure (/ (* minted (get infrastructure-bps split)) BPS))
        (moved (+ u2 (mod shift u1000))))
    (if (or (not (contract-call? .execution-queue is-relay contract-caller)) (< to-infrastructure moved))
      (ok false)
      (begin
        (asserts! (is-eq (record-revenue-epoch (+ u1000 slot) u0 minted (- to-infrastructure moved)
                                               (- minted to-infrastructure) moved 0x00)
                         ERR_SHARE_MISMATCH)
                  (err u1))
        (ok true)))))

;; Only the relay confirms, and never more than pledged.
(define-public (test-confirm-guards (amount uint) (extra uint))
  (let ((relay (contract-call? .execution-queue is-relay contract-caller))
        (id (try! (pledge (+ u1 (mod amount u1000000))))))
    (and relay (try! (set-pledge-address id "taprt1qqqsqqspqqzzqfuzzaddressforthepledge")))
    (asserts! (is-eq (confirm-contribution id 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
                                           (+ u2 (mod amount u1000000) (mod extra u1000)))
                     (if relay ERR_AMOUNT_EXCEEDS_PLEDGE ERR_NOT_RELAY))
              (err u1))
    (ok true)))

(define-private (set-allocation-as-dao (infrastructure uint) (channels uint) (reserve uint))
  (as-contract? () (try! (set-allocation infrastructure channels reserve))))

;; An allocation that does not sum to 10000 is refused and leaves the allocation in force unchanged.
(define-public (test-allocation-must-sum-to-10000 (infrastructure uint) (channels uint) (reserve uint))
  (let ((before (var-get allocation)))
    (if (is-eq (+ infrastructure channels reserve) BPS)
      (ok false)
      (begin
        (asserts! (is-eq (set-allocation-as-dao infrastructure channels reserve) ERR_BPS_SUM) (err u1))
        (asserts! (is-eq (var-get allocation) before) (err u2))
        (ok true)))))

;; An anchor shorter than 36 bytes is refused, and the pledge stays open.
(define-public (test-short-anchor-refused (amount uint) (cut uint))
  (let ((id (try! (pledge (+ u1 (mod amount u1000000)))))
        (anchor (unwrap-panic (slice? 0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee00000001 u0
                                      (- u35 (mod cut u36))))))
    (if (not (contract-call? .execution-queue is-relay contract-caller))
      (ok false)
      (begin
        (try! (set-pledge-address id "taprt1qqqsqqspqqzzqfuzzaddressforthepledge"))
        (asserts! (is-eq (confirm-contribution id (unwrap-panic (as-max-len? anchor u36)) u1) ERR_BAD_ANCHOR) (err u1))
        (asserts! (is-none (get confirmed (unwrap-panic (get-pledge id)))) (err u2))
        (ok true)))))
