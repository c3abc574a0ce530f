;; title: proposal-trait
;; summary: A contract that lvdao-core runs as the DAO (construct, execute).
;; dependencies: none.
(define-trait proposal-trait
  (
    ;; Runs the proposal with lvdao-core as tx-sender; `sender` is who asked the core to run it.
    (execute (principal) (response bool uint))
  )
)
