;; title: member-registry
;; summary: Attested membership, the optional sybil resistance for quadratic votes on members-only kinds.
;; description:
;;   Attestors are enabled and disabled by passed `member-attestor` proposals (`set-attestor`, DAO guard).
;;   An enabled attestor attests a member until an expiry burn height, and any enabled attestor may revoke.
;;   A membership counts only while it has not expired and the attestor that granted it is still enabled,
;;   so disabling a compromised attestor voids every attestation it made in one step.
;; dependencies: lvdao-core (DAO guard).

;; Errors (u2000-u2099)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u2000))
;; The caller is not an enabled attestor.
(define-constant ERR_NOT_ATTESTOR (err u2001))
;; The expiry burn height is not in the future.
(define-constant ERR_EXPIRY_IN_PAST (err u2002))
;; The principal has no attestation to revoke.
(define-constant ERR_NOT_MEMBER (err u2003))

;; attestor -> enabled
(define-map attestors principal bool)

;; member -> the attestation in force; expires is a burn height (the membership ends at it)
(define-map members principal {attestor: principal, expires: uint, attested-at: uint})

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

;; Enables or disables an attestor.
;; Caller: lvdao-core or an extension (proposals applies a passed `member-attestor` proposal).
;; Event: attestor-set.
(define-public (set-attestor (attestor principal) (enabled bool))
  (begin
    (try! (is-dao-or-extension))
    (map-set attestors attestor enabled)
    (print {topic: "attestor-set", attestor: attestor, enabled: enabled})
    (ok true)))

;; Attests `member` until burn height `expires`, replacing any earlier attestation.
;; Caller: an enabled attestor (as contract-caller).
;; Event: member-attested.
(define-public (attest (member principal) (expires uint))
  (let ((attestor contract-caller))
    ;; Check that the caller is an enabled attestor
    (asserts! (is-attestor attestor) ERR_NOT_ATTESTOR)
    ;; Check that the membership would last at least one burn block
    (asserts! (> expires burn-block-height) ERR_EXPIRY_IN_PAST)
    (map-set members member {attestor: attestor, expires: expires, attested-at: burn-block-height})
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

;; True while `who` holds an unexpired attestation from an attestor that is still enabled.
(define-read-only (is-member (who principal))
  (match (map-get? members who)
    entry (and (> (get expires entry) burn-block-height) (is-attestor (get attestor entry)))
    false))

(define-read-only (is-attestor (who principal))
  (default-to false (map-get? attestors who)))

;; The stored attestation, expired or not.
(define-read-only (get-member (who principal))
  (map-get? members who))
