;; Rendezvous properties and invariants for member-registry (appended to the contract by `rv`).
;; Attestors are set by passed proposals, so wallet_1 and wallet_2 are made attestors here at deployment;
;; `fuzz-attest`/`fuzz-revoke` aim the real attest/revoke at the test accounts with sensible expiries, and rv
;; also calls every public function with raw random arguments.

(define-constant FUZZ_HOLDERS (list
  'ST1PQHQKV0RJXZFY1DGX8MNSNYVE3VGZJSRTPGZGM 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5
  'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC
  'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB
  'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ
  'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP 'STNHKEPYEPJ8ET55ZZ0M5A34J0R3N5FM2CMMMAZ6))

(map-set attestors 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5 {enabled: true, term: u1})
(map-set attestors 'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG {enabled: true, term: u1})

(define-private (fuzz-holder (slot uint))
  (unwrap-panic (element-at? FUZZ_HOLDERS (mod slot (len FUZZ_HOLDERS)))))

;; The real attest, for a test account, lasting 1 to 100 burn blocks (the fuzz profile allows 50).
(define-public (fuzz-attest (slot uint) (blocks uint))
  (attest (fuzz-holder slot) (+ burn-block-height u1 (mod blocks u100))))

(define-public (fuzz-revoke (slot uint))
  (revoke (fuzz-holder slot)))

;; set-attestor as the DAO would call it: member-registry is an enabled extension after the bootstrap, so
;; as-contract? passes the DAO guard.
(define-public (fuzz-set-attestor (slot uint) (enabled bool))
  (as-contract? () (try! (set-attestor (fuzz-holder slot) enabled))))

;; ---- invariants

(define-private (membership-is-backed (who principal) (ok-so-far bool))
  (and ok-so-far
       (is-eq (is-member who)
              (match (map-get? members who)
                entry (let ((attestor (attestor-of (get attestor entry))))
                        (and (> (get expires entry) burn-block-height) (get enabled attestor)
                             (is-eq (get term attestor) (get term entry))))
                false))))

;; A member holds an unexpired attestation from an attestor that is still enabled and has not been disabled
;; since (re-enabling starts a new term), and nobody else is one.
(define-read-only (invariant-members-are-backed)
  (fold membership-is-backed FUZZ_HOLDERS true))

(define-private (attestation-well-formed (who principal) (ok-so-far bool))
  (and ok-so-far
       (match (map-get? members who)
         entry (and (> (get expires entry) (get attested-at entry))
                    (<= (get attested-at entry) burn-block-height)
                    (<= (- (get expires entry) (get attested-at entry))
                        (unwrap-panic (contract-call? .dao-settings get-setting "max-attestation"))))
         true)))

;; Every stored attestation was made in the past, expires after it was made and lasts at most max-attestation.
(define-read-only (invariant-attestations-well-formed)
  (fold attestation-well-formed FUZZ_HOLDERS true))

;; ---- properties

;; An attestation makes a member, and a revocation ends it.
(define-public (test-attest-then-revoke (slot uint) (blocks uint))
  (let ((member (fuzz-holder slot)))
    (if (or (not (is-attestor contract-caller))
            (match (map-get? members member)
              entry (and (is-live entry) (not (is-eq (get attestor entry) contract-caller)))
              false))
      (ok false)
      (begin
        (try! (attest member (+ burn-block-height u1 (mod blocks u50))))
        (asserts! (is-member member) (err u1))
        (try! (revoke member))
        (asserts! (not (is-member member)) (err u2))
        (ok true)))))

;; Only an attestor can attest.
(define-public (test-non-attestor-refused (slot uint))
  (if (is-attestor contract-caller)
    (ok false)
    (begin
      (asserts! (is-eq (attest (fuzz-holder slot) (+ burn-block-height u10)) ERR_NOT_ATTESTOR) (err u1))
      (ok true))))

;; An expiry at or before now is refused.
(define-public (test-past-expiry-refused (slot uint) (back uint))
  (if (not (is-attestor contract-caller))
    (ok false)
    (begin
      (asserts! (is-eq (attest (fuzz-holder slot) (- burn-block-height (mod back (+ burn-block-height u1))))
                       ERR_EXPIRY_IN_PAST)
                (err u1))
      (ok true))))
