/**
 * Governance for an organisation's admins: propose and approve issuers and issuer keys, write recognition policies.
 * What waits for the other jurisdiction: issuers still `proposed` on the ledger, and the proposals made from this
 * page (a proposed key is not published until approved); what is in effect: issuers and keys as the trust state
 * lists them, with the times they took effect.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorCodeOf, type Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { labelOf } from '../i18n/label-of';

interface IssuerView {
  issuerId: string; displayName: string; ownerMsp: string; state: string; credentialTypes: string[];
  jwks: { keys: Array<Record<string, unknown>> };
}
interface Write { record: Record<string, unknown>; evidence: { txId: string; blockNumber: number; timestamp: string; endorsedBy: string[] } }
interface Done { what: string; subject: string; evidence: Write['evidence']; state?: string }

export function GovernanceScreen(props: { api: Api; t: Translate }) {
  const { api, t } = props;
  const [issuers, setIssuers] = useState<IssuerView[]>([]);
  const [done, setDone] = useState<Done[]>([]);
  const [error, setError] = useState<string>();
  const reload = () => api<{ issuers: IssuerView[] }>('GET', '/v1/trust/issuers').then((r) => setIssuers(r.issuers)).catch((e: unknown) => setError(errorCodeOf(e)));
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

  const pending = issuers.filter((i) => i.state === 'proposed');
  const inEffect = issuers.filter((i) => i.state !== 'proposed');
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
      <section class="panel">
        <h2>{t('governance.pending')}</h2>
        {pending.length === 0 ? <p class="muted">{t('governance.nothingPending')}</p> : (
          <ul>{pending.map((i) => <li key={i.issuerId}><code>{i.issuerId}</code> {i.displayName} ({i.ownerMsp})</li>)}</ul>
        )}
        <h2>{t('governance.inEffect')}</h2>
        <table data-testid="issuers">
          <thead><tr><th>{t('field.issuerId')}</th><th>{t('field.issuer')}</th><th>{t('governance.state')}</th><th>{t('governance.keys')}</th></tr></thead>
          <tbody>{inEffect.map((i) => (
            <tr key={i.issuerId}>
              <td><code>{i.issuerId}</code></td><td>{i.displayName} ({i.ownerMsp})</td><td>{labelOf(t, 'state', i.state)}</td>
              <td>{i.jwks.keys.map((k) => <div key={String(k['kid'])} data-kid={String(k['kid'])}><code>{String(k['kid'])}</code> {labelOf(t, 'state', String(k['state'] ?? ''))} {String(k['validFrom'] ?? '')}</div>)}</td>
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
