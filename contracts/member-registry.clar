;; title: member-registry
;; summary: Attested membership, the optional sybil resistance for quadratic votes on members-only kinds.
;; description:
;;   Attestors are enabled and disabled by passed `member-attestor` proposals (`set-attestor`, DAO guard).
;;   An enabled attestor attests a member until an expiry burn height at most `max-attestation` burn blocks
;;   ahead, and any enabled attestor may revoke. A member attested by one attestor cannot be re-attested by
;;   another while that attestation is live: only its own attestor renews it.
;;   A membership counts only while it has not expired and the attestor that granted it is still enabled in
;;   the same term: every enabling of an attestor starts a new term, and an attestation counts only in the term
;;   it was made in. So disabling a compromised attestor voids every attestation it made, for good; enabling it
;;   again does not revive them.
;; dependencies: lvdao-core (DAO guard), dao-settings (max-attestation).

;; Errors (u2000-u2099)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u2000))
;; The caller is not an enabled attestor.
(define-constant ERR_NOT_ATTESTOR (err u2001))
;; The expiry burn height is not in the future.
(define-constant ERR_EXPIRY_IN_PAST (err u2002))
;; The principal has no attestation to revoke.
(define-constant ERR_NOT_MEMBER (err u2003))
;; The member holds a live attestation from another attestor.
(define-constant ERR_ATTESTED_BY_OTHER (err u2004))
;; The expiry lies more than `max-attestation` burn blocks ahead.
(define-constant ERR_EXPIRY_TOO_LONG (err u2005))

;; attestor -> {enabled, term}; term counts the times the attestor was enabled
(define-map attestors principal {enabled: bool, term: uint})

;; member -> the attestation in force; expires is a burn height (the membership ends at it)
(define-map members principal {attestor: principal, term: uint, expires: uint, attested-at: uint})

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

(define-private (attestor-of (who principal))
  (default-to {enabled: false, term: u0} (map-get? attestors who)))

;; True while the attestation counts: not expired, and its attestor is enabled in the term it attested in.
(define-private (is-live (entry {attestor: principal, term: uint, expires: uint, attested-at: uint}))
  (let ((attestor (attestor-of (get attestor entry))))
    (and (> (get expires entry) burn-block-height)
         (get enabled attestor)
         (is-eq (get term attestor) (get term entry)))))

;; Enables or disables an attestor. Enabling a disabled attestor starts a new term.
;; Caller: lvdao-core or an extension (proposals applies a passed `member-attestor` proposal).
;; Event: attestor-set.
(define-public (set-attestor (attestor principal) (enabled bool))
  (let ((current (attestor-of attestor))
        (term (if (and enabled (not (get enabled current))) (+ (get term current) u1) (get term current))))
    (try! (is-dao-or-extension))
    (map-set attestors attestor {enabled: enabled, term: term})
    (print {topic: "attestor-set", attestor: attestor, enabled: enabled, term: term})
    (ok true)))

;; Attests `member` until burn height `expires`, replacing an earlier attestation that is its own or no longer live.
;; Caller: an enabled attestor (as contract-caller).
;; Event: member-attested.
(define-public (attest (member principal) (expires uint))
  (let ((attestor contract-caller)
        (term (get term (attestor-of attestor))))
    ;; Check that the caller is an enabled attestor
    (asserts! (is-attestor attestor) ERR_NOT_ATTESTOR)
    ;; Check that the membership would last at least one burn block
    (asserts! (> expires burn-block-height) ERR_EXPIRY_IN_PAST)
    ;; Check that the membership lasts no longer than the DAO allows
    (asserts! (<= (- expires burn-block-height)
                  (unwrap-panic (contract-call? .dao-settings get-setting "max-attestation")))
              ERR_EXPIRY_TOO_LONG)
    ;; Check that no other attestor's live attestation is overwritten
    (asserts! (match (map-get? members member)
                entry (or (is-eq (get attestor entry) attestor) (not (is-live entry)))
                true)
              ERR_ATTESTED_BY_OTHER)
    (map-set members member {attestor: attestor, term: term, expires: expires, attested-at: burn-block-height})
    (print {topic: "member-attested", member: member, attestor: attestor, expires: expires})
    (ok true)))

;; Ends `member`'s membership now.
;; Caller: an enabled attestor (any, not only the one that attested).
;; Event: member-revoked.
(define-public (revoke (member principal))
  (let ((attestor contract-caller))
    ;; Check that the caller is an enabled attestor
    (asserts! (is-attestor attestor) ERR_NOT_ATTESTOR)
    ;; Check that there is an attestation to revoke
    (asserts! (map-delete members member) ERR_NOT_MEMBER)
    (print {topic: "member-revoked", member: member, attestor: attestor})
    (ok true)))

;; True while `who` holds an unexpired attestation from an attestor enabled in the term it attested in.
(define-read-only (is-member (who principal))
  (match (map-get? members who) entry (is-live entry) false))

(define-read-only (is-attestor (who principal))
  (get enabled (attestor-of who)))

;; The stored attestation, expired or not.
(define-read-only (get-member (who principal))
  (map-get? members who))

;; The attestor's state: enabled, and its term (the number of times it was enabled).
(define-read-only (get-attestor (who principal))
  (attestor-of who))
