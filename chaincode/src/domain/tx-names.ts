/** Every transaction of the `hutong` chaincode, PascalCase as Fabric clients call them. */
export const SUBMIT_TRANSACTIONS = [
  'InitLedger',
  'ProposeIssuer',
  'ApproveIssuer',
  'SuspendIssuer',
  'ResumeIssuer',
  'RetireIssuer',
  'ProposeIssuerKey',
  'ApproveIssuerKey',
  'RevokeIssuerKey',
  'PutRecognitionPolicy',
  'WithdrawRecognitionPolicy',
  'AnchorBatch',
  'RevokeCredential',
  'ProposeMembershipChange',
  'ApproveMembershipChange',
] as const;

export const EVALUATE_TRANSACTIONS = [
  'GetConsortium',
  'GetIssuer',
  'ListIssuers',
  'GetRecognitionPolicies',
  'GetAnchor',
  'ListAnchors',
  'GetRevocation',
  'ListRevocations',
  'GetHistory',
  'GetMembershipProposal',
] as const;

export type SubmitTxName = (typeof SUBMIT_TRANSACTIONS)[number];
export type EvaluateTxName = (typeof EVALUATE_TRANSACTIONS)[number];
export type TxName = SubmitTxName | EvaluateTxName;
