;; title: lvdao-bootstrap-production
;; summary: The testnet and mainnet bootstrap proposal. It names no account: the deployer configures it on-chain
;;   (GT grants, relays, guardians, veto quorum, sunset) between publishing and lvdao-core.construct, so every
;;   value is a visible transaction, and construct applies exactly that and seals it.
;; description:
;;   `npm run deploy:plan` turns a deployer's params file into the configure calls of the plan (docs/deploy.md).
;;   Only the deployer of this contract may configure it, and only before it has run; `execute` runs once, called
;;   by lvdao-core (construct), and refuses to run unconfigured (`seal` first), so a construct can never apply a
;;   half-written configuration. Unlike the devnet bootstrap (contracts/lvdao-bootstrap.clar) it mints nothing and
;;   enables no relay or guardian that the deployer did not name.
;; dependencies: lvdao-core and every extension.

(impl-trait .proposal-trait.proposal-trait)

;; Errors (u2200-u2299)
;; Only the deployer of this contract may configure it.
(define-constant ERR_NOT_DEPLOYER (err u2201))
;; The bootstrap is sealed (or has run): its configuration can no longer change.
(define-constant ERR_SEALED (err u2202))
;; A list is full (50 grants, 10 relays, 16 guardians).
(define-constant ERR_TOO_MANY (err u2203))
;; execute was called before the deployer sealed the configuration.
(define-constant ERR_NOT_SEALED (err u2204))
;; The value is out of range (a zero grant, a veto quorum of 0 or above the guardian count, a sunset of 0).
(define-constant ERR_BAD_VALUE (err u2205))

(define-constant DEPLOYER tx-sender)

(define-data-var sealed bool false)
(define-data-var executed bool false)
(define-data-var grants (list 50 {recipient: principal, amount: uint}) (list))
(define-data-var relays (list 10 principal) (list))
(define-data-var guardians (list 16 principal) (list))
(define-data-var veto-quorum uint u1)
(define-data-var sunset-after uint u52560) ;; burn blocks after construct, about one year

(define-private (configurable)
  (begin
    ;; Check that the deployer configures
    (asserts! (is-eq contract-caller DEPLOYER) ERR_NOT_DEPLOYER)
    ;; Check that the configuration is still open
    (asserts! (not (var-get sealed)) ERR_SEALED)
    (ok true)))

;; Adds a GT grant minted at construct. Caller: the deployer, before seal.
(define-public (add-grant (recipient principal) (amount uint))
  (begin
    (try! (configurable))
    ;; Check that the grant is not zero
    (asserts! (> amount u0) ERR_BAD_VALUE)
    (var-set grants (unwrap! (as-max-len? (append (var-get grants) {recipient: recipient, amount: amount}) u50)
                             ERR_TOO_MANY))
    (ok true)))

;; Adds a relay enabled in execution-queue at construct. Caller: the deployer, before seal.
(define-public (add-relay (who principal))
  (begin
    (try! (configurable))
    (var-set relays (unwrap! (as-max-len? (append (var-get relays) who) u10) ERR_TOO_MANY))
    (ok true)))

;; Adds a guardian enabled at construct. Caller: the deployer, before seal.
(define-public (add-guardian (who principal))
  (begin
    (try! (configurable))
    (var-set guardians (unwrap! (as-max-len? (append (var-get guardians) who) u16) ERR_TOO_MANY))
    (ok true)))

;; Sets the guardians' veto quorum and how many burn blocks after construct guardian powers end.
;; Caller: the deployer, before seal.
(define-public (set-guardian-terms (quorum uint) (sunset-blocks uint))
  (begin
    (try! (configurable))
    ;; Check that the quorum is reachable and the sunset is in the future
    (asserts! (and (> quorum u0) (> sunset-blocks u0)) ERR_BAD_VALUE)
    (var-set veto-quorum quorum)
    (var-set sunset-after sunset-blocks)
    (ok true)))

;; Freezes the configuration; construct may run it from now on. Caller: the deployer.
;; Event: bootstrap-sealed.
(define-public (seal)
  (begin
    (try! (configurable))
    ;; Check that the guardians can reach the quorum
    (asserts! (or (is-eq (len (var-get guardians)) u0) (<= (var-get veto-quorum) (len (var-get guardians))))
              ERR_BAD_VALUE)
    (var-set sealed true)
    (print {topic: "bootstrap-sealed", grants: (var-get grants), relays: (var-get relays),
            guardians: (var-get guardians), veto-quorum: (var-get veto-quorum), sunset-after: (var-get sunset-after)})
    (ok true)))

(define-read-only (get-configuration)
  {sealed: (var-get sealed), executed: (var-get executed), grants: (var-get grants), relays: (var-get relays),
   guardians: (var-get guardians), veto-quorum: (var-get veto-quorum), sunset-after: (var-get sunset-after)})

(define-private (mint-grant (grant {recipient: principal, amount: uint}) (prior (response bool uint)))
  (begin (try! prior) (contract-call? .gt-token mint (get amount grant) (get recipient grant))))

(define-private (enable-relay (who principal) (prior (response bool uint)))
  (begin (try! prior) (contract-call? .execution-queue set-relay who true)))

(define-private (enable-guardian (who principal) (prior (response bool uint)))
  (begin (try! prior) (contract-call? .guardian set-guardian who true)))

;; Caller: lvdao-core (construct), as the DAO, once, after seal.
;; Events: extension-set (x10), gt-minted, relay-set, guardian-set (one per configured entry), setting-changed (x2),
;;   dao-bootstrapped.
(define-public (execute (sender principal))
  (begin
    ;; Check that the deployer sealed the configuration and that it runs once
    (asserts! (and (var-get sealed) (not (var-get executed))) ERR_NOT_SEALED)
    (var-set executed true)
    (try! (contract-call? .lvdao-core set-extension .dao-settings true))
    (try! (contract-call? .lvdao-core set-extension .gt-token true))
    (try! (contract-call? .lvdao-core set-extension .proposals true))
    (try! (contract-call? .lvdao-core set-extension .quadratic-voting true))
    (try! (contract-call? .lvdao-core set-extension .conviction-voting true))
    (try! (contract-call? .lvdao-core set-extension .execution-queue true))
    (try! (contract-call? .lvdao-core set-extension .liquidity-oracle true))
    (try! (contract-call? .lvdao-core set-extension .lv-ledger true))
    (try! (contract-call? .lvdao-core set-extension .guardian true))
    (try! (contract-call? .lvdao-core set-extension .member-registry true))
    (try! (contract-call? .lvdao-core set-extension .treasury true))
    (try! (contract-call? .lvdao-core set-extension .chain-actions true))
    (try! (fold mint-grant (var-get grants) (ok true)))
    (try! (fold enable-relay (var-get relays) (ok true)))
    (try! (fold enable-guardian (var-get guardians) (ok true)))
    (try! (contract-call? .dao-settings set-setting "veto-quorum" (var-get veto-quorum)))
    (try! (contract-call? .dao-settings set-setting "guardian-sunset" (+ burn-block-height (var-get sunset-after))))
    (print {topic: "dao-bootstrapped", sender: sender, grants: (len (var-get grants)), relays: (len (var-get relays)),
            guardians: (len (var-get guardians))})
    (ok true)))
