;; title: quadratic-voting
;; summary: Quadratic vote counting: casting v votes costs v^2 voice credits; credits are the GT delegated to the
;;   voter at the snapshot.
;; description:
;;   proposals registers each quadratic proposal here once (snapshot height, voting window, members-only),
;;   so a vote reads its proposal locally and makes one cross-contract call: gt-token.get-votes-held, which
;;   answers from the voter's newest votes checkpoint when its votes have not moved since the snapshot.
;;   Casting `votes` more on top of `prev` costs (prev+votes)^2 - prev^2, so a voter's credits spent are always
;;   their total votes squared: splitting a vote into many calls gains nothing. A voter cannot switch sides.
;;   Credits are the voter's delegated votes (gt-token: the GT of every holder delegating to it, its own GT
;;   while it has not delegated) held at both ends of the span from `held-from` (the block before propose) to
;;   the snapshot (`voting-delay` blocks later, so in the future when the proposal is made): GT bought,
;;   borrowed or delegated after the proposal, or sold or delegated away before the snapshot, gives no votes.
;;   Transfers and delegations after the snapshot change nothing. On members-only kinds the voter must be a
;;   member; the votes delegated to it count whoever delegated them (docs/delegation.md).
;;   `get-result` is the count: the pass rule (quorum, and strictly more than the pass share) applied to the
;;   tally, with the rule's parameters copied at registration; proposals reads it to conclude and for status.
;; dependencies: traits/counting-trait, lvdao-core (DAO guard), gt-token (get-votes-held),
;;   member-registry (is-member).

(impl-trait .counting-trait.counting-trait)

;; Errors (u1400-u1499)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1400))
;; No quadratic proposal has this id.
(define-constant ERR_UNKNOWN_PROPOSAL (err u1401))
;; The proposal is already registered.
(define-constant ERR_ALREADY_REGISTERED (err u1402))
;; The burn height is outside the proposal's voting window.
(define-constant ERR_NOT_ACTIVE (err u1403))
;; The number of votes is zero.
(define-constant ERR_ZERO_VOTES (err u1404))
;; The voter already voted on the other side.
(define-constant ERR_SIDE_SWITCH (err u1405))
;; The votes would cost more credits than the voter has.
(define-constant ERR_INSUFFICIENT_CREDITS (err u1406))
;; The proposal's kind is members-only and the voter is not a member.
(define-constant ERR_NOT_MEMBER (err u1407))
;; The voter had no delegated votes at held-from and the snapshot.
(define-constant ERR_NO_VOTING_POWER (err u1408))
;; The voting window is empty (end <= start).
(define-constant ERR_BAD_WINDOW (err u1409))

;; proposal id -> what the vote path needs, and the running tally
(define-map proposals uint {held-from: uint, snapshot-height: uint, start: uint, end: uint, members-only: bool,
                            quorum-votes: uint, pass-bps: uint, votes-for: uint, votes-against: uint, voters: uint})

(define-constant BPS u10000)

;; {id, voter} -> the voter's total votes, side and credits spent
(define-map votes {id: uint, voter: principal} {votes: uint, support: bool, credits-spent: uint})

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

;; Registers a quadratic proposal.
;; Caller: lvdao-core or an extension (proposals.propose).
;; Event: quadratic-registered.
(define-public (register-proposal (id uint) (held-from uint) (snapshot-height uint) (start uint) (end uint)
                                  (members-only bool) (quorum-votes uint) (pass-bps uint))
  (begin
    (try! (is-dao-or-extension))
    ;; Check that the window is not empty
    (asserts! (> end start) ERR_BAD_WINDOW)
    ;; Check that the proposal is registered once
    (asserts! (map-insert proposals id {held-from: held-from, snapshot-height: snapshot-height, start: start,
                                        end: end, members-only: members-only, quorum-votes: quorum-votes,
                                        pass-bps: pass-bps, votes-for: u0, votes-against: u0, voters: u0})
              ERR_ALREADY_REGISTERED)
    (print {topic: "quadratic-registered", id: id, held-from: held-from, snapshot-height: snapshot-height,
            start: start, end: end, members-only: members-only, quorum-votes: quorum-votes, pass-bps: pass-bps})
    (ok true)))

;; Casts `votes` more votes for or against proposal `id`, paying (prev+votes)^2 - prev^2 credits.
;; Caller: a delegate with votes at the snapshot (contract-caller), during the voting window.
;; Event: vote-cast.
(define-public (vote (id uint) (votes-cast uint) (support bool))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (voter contract-caller)
        (now burn-block-height)
        (previous (map-get? votes {id: id, voter: voter}))
        (prev (default-to u0 (get votes previous))))
    ;; Check that voting is open
    (asserts! (and (>= now (get start proposal)) (< now (get end proposal))) ERR_NOT_ACTIVE)
    ;; Check that the number of votes is positive
    (asserts! (> votes-cast u0) ERR_ZERO_VOTES)
    ;; Check that the voter stays on their side
    (asserts! (is-eq support (default-to support (get support previous))) ERR_SIDE_SWITCH)
    ;; Check that members-only kinds are voted by members
    (asserts! (or (not (get members-only proposal)) (contract-call? .member-registry is-member voter)) ERR_NOT_MEMBER)
    (let ((credits (try! (contract-call? .gt-token get-votes-held voter (get held-from proposal)
                                      (get snapshot-height proposal))))
          (total (+ prev votes-cast)))
      ;; Check that the voter had votes at the snapshot
      (asserts! (> credits u0) ERR_NO_VOTING_POWER)
      ;; Check that total^2 <= credits (compared through the integer square root, so it cannot overflow)
      (asserts! (<= total (sqrti credits)) ERR_INSUFFICIENT_CREDITS)
      (map-set votes {id: id, voter: voter} {votes: total, support: support, credits-spent: (* total total)})
      (map-set proposals id
        (merge proposal {votes-for: (if support (+ (get votes-for proposal) votes-cast) (get votes-for proposal)),
                         votes-against: (if support
                                          (get votes-against proposal)
                                          (+ (get votes-against proposal) votes-cast)),
                         voters: (if (is-none previous) (+ (get voters proposal) u1) (get voters proposal))}))
      (print {topic: "vote-cast", id: id, voter: voter, votes: votes-cast, support: support, total-votes: total,
              credits-spent: (* total total)})
      (ok total))))

(define-read-only (get-vote (id uint) (voter principal))
  (map-get? votes {id: id, voter: voter}))

;; The tally of a proposal (all zero for an unknown id).
(define-read-only (get-tally (id uint))
  (match (map-get? proposals id)
    proposal {votes-for: (get votes-for proposal), votes-against: (get votes-against proposal),
              voters: (get voters proposal)}
    {votes-for: u0, votes-against: u0, voters: u0}))

(define-read-only (get-proposal (id uint))
  (map-get? proposals id))

;; The count of proposal `id` on its tally now: it passes when votes-for + votes-against >= quorum-votes and
;; votes-for * 10000 > pass-bps * (votes-for + votes-against), strictly more than the pass share, so an exact tie
;; at 50% fails. The voting window is proposals' to check.
(define-read-only (get-result (id uint))
  (let ((proposal (unwrap! (map-get? proposals id) ERR_UNKNOWN_PROPOSAL))
        (votes-for (get votes-for proposal))
        (total (+ votes-for (get votes-against proposal))))
    (ok {passes: (and (> votes-for u0) (>= total (get quorum-votes proposal))
                      (> (* votes-for BPS) (* (get pass-bps proposal) total))),
         votes-for: votes-for, votes-against: (get votes-against proposal)})))
