/**
 * Brings the ledger to the state a consortium file describes — members, issuers approved by every member, their
 * keys, recognition policies — doing only what is missing, so a second run changes nothing. A member the file adds
 * to an initialised ledger is admitted the way members are: proposed and approved by a majority of the active ones.
 */
import type { Consortium, Issuer, IssuerKey, MembershipProposal, Page, PublicJwk, RecognitionPolicy } from '@hutong/chaincode/domain';
import type { ConsortiumConfig } from '../config/consortium.js';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { LedgerError } from '@hutong/ledger';

export interface BootstrapReport {
  actions: string[];
}

async function orNotFound<T>(p: Promise<T>, codes: readonly string[]): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof LedgerError && codes.includes(e.code)) return undefined;
    throw e;
  }
}

export async function bootstrapLedger(
  backend: LedgerBackend,
  consortium: ConsortiumConfig,
  publicKeys: ReadonlyMap<string, PublicJwk>,
  now: Date = new Date(),
): Promise<BootstrapReport> {
  const actions: string[] = [];
  const admins = new Map<string, Ledger>();
  for (const org of consortium.orgs) admins.set(org.name, await backend.connect({ mspId: org.mspId, role: 'admin' }));
  const admin = (name: string) => admins.get(name) as Ledger;
  const mspOf = (name: string) => consortium.orgs.find((o) => o.name === name)?.mspId as string;
  const first = consortium.orgs[0]?.name as string;
  const validFrom = new Date(now.getTime() - 60_000).toISOString();
  try {
    const existing = await orNotFound(admin(first).evaluate<Consortium>('GetConsortium', {}), ['NOT_INITIALISED']);
    if (!existing) {
      await admin(first).submit('InitLedger', { members: consortium.orgs.map((o) => ({ mspId: o.mspId, jurisdiction: o.jurisdiction })) });
      actions.push('InitLedger');
    } else {
      await admitNewMembers(existing, consortium, admin, actions);
    }
    for (const spec of consortium.issuers) {
      const owner = admin(spec.org);
      let found = await orNotFound(owner.evaluate<{ issuer: Issuer; keys: IssuerKey[] }>('GetIssuer', { issuerId: spec.id }), ['ISSUER_NOT_FOUND']);
      if (!found) {
        await owner.submit('ProposeIssuer', { issuerId: spec.id, displayName: spec.displayName, ...(spec.displayNames ? { displayNames: spec.displayNames } : {}), credentialTypes: spec.credentialTypes });
        actions.push(`ProposeIssuer ${spec.id}`);
        found = await owner.evaluate<{ issuer: Issuer; keys: IssuerKey[] }>('GetIssuer', { issuerId: spec.id });
      }
      for (const org of consortium.orgs) {
        if (org.name === spec.org || found.issuer.state !== 'proposed' || found.issuer.approvals[org.mspId] !== undefined) continue;
        await admin(org.name).submit('ApproveIssuer', { issuerId: spec.id });
        actions.push(`ApproveIssuer ${spec.id} by ${org.mspId}`);
      }
      const jwk = publicKeys.get(`${spec.id}/${spec.kid}`);
      let key = found.keys.find((k) => k.kid === spec.kid);
      if (!key && jwk) {
        const validUntil = new Date(now.getTime() + 365 * 24 * 3600 * 1000).toISOString();
        key = (await owner.submit<IssuerKey>('ProposeIssuerKey', { issuerId: spec.id, kid: spec.kid, jwk, validFrom, validUntil })).result;
        actions.push(`ProposeIssuerKey ${spec.id}/${spec.kid}`);
      }
      for (const org of consortium.orgs) {
        if (!key || org.name === spec.org || key.state !== 'proposed' || key.approvals[org.mspId] !== undefined) continue;
        await admin(org.name).submit('ApproveIssuerKey', { issuerId: spec.id, kid: spec.kid });
        actions.push(`ApproveIssuerKey ${spec.id}/${spec.kid} by ${org.mspId}`);
      }
    }
    for (const p of consortium.policies) {
      const ledger = admin(p.org);
      const page = await ledger.evaluate<Page<RecognitionPolicy>>('GetRecognitionPolicies', { mspId: mspOf(p.org), pageSize: 1000 });
      if (page.items.some((x) => x.issuerId === p.issuerId && x.credentialType === p.credentialType)) continue;
      await ledger.submit('PutRecognitionPolicy', {
        issuerId: p.issuerId, credentialType: p.credentialType, statusMapping: p.statusMapping,
        acceptedStatuses: p.acceptedStatuses, maxAgeSeconds: p.maxAgeSeconds, validFrom,
      });
      actions.push(`PutRecognitionPolicy ${mspOf(p.org)} ← ${p.issuerId}/${p.credentialType}`);
    }
  } finally {
    for (const l of admins.values()) await l.close();
  }
  return { actions };
}

/** Proposes each organisation of the file that the ledger does not list, and approves it until a majority has. */
async function admitNewMembers(existing: Consortium, consortium: ConsortiumConfig, admin: (name: string) => Ledger, actions: string[]): Promise<void> {
  const active = consortium.orgs.filter((o) => existing.members.some((m) => m.mspId === o.mspId && (m.state ?? 'active') === 'active'));
  for (const org of consortium.orgs) {
    if (existing.members.some((m) => m.mspId === org.mspId)) continue;
    let proposal = await orNotFound(admin(active[0]!.name).evaluate<MembershipProposal>('GetMembershipProposal', { mspId: org.mspId }), ['PROPOSAL_NOT_FOUND']);
    if (proposal?.state !== 'open') {
      const names = org.displayNames ?? { en: org.displayName, pt: org.displayName, 'zh-Hans': org.displayName, 'zh-Hant': org.displayName };
      proposal = (await admin(active[0]!.name).submit<MembershipProposal>('ProposeMembershipChange', { action: 'add', mspId: org.mspId, jurisdiction: org.jurisdiction, displayNames: names })).result;
      actions.push(`ProposeMembershipChange add ${org.mspId}`);
    }
    for (const voter of active) {
      if (proposal.state !== 'open') break;
      if (proposal.approvals[voter.mspId] !== undefined) continue;
      proposal = (await admin(voter.name).submit<MembershipProposal>('ApproveMembershipChange', { mspId: org.mspId })).result;
      actions.push(`ApproveMembershipChange ${org.mspId} by ${voter.mspId}`);
    }
  }
}
