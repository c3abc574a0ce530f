;; title: lvdao-bootstrap
;; summary: The simnet and devnet bootstrap proposal, run once through lvdao-core.construct by the deployment
;;   plan right after the contracts are published, so every test and every devnet start begins from the same
;;   state (docs/design.md).
;; description:
;;   Enables every extension; mints 1,000,000 GT (10^12 base units) to each of wallet_1..wallet_4 and
;;   100,000 GT to wallet_5 of settings/Devnet.toml; makes wallet_6 the relay and wallet_7, wallet_8 the
;;   guardians (veto-quorum 2); sets the guardian sunset one year (52,560 burn blocks) ahead.
;;   The addresses are Clarinet's public devnet test accounts. Testnet and mainnet use their own bootstrap.
;; dependencies: lvdao-core and every extension.

(impl-trait .proposal-trait.proposal-trait)

(define-constant WALLET_1 'ST1SJ3DTE5DN7X54YDH5D64R3BCB6A2AG2ZQ8YPD5)
(define-constant WALLET_2 'ST2CY5V39NHDPWSXMW9QDT3HC3GD6Q6XX4CFRK9AG)
(define-constant WALLET_3 'ST2JHG361ZXG51QTKY2NQCVBPPRRE2KZB1HR05NNC)
(define-constant WALLET_4 'ST2NEB84ASENDXKYGJPQW86YXQCEFEX2ZQPG87ND)
(define-constant WALLET_5 'ST2REHHS5J3CERCRBEPMGH7921Q6PYKAADT7JP2VB)
(define-constant WALLET_6 'ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0)
(define-constant WALLET_7 'ST3PF13W7Z0RRM42A8VZRVFQ75SV1K26RXEP8YGKJ)
(define-constant WALLET_8 'ST3NBRSFKX28FQ2ZJ1MAKX58HKHSDGNV5N7R21XCP)

(define-constant GT_1M u1000000000000)   ;; 1,000,000 GT in base units (6 decimals)
(define-constant GT_100K u100000000000)  ;; 100,000 GT
(define-constant SUNSET_AFTER u52560)    ;; burn blocks, about one year

;; Caller: lvdao-core (construct), as the DAO.
;; Events: extension-set (x12), gt-minted (x5), relay-set, guardian-set (x2), setting-changed (x2), dao-bootstrapped.
(define-public (execute (sender principal))
  (begin
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
    (try! (contract-call? .gt-token mint GT_1M WALLET_1))
    (try! (contract-call? .gt-token mint GT_1M WALLET_2))
    (try! (contract-call? .gt-token mint GT_1M WALLET_3))
    (try! (contract-call? .gt-token mint GT_1M WALLET_4))
    (try! (contract-call? .gt-token mint GT_100K WALLET_5))
    (try! (contract-call? .execution-queue set-relay WALLET_6 true))
    (try! (contract-call? .guardian set-guardian WALLET_7 true))
    (try! (contract-call? .guardian set-guardian WALLET_8 true))
    (try! (contract-call? .dao-settings set-setting "veto-quorum" u2))
    (try! (contract-call? .dao-settings set-setting "guardian-sunset" (+ burn-block-height SUNSET_AFTER)))
    (print {topic: "dao-bootstrapped", sender: sender})
    (ok true)))
