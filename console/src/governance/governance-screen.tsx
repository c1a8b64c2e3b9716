/**
 * Governance for an organisation's admins: propose and approve issuers and issuer keys, write recognition policies.
 * What waits for approval and what is in effect (with when) come from the gateway's signed trust snapshot (any role
 * may read it; opened with the gateway's snapshot keys): issuers and keys still `proposed` with the approvals they
 * have — one button approves another organisation's proposal — and the issuers, keys and policies in force.
 */
import { openSignedSnapshot } from '@hutong/verifier-sdk';
import { useEffect, useState } from 'preact/hooks';
import { errorCodeOf, type Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { issuerLabel, labelOf } from '../i18n/label-of';

type Jwks = Parameters<typeof openSignedSnapshot>[1]['jwks'];
interface Approvals { approvals?: Record<string, string> }
interface IssuerRecord extends Approvals { id: string; displayName: string; ownerMsp: string; state: string; credentialTypes: string[]; updatedAt?: string }
interface KeyRecord extends Approvals { issuerId: string; kid: string; state: string; validFrom: string; validUntil: string; activatedAt?: string; revokedAt?: string }
interface PolicyRecord { recognisingMsp: string; issuerId: string; credentialType: string; acceptedStatuses: string[]; maxAgeSeconds: number; validFrom: string; version: number; withdrawn: boolean; updatedAt?: string }
interface Trust { mspId: string; issuers: IssuerRecord[]; keys: KeyRecord[]; policies: PolicyRecord[] }
interface Write { record: Record<string, unknown>; evidence: { txId: string; blockNumber: number; timestamp: string; endorsedBy: string[] } }
interface Done { what: string; subject: string; evidence: Write['evidence']; state?: string }

async function loadTrust(api: Api): Promise<Trust> {
  const [health, jwks, signed] = await Promise.all([
    api<{ org: string }>('GET', '/healthz'), api<Jwks>('GET', '/v1/trust/snapshot-keys'), api<{ jws: string }>('GET', '/v1/trust/snapshot'),
  ]);
  // The snapshot carries the ledger's records as they are (approvals and times included).
  const snapshot = (await openSignedSnapshot(signed.jws, { jwks, jurisdiction: health.org })) as unknown as Omit<Trust, 'mspId'>;
  return { mspId: health.org, issuers: [...snapshot.issuers], keys: [...snapshot.keys], policies: [...snapshot.policies] };
}

const approvalsOf = (r: Approvals) => Object.entries(r.approvals ?? {}).map(([msp, at]) => `${msp} ${at}`).join(', ');

export function GovernanceScreen(props: { api: Api; t: Translate }) {
  const { api, t } = props;
  const [trust, setTrust] = useState<Trust>();
  const [done, setDone] = useState<Done[]>([]);
  const [error, setError] = useState<string>();
  const reload = () => loadTrust(api).then(setTrust).catch((e: unknown) => setError(errorCodeOf(e)));
  useEffect(() => void reload(), [api]);

  const submit = async (what: string, subject: string, method: string, path: string, body?: unknown) => {
    setError(undefined);
    try {
      const w = await api<Write>(method, path, body);
      const state = typeof w.record['state'] === 'string' ? w.record['state'] : undefined;
      setDone((d) => [{ what, subject, evidence: w.evidence, ...(state ? { state } : {}) }, ...d].slice(0, 50));
      await reload();
    } catch (e) {
      setError(errorCodeOf(e));
    }
  };
  const v = (f: HTMLFormElement, n: string) => (f.elements.namedItem(n) as HTMLInputElement).value.trim();
  const seg = encodeURIComponent;
  const json = (text: string): unknown => { try { return JSON.parse(text); } catch { setError('JSON_INVALID'); return undefined; } };

  const mine = trust?.mspId ?? '';
  const issuerName = (id: string) => issuerLabel(t, trust?.issuers.find((i) => i.id === id) ?? { id });
  const pendingIssuers = trust?.issuers.filter((i) => i.state === 'proposed') ?? [];
  const pendingKeys = trust?.keys.filter((k) => k.state === 'proposed') ?? [];
  const ownerOf = (issuerId: string) => trust?.issuers.find((i) => i.id === issuerId)?.ownerMsp;
  // Another organisation's proposal that this one has not approved yet: one button approves it.
  const mayApprove = (owner: string | undefined, r: Approvals) => owner !== mine && !(mine in (r.approvals ?? {}));
  return (
    <div class="governance">
      {error && <p class="error" role="alert" data-code={error}>{codeMessage(t, error)}</p>}
      {done.length > 0 && (
        <section class="panel" data-testid="done">
          <h2>{t('governance.done')}</h2>
          <ul>{done.map((d) => (
            <li key={d.evidence.txId} data-state={d.state ?? ''}>
              {t(`governance.${d.what}`)} <code>{d.subject}</code> → {d.state ? labelOf(t, 'state', d.state) : ''} · {t('auditor.blockTx', { block: d.evidence.blockNumber, tx: d.evidence.txId.slice(0, 12) })} · {d.evidence.timestamp}
              {d.state === 'proposed' && <strong> · {t('governance.waiting')}</strong>}
            </li>
          ))}</ul>
        </section>
      )}
      <section class="panel" data-testid="pending">
        <h2>{t('governance.pending')}</h2>
        {pendingIssuers.length + pendingKeys.length === 0 ? <p class="muted">{t('governance.nothingPending')}</p> : (
          <ul>
            {pendingIssuers.map((i) => (
              <li key={i.id} data-pending-issuer={i.id}>
                <code>{i.id}</code> {issuerName(i.id)} ({i.ownerMsp}) · {t('governance.approvedBy')} {approvalsOf(i)}
                {mayApprove(i.ownerMsp, i) && <> <button type="button" onClick={() => void submit('approveIssuer', i.id, 'POST', `/v1/governance/issuers/${seg(i.id)}/approve`)}>{t('governance.approveIssuer')}</button></>}
              </li>
            ))}
            {pendingKeys.map((k) => (
              <li key={`${k.issuerId}/${k.kid}`} data-pending-kid={k.kid}>
                <code>{k.issuerId}/{k.kid}</code> ({ownerOf(k.issuerId)}) {k.validFrom} → {k.validUntil} · {t('governance.approvedBy')} {approvalsOf(k)}
                {mayApprove(ownerOf(k.issuerId), k) && <> <button type="button" onClick={() => void submit('approveKey', `${k.issuerId}/${k.kid}`, 'POST', `/v1/governance/issuers/${seg(k.issuerId)}/keys/${seg(k.kid)}/approve`)}>{t('governance.approveKey')}</button></>}
              </li>
            ))}
          </ul>
        )}
        <h2>{t('governance.inEffect')}</h2>
        <table data-testid="issuers">
          <thead><tr><th>{t('field.issuerId')}</th><th>{t('field.issuer')}</th><th>{t('governance.state')}</th><th>{t('governance.keys')}</th></tr></thead>
          <tbody>{(trust?.issuers ?? []).filter((i) => i.state !== 'proposed').map((i) => (
            <tr key={i.id}>
              <td><code>{i.id}</code></td><td>{issuerName(i.id)} ({i.ownerMsp})</td><td>{labelOf(t, 'state', i.state)} {i.updatedAt ?? ''}</td>
              <td>{(trust?.keys ?? []).filter((k) => k.issuerId === i.id && k.state !== 'proposed').map((k) => (
                <div key={k.kid} data-kid={k.kid} data-state={k.state}>
                  <code>{k.kid}</code> {labelOf(t, 'state', k.state)} {t('governance.since', { at: k.revokedAt ?? k.activatedAt ?? k.validFrom })}
                </div>
              ))}</td>
            </tr>
          ))}</tbody>
        </table>
        <h3>{t('governance.policies')}</h3>
        <table data-testid="policies">
          <thead><tr><th>MSP</th><th>{t('field.issuerId')}</th><th>{t('field.type')}</th><th>{t('governance.acceptedStatuses')}</th><th>{t('governance.validFrom')}</th></tr></thead>
          <tbody>{(trust?.policies ?? []).map((p) => (
            <tr key={`${p.recognisingMsp}/${p.issuerId}/${p.credentialType}`} class={p.withdrawn ? 'muted' : ''}>
              <td>{p.recognisingMsp}</td><td><code>{p.issuerId}</code></td><td>{labelOf(t, 'credentialType', p.credentialType)}</td>
              <td>{p.withdrawn ? t('governance.withdrawn') : p.acceptedStatuses.map((st) => labelOf(t, 'status', st)).join(', ')}</td>
              <td>{p.validFrom} (v{p.version})</td>
            </tr>
          ))}</tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('governance.issuers')}</h2>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; void submit('proposeIssuer', v(f, 'issuerId'), 'POST', '/v1/governance/issuers', {
          issuerId: v(f, 'issuerId'), displayName: v(f, 'displayName'), credentialTypes: v(f, 'types').split(',').map((s) => s.trim()).filter(Boolean) }); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <label>{t('governance.displayName')}<input name="displayName" required /></label>
          <label>{t('governance.credentialTypes')}<input name="types" required placeholder="health-code" /></label>
          <button type="submit">{t('governance.proposeIssuer')}</button>
        </form>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const id = v(e.currentTarget, 'issuerId'); void submit('approveIssuer', id, 'POST', `/v1/governance/issuers/${seg(id)}/approve`); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <button type="submit">{t('governance.approveIssuer')}</button>
        </form>
      </section>
      <section class="panel">
        <h2>{t('governance.keys')}</h2>
        <form class="grid" data-testid="propose-key" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; const jwk = json(v(f, 'jwk')); if (jwk === undefined) return;
          void submit('proposeKey', `${v(f, 'issuerId')}/${v(f, 'kid')}`, 'POST', `/v1/governance/issuers/${seg(v(f, 'issuerId'))}/keys`, {
            kid: v(f, 'kid'), jwk, validFrom: new Date(v(f, 'validFrom')).toISOString(), validUntil: new Date(v(f, 'validUntil')).toISOString() }); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <label>{t('governance.kid')}<input name="kid" required /></label>
          <label>{t('governance.validFrom')}<input name="validFrom" type="datetime-local" required /></label>
          <label>{t('governance.validUntil')}<input name="validUntil" type="datetime-local" required /></label>
          <label class="wide">{t('governance.jwk')}<textarea name="jwk" rows={3} required spellcheck={false} /></label>
          <button type="submit">{t('governance.proposeKey')}</button>
        </form>
        <form class="grid" data-testid="approve-key" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget;
          void submit('approveKey', `${v(f, 'issuerId')}/${v(f, 'kid')}`, 'POST', `/v1/governance/issuers/${seg(v(f, 'issuerId'))}/keys/${seg(v(f, 'kid'))}/approve`); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <label>{t('governance.kid')}<input name="kid" required /></label>
          <button type="submit">{t('governance.approveKey')}</button>
        </form>
      </section>
      <section class="panel">
        <h2>{t('governance.policies')}</h2>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; const mapping = json(v(f, 'mapping')); if (mapping === undefined) return;
          void submit('putPolicy', `${v(f, 'issuerId')}/${v(f, 'type')}`, 'PUT', `/v1/governance/policies/${seg(v(f, 'issuerId'))}/${seg(v(f, 'type'))}`, {
            statusMapping: mapping, acceptedStatuses: v(f, 'accepted').split(',').map((s) => s.trim()).filter(Boolean),
            maxAgeSeconds: Number(v(f, 'maxAge')), validFrom: new Date(v(f, 'validFrom') || Date.now()).toISOString() }); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <label>{t('field.type')}<input name="type" required /></label>
          <label class="wide">{t('governance.statusMapping')}<input name="mapping" required placeholder='{"green":"green"}' /></label>
          <label>{t('governance.acceptedStatuses')}<input name="accepted" required placeholder="green" /></label>
          <label>{t('governance.maxAgeSeconds')}<input name="maxAge" type="number" min={1} required /></label>
          <label>{t('governance.validFrom')}<input name="validFrom" type="datetime-local" /></label>
          <button type="submit">{t('governance.putPolicy')}</button>
        </form>
      </section>
    </div>
  );
}
