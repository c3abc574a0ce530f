;; title: counting-trait
;; summary: A vote-counting module: it answers one result per proposal, the same way for conclude and status.
;; dependencies: none.
(define-trait counting-trait
  (
    ;; The count of proposal `id` now: whether it passes, and the two figures it is decided on (quadratic: votes
    ;; for and against; conviction: the conviction and the threshold).
    (get-result (uint) (response {passes: bool, votes-for: uint, votes-against: uint} uint))
  )
)
