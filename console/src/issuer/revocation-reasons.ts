/** The chaincode's revocation reason codes (console/test/catalogue.test.ts holds this list equal to them). */
export const REVOCATION_REASONS = ['superseded', 'status-change', 'issued-in-error', 'fraud', 'key-compromise', 'other'] as const;
