;; title: chain-actions
;; summary: Applies a passed chain action: the kinds the DAO carries out on-chain itself.
;; description:
;;   proposals calls `apply-action` once a passed chain action is due. Each kind is applied through the
;;   extension that owns its state, so adding a chain kind means adding a branch here (and its rules to
;;   action-validator), not editing proposals. The payload was validated by action-validator at propose, so
;;   decoding it again cannot fail; an application can still be refused by the state of now (for example a
;;   setting that the settings of now make inconsistent), and proposals records that refusal.
;; dependencies: lvdao-core (DAO guard), dao-settings, execution-queue, gt-token, lv-ledger, member-registry,
;;   guardian, treasury, action-validator (decodes vault-set and lv-pricing).

;; Errors (u2400-u2499)
;; The caller is neither lvdao-core nor an enabled extension.
(define-constant ERR_UNAUTHORIZED (err u2400))
;; The kind is not one this contract applies (contract-proposal runs through proposals.execute-proposal).
(define-constant ERR_NOT_A_CHAIN_KIND (err u2401))

(define-private (is-dao-or-extension)
  (ok (asserts! (or (is-eq tx-sender .lvdao-core) (contract-call? .lvdao-core is-extension contract-caller))
                ERR_UNAUTHORIZED)))

;; Applies one passed chain action; answers the owning contract's error when it refuses.
;; Caller: lvdao-core or an extension (proposals.conclude).
;; Events: those of the contract that applies it (setting-changed, relay-set, gt-minted, lv-allocation-set,
;;   attestor-set, guardian-set, treasury-transfer, vault-set, lv-pricing-set).
(define-public (apply-action (kind (string-ascii 24)) (payload (buff 2048)))
  (begin
    (try! (is-dao-or-extension))
    (if (is-eq kind "setting")
      (let ((action (unwrap-panic (from-consensus-buff? {key: (string-ascii 32), value: uint} payload))))
        (contract-call? .dao-settings set-setting (get key action) (get value action)))
    (if (is-eq kind "relay-set")
      (let ((action (unwrap-panic (from-consensus-buff? {relay: principal, enabled: bool} payload))))
        (contract-call? .execution-queue set-relay (get relay action) (get enabled action)))
    (if (is-eq kind "gt-grant")
      (let ((action (unwrap-panic (from-consensus-buff? {recipient: principal, amount: uint} payload))))
        (contract-call? .gt-token mint (get amount action) (get recipient action)))
    (if (is-eq kind "lv-allocation")
      (let ((action (unwrap-panic (from-consensus-buff? {infrastructure-bps: uint, channel-bps: uint,
                                                         reserve-bps: uint} payload))))
        (contract-call? .lv-ledger set-allocation (get infrastructure-bps action) (get channel-bps action)
                        (get reserve-bps action)))
    (if (is-eq kind "member-attestor")
      (let ((action (unwrap-panic (from-consensus-buff? {attestor: principal, enabled: bool} payload))))
        (contract-call? .member-registry set-attestor (get attestor action) (get enabled action)))
    (if (is-eq kind "guardian-set")
      (let ((action (unwrap-panic (from-consensus-buff? {guardian: principal, enabled: bool} payload))))
        (contract-call? .guardian set-guardian (get guardian action) (get enabled action)))
    (if (is-eq kind "treasury-transfer")
      (let ((action (unwrap-panic (from-consensus-buff? {recipient: principal, amount: uint} payload))))
        (contract-call? .treasury transfer-gt (get amount action) (get recipient action)))
    ;; the two widest tuples are decoded by action-validator, which states each type once for its rules too
    (if (is-eq kind "vault-set")
      (contract-call? .dao-settings set-vault
                      (unwrap-panic (contract-call? .action-validator decode-vault-set payload)))
    (if (is-eq kind "lv-pricing")
      (contract-call? .lv-ledger set-lv-pricing
                      (unwrap-panic (contract-call? .action-validator decode-lv-pricing payload)))
      ERR_NOT_A_CHAIN_KIND)))))))))))
