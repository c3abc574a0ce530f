;; Rendezvous properties and invariants for proposals (appended to the contract by `rv`).
;; The fuzz runner runs the real bootstrap first, so wallet_1..wallet_5 hold GT. `fuzz-propose` makes valid
;; proposals (a setting, an lv-allocation, a watchtower) for the caller, up to 20 of them, and the fuzz-
;; wrappers aim cancel, conclude and release-bond at existing ids; rv also calls everything with raw arguments.
;; Votes and stakes live in other contracts and count their caller, so here proposals end defeated,
;; cancelled or unconcluded: the invariants are about bonds, open counts and derived status.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))
(define-constant FUZZ_IDS (list u1 u2 u3 u4 u5 u6 u7 u8 u9 u10 u11 u12 u13 u14 u15 u16 u17 u18 u19 u20))
(define-constant FUZZ_LIMIT u20)

(define-private (fuzz-id (slot uint))
  (+ (mod slot (if (> (var-get last-id) u0) (var-get last-id) u1)) u1))

(define-public (fuzz-propose (kind-slot uint) (value uint))
  (let ((choice (mod kind-slot u3)))
    (asserts! (< (var-get last-id) FUZZ_LIMIT) (err u9999))
    (propose (if (is-eq choice u0) "setting" (if (is-eq choice u1) "lv-allocation" "watchtower"))
             (unwrap-panic
               (if (is-eq choice u0)
                 (to-consensus-buff? {key: "max-fee-ppm", value: (mod value u1000001)})
                 (if (is-eq choice u1)
                   (to-consensus-buff? {infrastructure-bps: u2000, channel-bps: u5000, reserve-bps: u3000})
                   (to-consensus-buff? {add: true, pubkey: 0x021111111111111111111111111111111111111111111111111111111111111111,
                                        host: "tower.example:9911"}))))
             u"fuzz" 0x0000000000000000000000000000000000000000000000000000000000000000)))

(define-public (fuzz-cancel (slot uint)) (cancel (fuzz-id slot)))
(define-public (fuzz-conclude (slot uint)) (conclude (fuzz-id slot)))
(define-public (fuzz-release-bond (slot uint)) (release-bond (fuzz-id slot)))

;; ---- invariants

(define-private (add-escrowed (id uint) (sum uint))
  (match (map-get? proposals id)
    proposal (if (is-none (map-get? bonds-settled id)) (+ sum (get bond proposal)) sum)
    sum))

;; The GT proposals holds is exactly the bonds not yet settled, and a bond is settled at most once.
(define-read-only (invariant-escrow-is-unsettled-bonds)
  (and (<= (var-get last-id) FUZZ_LIMIT)
       (is-eq (unwrap-panic (contract-call? .gt-token get-balance current-contract)) (fold add-escrowed FUZZ_IDS u0))))

(define-private (count-open (id uint) (acc {who: principal, open: uint}))
  (match (map-get? proposals id)
    proposal (if (and (is-eq (get proposer proposal) (get who acc)) (is-none (map-get? outcomes id))
                      (is-none (map-get? cancellations id)))
               (merge acc {open: (+ (get open acc) u1)})
               acc)
    acc))

(define-private (open-count-matches (who principal) (ok-so-far bool))
  (and ok-so-far (is-eq (open-count who) (get open (fold count-open FUZZ_IDS {who: who, open: u0})))))

;; Each proposer's open count is the number of their proposals neither concluded nor cancelled.
(define-read-only (invariant-open-counts-match)
  (fold open-count-matches FUZZ_HOLDERS true))

(define-private (status-consistent (id uint) (ok-so-far bool))
  (and ok-so-far
       (if (> id (var-get last-id))
         (is-err (get-proposal-status id))
         (let ((status (unwrap-panic (get-proposal-status id))))
           (and (or (is-none (map-get? cancellations id)) (is-eq status "cancelled"))
                (or (is-none (map-get? applied id)) (is-eq status "executed") (is-eq status "vetoed"))
                (match (map-get? outcomes id)
                  outcome (or (get passed outcome) (is-eq status "defeated"))
                  true))))))

;; Every id up to last-id has a derived status matching its stored facts, and no other id has one.
(define-read-only (invariant-status-follows-facts)
  (fold status-consistent FUZZ_IDS true))

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
        (asserts! (is-err (propose "lv-allocation" payload u"fuzz" 0x0000000000000000000000000000000000000000000000000000000000000000))
                  (err u1))
        (asserts! (is-eq (var-get last-id) before) (err u2))
        (ok true)))))
