;; title: extension-trait
;; summary: An extension that asks lvdao-core to call it back as the DAO (request-extension-callback).
;; dependencies: none.
(define-trait extension-trait
  (
    ;; Called by lvdao-core with the requesting principal and a memo.
    (callback (principal (buff 34)) (response bool uint))
  )
)
