/**
 * Ready for clients means a client's first transaction can be endorsed. fabric-gateway finds endorsers through
 * discovery, which knows the other organisations' peers only once gossip has spread their membership and chaincode
 * (a fraction of a second to a few seconds after the anchor peers are set); until then it fails with
 * "no combination of peers". So `up` ends by endorsing — never submitting — a read through every organisation's peer,
 * addressed to every organisation, until each organisation's peer has answered: with a result, or (on a ledger not yet
 * initialised) with the chaincode's own error. A chaincode error from the local peer alone proves nothing: the
 * gateway stops at the first failing endorser.
 */
import { parseChaincodeErrorCode } from '@hutong/chaincode/domain';
import { LedgerError } from '@hutong/ledger';
import { newGatewayConnection, newGrpcClient, toLedgerError } from '@hutong/ledger/fabric';
import { connectionProfile } from './connection-profile.js';
import { NetworkError } from './network-error.js';
import { CHAINCODE, CHANNEL, type NetworkPlan } from './network-plan.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function awaitEndorsers(plan: NetworkPlan, timeoutMs = 30_000): Promise<void> {
  await Promise.all(plan.orgs.map(async (org) => {
    const profile = connectionProfile(org);
    const client = newGrpcClient(profile.peers[0]!);
    const gateway = newGatewayConnection(profile, 'admin', client);
    const deadline = Date.now() + timeoutMs;
    let last: LedgerError | undefined;
    try {
      const contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
      const everyOrg = plan.orgs.map((o) => o.mspId);
      while (Date.now() < deadline) {
        try {
          await contract.newProposal('GetConsortium', { arguments: ['{}'], endorsingOrganizations: everyOrg }).endorse({ deadline: new Date(Date.now() + 5000) });
          return;
        } catch (e) {
          last = toLedgerError(e);
          const answered = new Set((last.details?.peers ?? []).filter((p) => parseChaincodeErrorCode(p.message) !== undefined).map((p) => p.mspId));
          if (everyOrg.every((m) => answered.has(m))) return;
        }
        await sleep(100);
      }
      throw new NetworkError('NOT_READY', `${org.mspId}'s peer cannot find endorsers for ${CHAINCODE} after ${timeoutMs} ms: ${last?.message ?? 'no answer'}`);
    } finally {
      gateway.close();
      client.close();
    }
  }));
}
