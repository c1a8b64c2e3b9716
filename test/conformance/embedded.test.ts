/** The ledger conformance suite against the embedded dev ledger (SQLite file in a temporary folder). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEmbeddedLedger } from '@hutong/ledger/embedded';
import { ledgerConformance } from './ledger-conformance';

const dir = mkdtempSync(join(tmpdir(), 'hutong-conformance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

ledgerConformance({
  name: 'embedded dev ledger',
  open: async () => newEmbeddedLedger({ path: join(dir, 'ledger.db') }),
  // Any MSP id can sign on the embedded ledger: joining is the chaincode's governance alone.
  withThirdOrg: async (backend) => backend,
});
