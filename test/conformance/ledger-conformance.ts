/**
 * The ledger conformance suite: every transaction, every query, every access-control rule in both directions and
 * every reachable error code, run through the `LedgerBackend` interface. Any backend (the embedded dev ledger, a real
 * Fabric network) must pass it unchanged. Tests use unique ids so that the suite can share one ledger.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { CHAINCODE_ERROR_CODES, EVALUATE_TRANSACTIONS, SUBMIT_TRANSACTIONS } from '@hutong/chaincode/domain';
import type { Anchor, Consortium, Issuer, IssuerKey, LedgerEventPayload, Page, RecognitionPolicy, Revocation, TxName } from '@hutong/chaincode/domain';
import type { EventCheckpoint, Ledger, LedgerBackend, LedgerEvent, LedgerIdentity } from '@hutong/ledger';
import { inclusionProof, merkleRoot } from '@hutong/verifier-sdk/issuer';

export interface ConformanceTarget {
  name: string;
  /** A fresh, never-initialised ledger with the two demo organisations on the channel. */
  open(): Promise<LedgerBackend>;
  /** Extra time for one test on slow backends. */
  timeoutMs?: number;
  /**
   * Puts a third organisation, HongKongMSP, where it can sign transactions (on Fabric: `add-org hongkong`, the channel
   * and chaincode side of joining) and returns a backend that connects as any of the three. Membership in the
   * consortium itself is then up to the chaincode's governance, which the suite exercises.
   */
  withThirdOrg(backend: LedgerBackend): Promise<LedgerBackend>;
}

const GD = 'GuangdongMSP';
const MO = 'MacauMSP';
const HK = 'HongKongMSP';
const HK_NAMES = { en: 'Hong Kong', pt: 'Hong Kong', 'zh-Hans': '香港', 'zh-Hant': '香港' };
const MEMBERS = [
  { mspId: GD, jurisdiction: 'guangdong' },
  { mspId: MO, jurisdiction: 'macau' },
];
const HOUR = 3600_000;

/** Codes the suite cannot provoke, with the reason. */
export const CODES_NOT_REACHABLE = {
  INTERNAL: 'only raised for an unexpected exception inside the chaincode',
} as const;

export function ledgerConformance(target: ConformanceTarget): void {
  describe(`ledger conformance: ${target.name}`, () => {
    let backend: LedgerBackend;
    const ledgers = new Map<string, Ledger>();
    const seenCodes = new Set<string>();
    const calledTx = new Set<string>();

    async function as(mspId: string, role: LedgerIdentity['role']): Promise<Ledger> {
      const k = `${mspId}/${role}`;
      let l = ledgers.get(k);
      if (!l) {
        l = await backend.connect({ mspId, role });
        ledgers.set(k, l);
      }
      return l;
    }
    const gdAdmin = () => as(GD, 'admin');
    const gdClient = () => as(GD, 'client');
    const moAdmin = () => as(MO, 'admin');
    const moClient = () => as(MO, 'client');
    const outsider = () => as('OutsiderMSP', 'admin');

    async function submit<T>(who: Promise<Ledger>, tx: TxName, input: unknown): Promise<T> {
      calledTx.add(tx);
      return (await (await who).submit<T>(tx, input)).result;
    }
    async function evaluate<T>(who: Promise<Ledger>, tx: TxName, input: unknown): Promise<T> {
      calledTx.add(tx);
      return (await who).evaluate<T>(tx, input);
    }
    async function expectCode(call: Promise<unknown>, code: string): Promise<void> {
      let error: unknown;
      try {
        await call;
      } catch (e) {
        error = e;
      }
      expect(error).toBeDefined();
      expect((error as { code?: string }).code).toBe(code);
      seenCodes.add(code);
    }
    function submitCall(who: Promise<Ledger>, tx: TxName, input: unknown): Promise<unknown> {
      calledTx.add(tx);
      return who.then((l) => l.submit(tx, input));
    }
    function evaluateCall(who: Promise<Ledger>, tx: TxName, input: unknown): Promise<unknown> {
      calledTx.add(tx);
      return who.then((l) => l.evaluate(tx, input));
    }

    const uid = () => randomBytes(4).toString('hex');
    const hex = () => randomBytes(32).toString('hex');
    const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
    function ecJwk(): Record<string, unknown> {
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    }
    function edJwk(): Record<string, unknown> {
      return generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
    }

    async function proposedIssuer(owner: 'GD' | 'MO' = 'GD', types = ['health-code']): Promise<string> {
      const id = `${owner.toLowerCase()}-${uid()}`;
      await submit(owner === 'GD' ? gdAdmin() : moAdmin(), 'ProposeIssuer', { issuerId: id, displayName: `Test issuer ${owner}`, credentialTypes: types });
      return id;
    }
    async function activeIssuer(owner: 'GD' | 'MO' = 'GD', types = ['health-code']): Promise<{ id: string; kid: string }> {
      const id = await proposedIssuer(owner, types);
      const [ownerAdmin, otherAdmin] = owner === 'GD' ? [gdAdmin(), moAdmin()] : [moAdmin(), gdAdmin()];
      await submit(otherAdmin, 'ApproveIssuer', { issuerId: id });
      const kid = `k-${uid()}`;
      await submit(ownerAdmin, 'ProposeIssuerKey', { issuerId: id, kid, jwk: ecJwk(), validFrom: iso(-HOUR), validUntil: iso(365 * 24 * HOUR) });
      await submit(otherAdmin, 'ApproveIssuerKey', { issuerId: id, kid });
      return { id, kid };
    }

    /** Events of one transaction, read from the start of the chain (the suite's ledgers are small). */
    async function eventsOf(txId: string): Promise<LedgerEvent[]> {
      const l = await gdClient();
      const controller = new AbortController();
      const found: LedgerEvent[] = [];
      const height = await l.height();
      const deadline = Date.now() + 10_000;
      try {
        for await (const event of l.events(undefined, controller.signal)) {
          if (event.txId === txId) found.push(event);
          if (event.blockNumber >= height - 1 && found.length > 0) break;
          if (Date.now() > deadline) break;
        }
      } finally {
        controller.abort();
      }
      return found;
    }

    beforeAll(async () => {
      backend = await target.open();
    }, 120_000);

    afterAll(async () => {
      for (const l of ledgers.values()) await l.close();
      await backend?.close();
    });

    if (target.timeoutMs) jest.setTimeout(target.timeoutMs);

    describe('InitLedger', () => {
      it('refuses every transaction before the consortium exists', async () => {
        await expectCode(evaluateCall(gdAdmin(), 'GetConsortium', {}), 'NOT_INITIALISED');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: 'x-early', displayName: 'x', credentialTypes: ['health-code'] }), 'NOT_INITIALISED');
      });

      it('needs an admin of a declared member', async () => {
        await expectCode(submitCall(gdClient(), 'InitLedger', { members: MEMBERS }), 'ADMIN_REQUIRED');
        await expectCode(submitCall(outsider(), 'InitLedger', { members: MEMBERS }), 'NOT_A_MEMBER');
        await expectCode(submitCall(gdAdmin(), 'InitLedger', { members: [MEMBERS[0]] }), 'INVALID_ARGUMENT');
      });

      it('sets the consortium once, emits one event, and is readable from both organisations', async () => {
        const l = await gdAdmin();
        calledTx.add('InitLedger');
        const { result, evidence } = await l.submit<Consortium>('InitLedger', { members: [MEMBERS[1], MEMBERS[0]] });
        expect(result.members.map((m) => m.mspId)).toEqual([GD, MO]);
        expect(evidence.txId).toMatch(/^[0-9a-f]{64}$/);
        expect(evidence.blockNumber).toBeGreaterThanOrEqual(0);
        expect(evidence.endorsedBy).toEqual(expect.arrayContaining([GD, MO]));
        const events = await eventsOf(evidence.txId);
        expect(events).toHaveLength(1);
        expect(events[0]?.name).toBe('InitLedger');
        const seenAtMacau = await evaluate<Consortium>(moClient(), 'GetConsortium', {});
        expect(seenAtMacau).toEqual(result);
        await expectCode(submitCall(moAdmin(), 'InitLedger', { members: MEMBERS }), 'ALREADY_INITIALISED');
      });
    });

    describe('issuers', () => {
      it('propose → approve by the other organisation → active, in both directions', async () => {
        for (const [owner, ownerAdmin, otherAdmin, ownerMsp] of [
          ['GD', gdAdmin, moAdmin, GD],
          ['MO', moAdmin, gdAdmin, MO],
        ] as const) {
          const id = `${owner.toLowerCase()}-${uid()}`;
          const proposed = await submit<Issuer>(ownerAdmin(), 'ProposeIssuer', { issuerId: id, displayName: 'Health centre', credentialTypes: ['vaccination', 'health-code', 'health-code'] });
          expect(proposed).toMatchObject({ id, ownerMsp, state: 'proposed', credentialTypes: ['health-code', 'vaccination'] });
          expect(Object.keys(proposed.approvals)).toEqual([ownerMsp]);
          await expectCode(submitCall(ownerAdmin(), 'ApproveIssuer', { issuerId: id }), 'OWNER_CANNOT_APPROVE');
          const active = await submit<Issuer>(otherAdmin(), 'ApproveIssuer', { issuerId: id });
          expect(active.state).toBe('active');
          expect(Object.keys(active.approvals).sort()).toEqual([GD, MO]);
          await expectCode(submitCall(otherAdmin(), 'ApproveIssuer', { issuerId: id }), 'INVALID_STATE_TRANSITION');
        }
      });

      it('only admins propose and approve; clients cannot', async () => {
        await expectCode(submitCall(gdClient(), 'ProposeIssuer', { issuerId: `gd-${uid()}`, displayName: 'x', credentialTypes: ['health-code'] }), 'ADMIN_REQUIRED');
        const id = await proposedIssuer('GD');
        await expectCode(submitCall(moClient(), 'ApproveIssuer', { issuerId: id }), 'ADMIN_REQUIRED');
        await expectCode(submitCall(outsider(), 'ApproveIssuer', { issuerId: id }), 'NOT_A_MEMBER');
      });

      it('refuses duplicates, unknown issuers and malformed input', async () => {
        const id = await proposedIssuer('MO');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: id, displayName: 'again', credentialTypes: ['health-code'] }), 'ISSUER_EXISTS');
        await expectCode(submitCall(moAdmin(), 'ApproveIssuer', { issuerId: 'nobody-here' }), 'ISSUER_NOT_FOUND');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: 'UPPER', displayName: 'x', credentialTypes: ['health-code'] }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: `gd-${uid()}`, displayName: 'x', credentialTypes: [] }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: `gd-${uid()}`, displayName: 'x', credentialTypes: ['health-code'], extra: 1 }), 'INVALID_ARGUMENT');
        // Display names are organisations' names: no control characters, addresses or numbers of people.
        for (const displayName of ['Health\ncentre', 'Bidi \u202ename', 'chen@example.org', 'Case H12345678', ' padded', 'x'.repeat(101)]) {
          await expectCode(submitCall(gdAdmin(), 'ProposeIssuer', { issuerId: `gd-${uid()}`, displayName, credentialTypes: ['health-code'] }), 'INVALID_ARGUMENT');
        }
        await expectCode(evaluateCall(gdAdmin(), 'GetIssuer', { issuerId: 'nobody-here' }), 'ISSUER_NOT_FOUND');
      });

      it('suspend, resume (needs re-approval) and retire are the owner admin’s, in both directions', async () => {
        for (const owner of ['GD', 'MO'] as const) {
          const [ownerAdmin, otherAdmin, ownerClient] = owner === 'GD' ? [gdAdmin, moAdmin, gdClient] : [moAdmin, gdAdmin, moClient];
          const { id } = await activeIssuer(owner);
          await expectCode(submitCall(otherAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'security-incident' }), 'NOT_OWNER');
          await expectCode(submitCall(ownerClient(), 'SuspendIssuer', { issuerId: id, reason: 'security-incident' }), 'ADMIN_REQUIRED');
          await expectCode(submitCall(ownerAdmin(), 'ResumeIssuer', { issuerId: id }), 'INVALID_STATE_TRANSITION');
          // Reasons are codes: an operator's note would stay in the blocks for ever.
          await expectCode(submitCall(ownerAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'key ceremony audit' }), 'INVALID_ARGUMENT');
          const suspended = await submit<Issuer>(ownerAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'compliance-review' });
          expect(suspended).toMatchObject({ state: 'suspended', reason: 'compliance-review' });
          await expectCode(submitCall(ownerAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'maintenance' }), 'INVALID_STATE_TRANSITION');
          await expectCode(submitCall(otherAdmin(), 'ResumeIssuer', { issuerId: id }), 'NOT_OWNER');
          const resumed = await submit<Issuer>(ownerAdmin(), 'ResumeIssuer', { issuerId: id });
          expect(resumed.state).toBe('proposed');
          expect((await submit<Issuer>(otherAdmin(), 'ApproveIssuer', { issuerId: id })).state).toBe('active');
          await expectCode(submitCall(otherAdmin(), 'RetireIssuer', { issuerId: id }), 'NOT_OWNER');
          expect((await submit<Issuer>(ownerAdmin(), 'RetireIssuer', { issuerId: id })).state).toBe('retired');
          await expectCode(submitCall(ownerAdmin(), 'RetireIssuer', { issuerId: id }), 'INVALID_STATE_TRANSITION');
          await expectCode(submitCall(ownerAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'late', jwk: ecJwk(), validFrom: iso(0), validUntil: iso(HOUR) }), 'ISSUER_NOT_ACTIVE');
        }
      });

      it('lists issuers page by page with bookmarks', async () => {
        const created = [await proposedIssuer('GD'), await proposedIssuer('MO'), await proposedIssuer('GD')];
        const seen: string[] = [];
        let bookmark = '';
        let pages = 0;
        do {
          const page = await evaluate<Page<Issuer>>(moClient(), 'ListIssuers', { pageSize: 2, bookmark });
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((i) => i.id));
          bookmark = page.bookmark;
          pages++;
        } while (bookmark !== '' && pages < 1000);
        expect(seen).toEqual(expect.arrayContaining(created));
        expect(new Set(seen).size).toBe(seen.length);
        expect([...seen].sort()).toEqual(seen);
        await expectCode(evaluateCall(moClient(), 'ListIssuers', { pageSize: 0 }), 'INVALID_ARGUMENT');
        await expectCode(evaluateCall(moClient(), 'ListIssuers', { bookmark: 'not-a-key-of-this-query' }), 'INVALID_ARGUMENT');
      });
    });

    describe('issuer keys', () => {
      it('propose (ES256 and EdDSA) → approve → active; GetIssuer returns public keys only', async () => {
        const id = await proposedIssuer('MO');
        await submit(gdAdmin(), 'ApproveIssuer', { issuerId: id });
        const es = await submit<IssuerKey>(moAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'es-1', jwk: { ...ecJwk(), alg: 'ES256', use: 'sig' }, validFrom: iso(-HOUR), validUntil: iso(HOUR) });
        expect(es).toMatchObject({ alg: 'ES256', state: 'proposed' });
        const ed = await submit<IssuerKey>(moAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'ed-1', jwk: edJwk(), validFrom: iso(-HOUR), validUntil: iso(HOUR) });
        expect(ed.alg).toBe('EdDSA');
        await expectCode(submitCall(moAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'es-1' }), 'OWNER_CANNOT_APPROVE');
        await expectCode(submitCall(gdClient(), 'ApproveIssuerKey', { issuerId: id, kid: 'es-1' }), 'ADMIN_REQUIRED');
        const approved = await submit<IssuerKey>(gdAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'es-1' });
        expect(approved.state).toBe('active');
        expect(approved.activatedAt).toBeDefined();
        await expectCode(submitCall(gdAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'es-1' }), 'INVALID_STATE_TRANSITION');
        await expectCode(submitCall(gdAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'nope' }), 'KEY_NOT_FOUND');
        const view = await evaluate<{ issuer: Issuer; keys: IssuerKey[] }>(gdClient(), 'GetIssuer', { issuerId: id });
        expect(view.keys.map((k) => [k.kid, k.state])).toEqual([
          ['ed-1', 'proposed'],
          ['es-1', 'active'],
        ]);
        for (const k of view.keys) expect(Object.keys(k.jwk).sort()).toEqual(k.alg === 'ES256' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x']);
      });

      it('refuses private, foreign-curve, malformed and off-curve keys, reused kids and bad windows', async () => {
        const { id, kid } = await activeIssuer('GD');
        const base = { issuerId: id, validFrom: iso(-HOUR), validUntil: iso(HOUR) };
        const priv = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
        const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
        const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
        const good = ecJwk();
        const offCurve = { ...good, y: Buffer.alloc(32, 7).toString('base64url') };
        for (const jwk of [priv, p384, rsa, offCurve, { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' }, { ...good, alg: 'EdDSA' }, { ...edJwk(), y: good['y'] }, { ...good, x5u: 'https://example.invalid' }]) {
          await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid: `bad-${uid()}`, jwk }), 'INVALID_JWK');
        }
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid, jwk: good }), 'KEY_EXISTS');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid: `w-${uid()}`, jwk: good, validUntil: iso(-2 * HOUR) }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid: `w-${uid()}`, jwk: good, validFrom: 'yesterday' }), 'INVALID_ARGUMENT');
        // A date that does not exist is refused, not rolled over into the next month.
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid: `w-${uid()}`, jwk: good, validUntil: `${new Date().getUTCFullYear() + 1}-02-30T00:00:00Z` }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeIssuerKey', { ...base, kid: `w-${uid()}`, jwk: { ...good, kid: 'Chen Da Ming' } }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(moAdmin(), 'ProposeIssuerKey', { ...base, kid: `m-${uid()}`, jwk: good }), 'NOT_OWNER');
        await expectCode(submitCall(gdClient(), 'ProposeIssuerKey', { ...base, kid: `c-${uid()}`, jwk: good }), 'ADMIN_REQUIRED');
      });

      it('rotation: a new key through the same path; revocation with an effective time only moves earlier', async () => {
        const { id, kid } = await activeIssuer('GD');
        await submit(gdAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'rotated', jwk: edJwk(), validFrom: iso(-HOUR), validUntil: iso(HOUR) });
        await submit(moAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'rotated' });
        await expectCode(submitCall(moAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'key-compromise' }), 'NOT_OWNER');
        await expectCode(submitCall(gdClient(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'key-compromise' }), 'ADMIN_REQUIRED');
        await expectCode(submitCall(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'scheduled rotation' }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'superseded', effectiveAt: `${new Date().getUTCFullYear()}-04-31T00:00:00Z` }), 'INVALID_ARGUMENT');
        const future = iso(30 * 60_000);
        const revoked = await submit<IssuerKey>(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'superseded', effectiveAt: future });
        expect(revoked).toMatchObject({ state: 'revoked', revokedAt: future, revocationReason: 'superseded' });
        // Still usable until the effective time.
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 });
        await expectCode(submitCall(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'superseded', effectiveAt: iso(60 * 60_000) }), 'INVALID_STATE_TRANSITION');
        const compromised = iso(-60_000);
        const earlier = await submit<IssuerKey>(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid, reason: 'key-compromise', effectiveAt: compromised });
        expect(earlier.revokedAt).toBe(compromised);
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 }), 'KEY_NOT_ACTIVE');
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'rotated', root: hex(), leafCount: 3 });
        await expectCode(submitCall(gdAdmin(), 'RevokeIssuerKey', { issuerId: id, kid: 'missing', reason: 'other' }), 'KEY_NOT_FOUND');
      });
    });

    describe('recognition policies', () => {
      it('each organisation writes only its own, versioned; both directions', async () => {
        for (const [issuerOwner, recogniserAdmin, recogniserMsp, otherMsp] of [
          ['GD', moAdmin, MO, GD],
          ['MO', gdAdmin, GD, MO],
        ] as const) {
          const { id } = await activeIssuer(issuerOwner, ['health-code', 'vaccination']);
          const input = { issuerId: id, credentialType: 'health-code', statusMapping: { green: 'green', yellow: 'amber' }, acceptedStatuses: ['green'], maxAgeSeconds: 6 * 3600, validFrom: iso(-HOUR) };
          const v1 = await submit<RecognitionPolicy>(recogniserAdmin(), 'PutRecognitionPolicy', input);
          expect(v1).toMatchObject({ recognisingMsp: recogniserMsp, version: 1, withdrawn: false, maxAgeSeconds: 21600 });
          const v2 = await submit<RecognitionPolicy>(recogniserAdmin(), 'PutRecognitionPolicy', { ...input, maxAgeSeconds: 3600 });
          expect(v2.version).toBe(2);
          const mine = await evaluate<Page<RecognitionPolicy>>(moClient(), 'GetRecognitionPolicies', { mspId: recogniserMsp });
          expect(mine.items.filter((p) => p.issuerId === id)).toEqual([v2]);
          const theirs = await evaluate<Page<RecognitionPolicy>>(gdClient(), 'GetRecognitionPolicies', { mspId: otherMsp });
          expect(theirs.items.some((p) => p.issuerId === id)).toBe(false);
          const withdrawn = await submit<RecognitionPolicy>(recogniserAdmin(), 'WithdrawRecognitionPolicy', { issuerId: id, credentialType: 'health-code' });
          expect(withdrawn).toMatchObject({ version: 3, withdrawn: true });
          const after = await evaluate<Page<RecognitionPolicy>>(gdClient(), 'GetRecognitionPolicies', { mspId: recogniserMsp });
          expect(after.items.some((p) => p.issuerId === id)).toBe(false);
          const all = await evaluate<Page<RecognitionPolicy>>(gdClient(), 'GetRecognitionPolicies', { mspId: recogniserMsp, includeWithdrawn: true });
          expect(all.items.find((p) => p.issuerId === id)?.version).toBe(3);
          await expectCode(submitCall(recogniserAdmin(), 'WithdrawRecognitionPolicy', { issuerId: id, credentialType: 'health-code' }), 'POLICY_NOT_FOUND');
        }
      });

      it('refuses clients, outsiders, types the issuer does not issue and inconsistent mappings', async () => {
        const { id } = await activeIssuer('GD');
        const input = { issuerId: id, credentialType: 'health-code', statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 3600, validFrom: iso(-HOUR) };
        await expectCode(submitCall(moClient(), 'PutRecognitionPolicy', input), 'ADMIN_REQUIRED');
        await expectCode(submitCall(outsider(), 'PutRecognitionPolicy', input), 'NOT_A_MEMBER');
        await expectCode(submitCall(moAdmin(), 'PutRecognitionPolicy', { ...input, credentialType: 'e-licence' }), 'CREDENTIAL_TYPE_NOT_ALLOWED');
        await expectCode(submitCall(moAdmin(), 'PutRecognitionPolicy', { ...input, acceptedStatuses: ['blue'] }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(moAdmin(), 'PutRecognitionPolicy', { ...input, maxAgeSeconds: -1 }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(moAdmin(), 'PutRecognitionPolicy', { ...input, validUntil: '2030-06-31T00:00:00Z' }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(moAdmin(), 'PutRecognitionPolicy', { ...input, issuerId: 'nobody-here' }), 'ISSUER_NOT_FOUND');
        await expectCode(submitCall(moAdmin(), 'WithdrawRecognitionPolicy', { issuerId: id, credentialType: 'health-code' }), 'POLICY_NOT_FOUND');
      });
    });

    describe('anchors', () => {
      it('the owner organisation anchors (client or admin); the other organisation cannot; duplicates refused', async () => {
        for (const owner of ['GD', 'MO'] as const) {
          const [ownerClient, ownerAdmin, otherClient, otherAdmin] = owner === 'GD' ? [gdClient, gdAdmin, moClient, moAdmin] : [moClient, moAdmin, gdClient, gdAdmin];
          const { id, kid } = await activeIssuer(owner);
          const root = hex();
          const l = await ownerClient();
          calledTx.add('AnchorBatch');
          const { result, evidence } = await l.submit<Anchor>('AnchorBatch', { issuerId: id, kid, root, leafCount: 4096 });
          expect(result).toMatchObject({ root, issuerId: id, kid, leafCount: 4096, txId: evidence.txId, anchoredAt: evidence.timestamp });
          const events = await eventsOf(evidence.txId);
          expect(events.map((e) => e.name)).toEqual(['AnchorBatch']);
          expect((events[0]?.payload as LedgerEventPayload).records[0]).toEqual({ type: 'anchor', value: result });
          await submit(ownerAdmin(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 });
          await expectCode(submitCall(otherClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 }), 'NOT_OWNER');
          await expectCode(submitCall(otherAdmin(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 }), 'NOT_OWNER');
          await expectCode(submitCall(ownerClient(), 'AnchorBatch', { issuerId: id, kid, root, leafCount: 1 }), 'ANCHOR_EXISTS');
          expect(await evaluate<Anchor>(otherClient(), 'GetAnchor', { root })).toEqual(result);
        }
      });

      it('needs an active issuer and an approved, valid key', async () => {
        const id = await proposedIssuer('GD');
        await submit(gdAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'k1', jwk: ecJwk(), validFrom: iso(-HOUR), validUntil: iso(HOUR) });
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: hex(), leafCount: 1 }), 'ISSUER_NOT_ACTIVE');
        await submit(moAdmin(), 'ApproveIssuer', { issuerId: id });
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: hex(), leafCount: 1 }), 'KEY_NOT_ACTIVE');
        await submit(moAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'k1' });
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: hex(), leafCount: 1 });
        await submit(gdAdmin(), 'ProposeIssuerKey', { issuerId: id, kid: 'later', jwk: ecJwk(), validFrom: iso(HOUR), validUntil: iso(2 * HOUR) });
        await submit(moAdmin(), 'ApproveIssuerKey', { issuerId: id, kid: 'later' });
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'later', root: hex(), leafCount: 1 }), 'KEY_NOT_ACTIVE');
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'nope', root: hex(), leafCount: 1 }), 'KEY_NOT_FOUND');
        await submit(gdAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'compliance-review' });
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: hex(), leafCount: 1 }), 'ISSUER_NOT_ACTIVE');
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: 'ABC', leafCount: 1 }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid: 'k1', root: hex(), leafCount: 0 }), 'INVALID_ARGUMENT');
        await expectCode(evaluateCall(gdClient(), 'GetAnchor', { root: hex() }), 'ANCHOR_NOT_FOUND');
      });

      it('lists an issuer’s anchors in a time range, oldest first, page by page', async () => {
        const { id, kid } = await activeIssuer('MO');
        const anchors: Anchor[] = [];
        for (let i = 0; i < 5; i++) anchors.push(await submit<Anchor>(moClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: i + 1 }));
        const collect = async (query: Record<string, unknown>) => {
          const out: Anchor[] = [];
          let bookmark = '';
          do {
            const page = await evaluate<Page<Anchor>>(gdClient(), 'ListAnchors', { issuerId: id, pageSize: 2, ...query, bookmark });
            out.push(...page.items);
            bookmark = page.bookmark;
          } while (bookmark !== '');
          return out;
        };
        expect((await collect({})).map((a) => a.root)).toEqual(anchors.map((a) => a.root));
        const from = anchors[1]!.anchoredAt;
        const to = anchors[3]!.anchoredAt;
        const expected = anchors.filter((a) => a.anchoredAt >= from && a.anchoredAt < to).map((a) => a.root);
        expect((await collect({ from, to })).map((a) => a.root)).toEqual(expected);
        expect((await collect({ from })).map((a) => a.root)).toEqual(anchors.filter((a) => a.anchoredAt >= from).map((a) => a.root));
        await expectCode(evaluateCall(gdClient(), 'ListAnchors', { issuerId: id, from: to, to: from === to ? iso(-10 * HOUR) : from }), 'INVALID_ARGUMENT');
        await expectCode(evaluateCall(gdClient(), 'ListAnchors', { issuerId: id, from: '2026-02-29T00:00:00Z' }), 'INVALID_ARGUMENT');
        await expectCode(evaluateCall(gdClient(), 'ListAnchors', { issuerId: id, to: '2026-01-01T24:00:00Z' }), 'INVALID_ARGUMENT');
      });
    });

    describe('prepared transactions', () => {
      it('prepare endorses without ordering; the prepared bytes commit once however often they are submitted', async () => {
        const { id, kid } = await activeIssuer('GD');
        const l = await gdClient();
        const root = hex();
        const prepared = await l.prepare<Anchor>('AnchorBatch', { issuerId: id, kid, root, leafCount: 3 });
        expect(prepared.txId).toMatch(/^[0-9a-f]{64}$/);
        expect(prepared.result).toMatchObject({ root, txId: prepared.txId, leafCount: 3 });
        await expectCode(evaluateCall(moClient(), 'GetAnchor', { root }), 'ANCHOR_NOT_FOUND');
        await expectCode(l.getTransaction(prepared.txId), 'LEDGER_TX_NOT_FOUND');
        const first = await l.submitPrepared(prepared);
        expect(first.evidence).toMatchObject({ txId: prepared.txId, endorsedBy: expect.arrayContaining([GD, MO]) });
        expect(first.result).toEqual(prepared.result);
        // After a crash the same bytes are submitted again: the write is not made twice.
        const again = await l.submitPrepared({ ...prepared, bytes: Uint8Array.from(prepared.bytes) });
        expect(again.evidence).toMatchObject({ txId: prepared.txId, blockNumber: first.evidence.blockNumber });
        expect(await evaluate<Anchor>(moClient(), 'GetAnchor', { root })).toEqual(prepared.result);
        expect((await l.getTransaction(prepared.txId)).validationCode).toBe('VALID');
        await expectCode((await gdClient()).prepare('AnchorBatch', { issuerId: id, kid, root, leafCount: 3 }), 'ANCHOR_EXISTS');
      });

      it('a prepared write whose state changed before ordering fails as an MVCC conflict, and nothing is written', async () => {
        const { id, kid } = await activeIssuer('MO');
        const l = await moClient();
        const root = hex();
        const a = await l.prepare<Anchor>('AnchorBatch', { issuerId: id, kid, root, leafCount: 1 });
        const b = await l.prepare<Anchor>('AnchorBatch', { issuerId: id, kid, root, leafCount: 2 });
        await l.submitPrepared(a);
        await expectCode(l.submitPrepared(b), 'LEDGER_MVCC_CONFLICT');
        expect((await evaluate<Anchor>(gdClient(), 'GetAnchor', { root })).leafCount).toBe(1);
      });
    });

    describe('revocations', () => {
      /** A batch of `size` random leaves anchored by the issuer, with each leaf's inclusion proof (computed by the SDK). */
      async function anchoredBatch(client: () => Promise<Ledger>, issuerId: string, kid: string, size: number) {
        const leaves = Array.from({ length: size }, () => hex());
        await submit(client(), 'AnchorBatch', { issuerId, kid, root: merkleRoot(leaves), leafCount: size });
        return leaves.map((leafHash, i) => ({ leafHash, proof: inclusionProof(leaves, i) }));
      }

      it('by the owner organisation only, idempotent, readable by both', async () => {
        for (const owner of ['GD', 'MO'] as const) {
          const [ownerClient, otherClient, otherAdmin] = owner === 'GD' ? [gdClient, moClient, moAdmin] : [moClient, gdClient, gdAdmin];
          const { id, kid } = await activeIssuer(owner);
          const [{ leafHash, proof }] = (await anchoredBatch(ownerClient, id, kid, 1)) as [{ leafHash: string; proof: unknown }];
          expect(await evaluate(otherClient(), 'GetRevocation', { issuerId: id, leafHash })).toEqual({ revoked: false });
          await expectCode(submitCall(otherClient(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'fraud' }), 'NOT_OWNER');
          await expectCode(submitCall(otherAdmin(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'fraud' }), 'NOT_OWNER');
          const first = await submit<Revocation>(ownerClient(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'status-change' });
          expect(first).toMatchObject({ issuerId: id, leafHash, reason: 'status-change' });
          const again = await submit<Revocation>(ownerClient(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'fraud' });
          expect(again).toEqual(first);
          expect(await evaluate(otherClient(), 'GetRevocation', { issuerId: id, leafHash })).toEqual({ revoked: true, revocation: first });
          const listed = await evaluate<Page<Revocation>>(otherClient(), 'ListRevocations', { issuerId: id });
          expect(listed.items).toEqual([first]);
          await expectCode(submitCall(ownerClient(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'because' }), 'INVALID_ARGUMENT');
          await expectCode(submitCall(ownerClient(), 'RevokeCredential', { issuerId: 'nobody-here', leafHash, proof, reason: 'fraud' }), 'ISSUER_NOT_FOUND');
        }
      });

      it('an anchor’s notAfter is checked against the transaction time and recorded; a revocation records where its proof led', async () => {
        const { id, kid } = await activeIssuer('GD');
        const leaves = [hex(), hex(), hex()];
        const root = merkleRoot(leaves);
        const notAfter = new Date(Date.now() + 86_400_000).toISOString();
        const { result: anchor, evidence } = await (await gdClient()).submit<Anchor>('AnchorBatch', { issuerId: id, kid, root, leafCount: 3, notAfter });
        expect(anchor).toMatchObject({ root, notAfter, anchoredAt: evidence.timestamp });
        expect(await evaluate<Anchor>(moClient(), 'GetAnchor', { root })).toEqual(anchor);
        // More than 900 s before the transaction time, or more than 10 years after it: refused on every ledger.
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1, notAfter: new Date(Date.now() - 2 * 3_600_000).toISOString() }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1, notAfter: new Date(Date.now() + 11 * 366 * 86_400_000).toISOString() }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1, notAfter: '2026-02-30T00:00:00Z' }), 'INVALID_ARGUMENT');
        const revoked = await submit<Revocation>(gdClient(), 'RevokeCredential', { issuerId: id, leafHash: leaves[2], proof: inclusionProof(leaves, 2), reason: 'status-change' });
        expect(revoked).toMatchObject({ leafHash: leaves[2], root, leafIndex: 2, notAfter });
        // Anchored without notAfter: neither the anchor nor its revocations expire.
        const [{ leafHash, proof }] = (await anchoredBatch(gdClient, id, kid, 1)) as [{ leafHash: string; proof: unknown }];
        const old = await submit<Revocation>(gdClient(), 'RevokeCredential', { issuerId: id, leafHash, proof, reason: 'fraud' });
        expect(old).toMatchObject({ root: leafHash, leafIndex: 0 });
        expect(old).not.toHaveProperty('notAfter');
      });

      it('only of a leaf that its proof shows in a batch the issuer anchored, with that many leaves', async () => {
        const { id, kid } = await activeIssuer('GD');
        const other = await activeIssuer('GD');
        const batch = await anchoredBatch(gdClient, id, kid, 5);
        const [foreign] = await anchoredBatch(gdClient, other.id, other.kid, 1);
        const leaf = batch[3]!;
        const revoke = (input: Record<string, unknown>) => submitCall(gdClient(), 'RevokeCredential', { issuerId: id, reason: 'fraud', ...input });
        await expectCode(revoke({ leafHash: hex(), proof: { leafIndex: 0, treeSize: 1, path: [] } }), 'LEAF_NOT_ANCHORED'); // never anchored
        await expectCode(revoke(foreign!), 'LEAF_NOT_ANCHORED'); // another issuer's batch
        await expectCode(revoke({ leafHash: hex(), proof: leaf.proof }), 'LEAF_NOT_ANCHORED'); // another leaf's path
        await expectCode(revoke({ leafHash: leaf.leafHash, proof: { ...leaf.proof, treeSize: 6 } }), 'LEAF_NOT_ANCHORED'); // not the anchored size
        await expectCode(revoke({ leafHash: leaf.leafHash, proof: { ...leaf.proof, path: leaf.proof.path.slice(1) } }), 'LEAF_NOT_ANCHORED'); // too short
        await expectCode(revoke({ leafHash: leaf.leafHash, proof: { ...leaf.proof, leafIndex: 5 } }), 'LEAF_NOT_ANCHORED'); // index outside the tree
        await expectCode(revoke({ leafHash: leaf.leafHash }), 'INVALID_ARGUMENT');
        await expectCode(revoke({ leafHash: leaf.leafHash, proof: { ...leaf.proof, path: ['XY'] } }), 'INVALID_ARGUMENT');
        await expectCode(revoke({ leafHash: leaf.leafHash, proof: { ...leaf.proof, path: Array.from({ length: 25 }, () => hex()) } }), 'INVALID_ARGUMENT');
        expect((await evaluate<Page<Revocation>>(moClient(), 'ListRevocations', { issuerId: id })).items).toEqual([]);
        for (const l of [batch[0]!, leaf, batch[4]!]) await submit(gdClient(), 'RevokeCredential', { issuerId: id, reason: 'fraud', ...l });
        const listed = await evaluate<Page<Revocation>>(moClient(), 'ListRevocations', { issuerId: id });
        expect(listed.items.map((r) => r.leafHash).sort()).toEqual([batch[0]!, leaf, batch[4]!].map((l) => l.leafHash).sort());
      });

      it('revocation still works for a suspended issuer', async () => {
        const { id, kid } = await activeIssuer('GD');
        const [leaf] = await anchoredBatch(gdClient, id, kid, 1);
        await submit(gdAdmin(), 'SuspendIssuer', { issuerId: id, reason: 'mis-issuance' });
        const r = await submit<Revocation>(gdClient(), 'RevokeCredential', { issuerId: id, ...leaf!, reason: 'issued-in-error' });
        expect(r.reason).toBe('issued-in-error');
      });
    });

    describe('history and audit evidence', () => {
      it('returns every version of a record with its transaction id and time, oldest first', async () => {
        const { id, kid } = await activeIssuer('GD');
        const history = await evaluate<Array<{ txId: string; timestamp: string; value: Issuer }>>(moClient(), 'GetHistory', { record: 'issuer', issuerId: id });
        expect(history.map((h) => h.value.state)).toEqual(['proposed', 'active']);
        const keyHistory = await evaluate<Array<{ value: IssuerKey }>>(moClient(), 'GetHistory', { record: 'issuerKey', issuerId: id, kid });
        expect(keyHistory.map((h) => h.value.state)).toEqual(['proposed', 'active']);
        const tx = await (await gdClient()).getTransaction(history[1]!.txId);
        expect(tx).toMatchObject({ txId: history[1]!.txId, txName: 'ApproveIssuer', creatorMsp: MO, validationCode: 'VALID' });
        const block = await (await gdClient()).getBlock(tx.blockNumber);
        expect(block.transactions.map((t) => t.txId)).toContain(tx.txId);
        if (block.number > 0) expect(block.previousHash).toBe((await (await gdClient()).getBlock(block.number - 1)).hash);
        const consortiumHistory = await evaluate<unknown[]>(gdClient(), 'GetHistory', { record: 'consortium' });
        expect(consortiumHistory).toHaveLength(1);
        const root = hex();
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid, root, leafCount: 2 });
        expect(await evaluate<unknown[]>(gdClient(), 'GetHistory', { record: 'anchor', root })).toHaveLength(1);
        await expectCode(evaluateCall(gdClient(), 'GetHistory', { record: 'revocation', issuerId: id, leafHash: hex() }), 'RECORD_NOT_FOUND');
        await expectCode(evaluateCall(gdClient(), 'GetHistory', { record: 'everything' }), 'INVALID_ARGUMENT');
        await expectCode((await gdClient()).getTransaction('0'.repeat(64)), 'LEDGER_TX_NOT_FOUND');
      });

      it('outsiders cannot read; unknown transactions and non-JSON-object input are refused', async () => {
        await expectCode(evaluateCall(outsider(), 'ListIssuers', {}), 'NOT_A_MEMBER');
        await expectCode(evaluateCall(gdClient(), 'Bogus' as TxName, {}), 'UNKNOWN_TRANSACTION');
        await expectCode(submitCall(gdClient(), 'Bogus' as TxName, {}), 'UNKNOWN_TRANSACTION');
        await expectCode(evaluateCall(gdClient(), 'GetAnchor', 'not an object'), 'INVALID_ARGUMENT');
        await expectCode(evaluateCall(gdClient(), 'GetAnchor', { root: 'x'.repeat(70_000) }), 'INVALID_ARGUMENT');
      });

      it('a write by one organisation is visible through the other organisation’s connection', async () => {
        const { id, kid } = await activeIssuer('GD');
        const root = hex();
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid, root, leafCount: 7 });
        expect((await evaluate<Anchor>(moClient(), 'GetAnchor', { root })).leafCount).toBe(7);
      });
    });

    describe('event checkpoints', () => {
      /** Events strictly after `after`, up to and including the first event for which `last` holds. */
      async function eventsUntil(after: EventCheckpoint | undefined, last: (e: LedgerEvent) => boolean): Promise<LedgerEvent[]> {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 10_000);
        const out: LedgerEvent[] = [];
        try {
          for await (const event of (await moClient()).events(after, controller.signal)) {
            out.push(event);
            if (last(event)) break;
          }
        } finally {
          clearTimeout(timer);
          controller.abort();
        }
        return out;
      }
      async function anchors(n: number): Promise<string[]> {
        const { id, kid } = await activeIssuer('GD');
        calledTx.add('AnchorBatch');
        const l = await gdClient();
        const results = await Promise.all(Array.from({ length: n }, () => l.submit('AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 })));
        return results.map((r) => r.evidence.txId);
      }

      it('resume after { blockNumber, transactionId } or from { blockNumber }: no gap, no duplicate', async () => {
        // Concurrent submissions, so that blocks can hold several transactions and a checkpoint can fall inside one.
        const ours = new Set(await anchors(8));
        const pending = new Set(ours);
        // The chain order of concurrent submissions is the ledger's: take it from one full read.
        const full = await eventsUntil(undefined, (e) => pending.delete(e.txId) && pending.size === 0);
        // From the event just before the first of ours to the last of ours, in chain order.
        const all = full.slice(full.findIndex((e) => ours.has(e.txId)) - 1);
        expect(all.slice(1).map((e) => e.txId).sort()).toEqual([...ours].sort());
        const lastTxId = all.at(-1)!.txId;
        const through = (after: EventCheckpoint) => eventsUntil(after, (e) => e.txId === lastTxId);
        for (const [i, e] of all.slice(0, -1).entries()) {
          const resumed = await through({ blockNumber: e.blockNumber, transactionId: e.txId });
          expect(resumed.map((r) => r.txId)).toEqual(all.slice(i + 1).map((r) => r.txId));
        }
        for (const blockNumber of new Set(all.slice(1).map((e) => e.blockNumber))) {
          const fromBlock = await through({ blockNumber });
          expect(fromBlock.map((r) => r.txId)).toEqual(full.filter((r) => r.blockNumber >= blockNumber).map((r) => r.txId));
        }
      });

      it('refuses a transactionId that is not a transaction of the checkpoint’s block', async () => {
        const [txId] = await anchors(1);
        const l = await moClient();
        const { blockNumber } = await l.getTransaction(txId!);
        const read = async (after: EventCheckpoint): Promise<void> => {
          for await (const _ of l.events(after, AbortSignal.timeout(5000))) break;
        };
        await expectCode(read({ blockNumber, transactionId: '0'.repeat(64) }), 'INVALID_ARGUMENT');
        await expectCode(read({ blockNumber: blockNumber - 1, transactionId: txId! }), 'INVALID_ARGUMENT');
      });
    });

    // Last: once a third member governs, every later issuer would need its approval too.
    describe('membership governance', () => {
      let three: LedgerBackend;
      const hkLedgers = new Map<string, Promise<Ledger>>();
      const hk = (role: LedgerIdentity['role']): Promise<Ledger> => {
        let l = hkLedgers.get(role);
        if (!l) hkLedgers.set(role, (l = three.connect({ mspId: HK, role })));
        return l;
      };
      const consortium = async (): Promise<Consortium> => evaluate<Consortium>(gdClient(), 'GetConsortium', {});
      const memberOf = async (mspId: string) => (await consortium()).members.find((m) => m.mspId === mspId);
      let beforeJoin: { id: string; kid: string; root: string };
      let hkIssuer: { id: string; kid: string; root: string };

      beforeAll(async () => {
        const { id, kid } = await activeIssuer('GD');
        const root = hex();
        await submit(gdClient(), 'AnchorBatch', { issuerId: id, kid, root, leafCount: 3 });
        beforeJoin = { id, kid, root };
        three = await target.withThirdOrg(backend);
      }, 300_000);
      afterAll(async () => {
        for (const l of hkLedgers.values()) await (await l).close();
        if (three !== backend) await three?.close();
      });

      it('refuses malformed, duplicate and impossible proposals, and proposals by non-admins', async () => {
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: { ...HK_NAMES, en: 'x\u202e' } }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: { en: 'Hong Kong' } }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'expel', mspId: MO }), 'INVALID_ARGUMENT');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: MO, jurisdiction: 'macau-2', displayNames: HK_NAMES }), 'MEMBER_EXISTS');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'macau', displayNames: HK_NAMES }), 'MEMBER_EXISTS');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'remove', mspId: HK }), 'MEMBER_NOT_FOUND');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'resume', mspId: MO }), 'INVALID_STATE_TRANSITION');
        // Two members: neither may be suspended or removed, a majority needs someone left to disagree with.
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'suspend', mspId: MO }), 'INVALID_STATE_TRANSITION');
        await expectCode(submitCall(gdClient(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: HK_NAMES }), 'ADMIN_REQUIRED');
        await expectCode(submitCall(outsider(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: HK_NAMES }), 'NOT_A_MEMBER');
        await expectCode(submitCall(moAdmin(), 'ApproveMembershipChange', { mspId: HK }), 'PROPOSAL_NOT_FOUND');
        await expectCode(evaluateCall(gdClient(), 'GetMembershipProposal', { mspId: HK }), 'PROPOSAL_NOT_FOUND');
      });

      it('admits a member by a majority of the active members, effective at the enacting transaction', async () => {
        const proposed = await submit<{ state: string; approvals: Record<string, string> }>(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: HK_NAMES });
        expect(proposed).toMatchObject({ state: 'open', action: 'add', proposedBy: GD });
        expect(Object.keys(proposed.approvals)).toEqual([GD]);
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'add', mspId: HK, jurisdiction: 'hongkong', displayNames: HK_NAMES }), 'PROPOSAL_EXISTS');
        await expectCode(submitCall(gdAdmin(), 'ApproveMembershipChange', { mspId: HK }), 'ALREADY_APPROVED');
        // Not a member until enacted: it can neither write nor read.
        await expectCode(hk('admin').then((l) => l.submit('ProposeIssuer', { issuerId: `hk-${uid()}`, displayName: 'x', credentialTypes: ['health-code'] })), 'NOT_A_MEMBER');
        await expectCode(hk('client').then((l) => l.evaluate('GetConsortium', {})), 'NOT_A_MEMBER');
        expect((await memberOf(HK))).toBeUndefined();
        const l = await moAdmin();
        calledTx.add('ApproveMembershipChange');
        const { result, evidence } = await l.submit<{ state: string; enactedAt: string }>('ApproveMembershipChange', { mspId: HK });
        expect(result).toMatchObject({ state: 'enacted', enactedAt: evidence.timestamp });
        const events = await eventsOf(evidence.txId);
        expect(events.map((e) => e.name)).toEqual(['ApproveMembershipChange']);
        expect((events[0]?.payload as LedgerEventPayload).records.map((r) => r.type)).toEqual(['membership', 'consortium']);
        expect(await memberOf(HK)).toEqual({ mspId: HK, jurisdiction: 'hongkong', displayNames: HK_NAMES, state: 'active', joinedAt: evidence.timestamp });
        expect(await evaluate(await hk('client'), 'GetMembershipProposal', { mspId: HK })).toMatchObject({ state: 'enacted', enactedAt: evidence.timestamp });
      });

      it('the new member governs its own issuers with every member; earlier records are unaffected', async () => {
        expect((await evaluate<Anchor>(hk('client'), 'GetAnchor', { root: beforeJoin.root })).issuerId).toBe(beforeJoin.id);
        expect((await evaluate<{ issuer: Issuer }>(hk('client'), 'GetIssuer', { issuerId: beforeJoin.id })).issuer.state).toBe('active');
        const id = `hk-${uid()}`;
        await submit(hk('admin'), 'ProposeIssuer', { issuerId: id, displayName: 'Department of Health', credentialTypes: ['health-code'] });
        expect((await submit<Issuer>(gdAdmin(), 'ApproveIssuer', { issuerId: id })).state).toBe('proposed');
        expect((await submit<Issuer>(moAdmin(), 'ApproveIssuer', { issuerId: id })).state).toBe('active');
        const kid = `k-${uid()}`;
        await submit(hk('admin'), 'ProposeIssuerKey', { issuerId: id, kid, jwk: ecJwk(), validFrom: iso(-HOUR), validUntil: iso(365 * 24 * HOUR) });
        await submit(gdAdmin(), 'ApproveIssuerKey', { issuerId: id, kid });
        await submit(moAdmin(), 'ApproveIssuerKey', { issuerId: id, kid });
        const root = hex();
        await submit(hk('client'), 'AnchorBatch', { issuerId: id, kid, root, leafCount: 2 });
        await submit(moAdmin(), 'PutRecognitionPolicy', { issuerId: id, credentialType: 'health-code', statusMapping: { green: 'green' }, acceptedStatuses: ['green'], maxAgeSeconds: 3600, validFrom: iso(-HOUR) });
        await submit(hk('admin'), 'PutRecognitionPolicy', { issuerId: beforeJoin.id, credentialType: 'health-code', statusMapping: { green: 'pass' }, acceptedStatuses: ['pass'], maxAgeSeconds: 3600, validFrom: iso(-HOUR) });
        hkIssuer = { id, kid, root };
      });

      it('suspends and resumes by majority: a suspended member reads but cannot write', async () => {
        await submit(gdAdmin(), 'ProposeMembershipChange', { action: 'suspend', mspId: HK });
        const enacted = await submit<{ state: string; enactedAt: string }>(moAdmin(), 'ApproveMembershipChange', { mspId: HK });
        expect(enacted.state).toBe('enacted');
        expect(await memberOf(HK)).toMatchObject({ state: 'suspended', suspendedAt: enacted.enactedAt });
        await expectCode(hk('client').then((l) => l.submit('AnchorBatch', { issuerId: hkIssuer.id, kid: hkIssuer.kid, root: hex(), leafCount: 1 })), 'MEMBER_NOT_ACTIVE');
        await expectCode(hk('admin').then((l) => l.submit('ApproveMembershipChange', { mspId: HK })), 'MEMBER_NOT_ACTIVE');
        expect((await evaluate<Consortium>(hk('client'), 'GetConsortium', {})).members).toHaveLength(3);
        // Two active members are left: the resumption needs both.
        await submit(moAdmin(), 'ProposeMembershipChange', { action: 'resume', mspId: HK });
        expect((await memberOf(HK))?.state).toBe('suspended');
        await submit(gdAdmin(), 'ApproveMembershipChange', { mspId: HK });
        const resumed = await memberOf(HK);
        expect(resumed).toMatchObject({ state: 'active' });
        expect(resumed?.suspendedAt).toBeUndefined();
        await submit(hk('client'), 'AnchorBatch', { issuerId: hkIssuer.id, kid: hkIssuer.kid, root: hex(), leafCount: 1 });
      });

      it('removes by majority (2 of 3): effective at the enacting transaction, history intact, other members unaffected', async () => {
        await submit(moAdmin(), 'ProposeMembershipChange', { action: 'remove', mspId: HK });
        const l = await gdAdmin();
        const { result, evidence } = await l.submit<{ state: string; enactedAt: string }>('ApproveMembershipChange', { mspId: HK });
        expect(result.enactedAt).toBe(evidence.timestamp);
        expect(await memberOf(HK)).toMatchObject({ state: 'removed', removedAt: evidence.timestamp, joinedAt: expect.any(String) });
        await expectCode(hk('client').then((l2) => l2.submit('AnchorBatch', { issuerId: hkIssuer.id, kid: hkIssuer.kid, root: hex(), leafCount: 1 })), 'NOT_A_MEMBER');
        await expectCode(hk('client').then((l2) => l2.evaluate('GetConsortium', {})), 'NOT_A_MEMBER');
        await expectCode(submitCall(gdAdmin(), 'ProposeMembershipChange', { action: 'remove', mspId: HK }), 'MEMBER_NOT_FOUND');
        // Its records stay: the issuer, its anchors and its approvals remain readable as they were.
        expect((await evaluate<Anchor>(moClient(), 'GetAnchor', { root: hkIssuer.root })).issuerId).toBe(hkIssuer.id);
        expect((await evaluate<{ issuer: Issuer }>(moClient(), 'GetIssuer', { issuerId: hkIssuer.id })).issuer.state).toBe('active');
        const history = await evaluate<Array<{ value: { action: string; state: string } }>>(moClient(), 'GetHistory', { record: 'membership', mspId: HK });
        expect(history.map((h) => `${h.value.action}/${h.value.state}`)).toEqual(['add/open', 'add/enacted', 'suspend/open', 'suspend/enacted', 'resume/open', 'resume/enacted', 'remove/open', 'remove/enacted']);
        // The two remaining members still govern and issue.
        const { id, kid } = await activeIssuer('MO');
        await submit(moClient(), 'AnchorBatch', { issuerId: id, kid, root: hex(), leafCount: 1 });
      });
    });

    describe('coverage of this suite', () => {
      it('called every transaction', () => {
        for (const tx of [...SUBMIT_TRANSACTIONS, ...EVALUATE_TRANSACTIONS]) expect([tx, calledTx.has(tx)]).toEqual([tx, true]);
      });
      it('provoked every reachable chaincode error code', () => {
        const unreachable: ReadonlySet<string> = new Set(Object.keys(CODES_NOT_REACHABLE));
        for (const code of CHAINCODE_ERROR_CODES) if (!unreachable.has(code)) expect([code, seenCodes.has(code)]).toEqual([code, true]);
      });
    });
  });
}
