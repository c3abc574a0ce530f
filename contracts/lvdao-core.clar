;; title: lvdao-core
;; summary: The DAO itself: runs proposals and keeps the list of enabled extensions. Nothing more.
;; description:
;;   Every other lvdao contract is an extension. An extension's privileged functions accept calls from the
;;   core (tx-sender is the core while it runs a proposal) or from another enabled extension. Proposals run
;;   inside `as-contract?` with no asset allowances, so a proposal cannot move anything the core holds.
;; dependencies: traits/proposal-trait, traits/extension-trait.

(use-trait proposal-trait .proposal-trait.proposal-trait)
(use-trait extension-trait .extension-trait.extension-trait)

;; Errors (u1000-u1099)
;; The caller is neither the core itself nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u1000))
;; This proposal contract has already been executed.
(define-constant ERR_ALREADY_EXECUTED (err u1001))
;; `construct` has already run.
(define-constant ERR_ALREADY_CONSTRUCTED (err u1002))
;; Only the deployer may call `construct`.
(define-constant ERR_NOT_DEPLOYER (err u1003))
;; An extension asked for a callback to a contract other than itself.
(define-constant ERR_INVALID_EXTENSION (err u1004))

(define-constant DEPLOYER tx-sender)

(define-data-var constructed bool false)

;; proposal contract -> the Stacks height it was executed at
(define-map executed-proposals principal uint)

;; extension contract -> enabled
(define-map extensions principal bool)

(define-private (is-self-or-extension)
  (ok (asserts! (or (is-eq tx-sender current-contract) (is-extension contract-caller)) ERR_UNAUTHORIZED)))

;; Runs `proposal` once, as the DAO, with no asset allowances.
(define-private (run (proposal <proposal-trait>) (sender principal))
  (begin
    ;; Check that this proposal contract never ran before
    (asserts! (map-insert executed-proposals (contract-of proposal) stacks-block-height) ERR_ALREADY_EXECUTED)
    (print {topic: "dao-executed", proposal: (contract-of proposal), sender: sender})
    (as-contract? () (try! (contract-call? proposal execute sender)))))

;; Enables or disables an extension.
;; Caller: the core (a running proposal) or an enabled extension.
;; Event: extension-set.
(define-public (set-extension (extension principal) (enabled bool))
  (begin
    (try! (is-self-or-extension))
    (map-set extensions extension enabled)
    (print {topic: "extension-set", extension: extension, enabled: enabled})
    (ok true)))

;; Runs a proposal contract as the DAO.
;; Caller: the core (a running proposal) or an enabled extension.
;; Event: dao-executed.
(define-public (execute (proposal <proposal-trait>) (sender principal))
  (begin
    (try! (is-self-or-extension))
    (run proposal sender)))

;; One-shot bootstrap: runs the first proposal, which enables the extensions and sets the initial state.
;; Caller: the deployer, once.
;; Events: dao-constructed, dao-executed.
(define-public (construct (proposal <proposal-trait>))
  (begin
    ;; Check that the deployer calls, directly
    (asserts! (is-eq contract-caller DEPLOYER) ERR_NOT_DEPLOYER)
    ;; Check that the DAO is constructed only once
    (asserts! (not (var-get constructed)) ERR_ALREADY_CONSTRUCTED)
    (var-set constructed true)
    (print {topic: "dao-constructed", proposal: (contract-of proposal)})
    (run proposal contract-caller)))

;; Lets an enabled extension be called back with the core as tx-sender.
;; Caller: an enabled extension, asking for a callback to itself.
;; Event: extension-callback.
(define-public (request-extension-callback (extension <extension-trait>) (memo (buff 34)))
  (let ((sender tx-sender))
    ;; Check that the caller is an enabled extension
    (asserts! (is-extension contract-caller) ERR_UNAUTHORIZED)
    ;; Check that the extension asks for a callback to itself
    (asserts! (is-eq contract-caller (contract-of extension)) ERR_INVALID_EXTENSION)
    (print {topic: "extension-callback", extension: contract-caller, sender: sender, memo: memo})
    (as-contract? () (try! (contract-call? extension callback sender memo)))))

(define-read-only (is-extension (extension principal))
  (default-to false (map-get? extensions extension)))

(define-read-only (executed-at (proposal principal))
  (map-get? executed-proposals proposal))

(define-read-only (is-constructed)
  (var-get constructed))
