/**
 * Issuing clerk: one credential from the form, or a CSV batch sent to the bulk endpoint in chunks (progress shown;
 * a refused row is listed with its code and its chunk sent again without it); each QR shown as an image with SVG and
 * PNG downloads and a print view; revocation of an own credential with a reason code.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorCodeOf, type Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { issuerLabel, labelOf } from '../i18n/label-of';
import type { Session } from '../session/session';
import { csvRows, type CsvFailure, type CsvRow } from './csv-rows';
import { IssuedCard, type Issued } from './issued-card';
import { download } from './qr-image';
import { RevokeForm } from './revoke-form';

const CHUNK = 100;
/** QR images drawn at most (each is a canvas and an image); all issued QRs stay downloadable as one CSV. */
const SHOWN = 500;
/** Issued credentials this page keeps (one bulk batch at most): QR texts only, no holder data beyond the masked name. */
const KEPT = 10_000;

interface IssuerInfo { issuerId: string; displayName: string; displayNames?: Record<string, string>; credentialTypes: string[]; state: string }
interface Defaults { issuerId: string; credentialType: string; validityHours: number }

export function IssuerScreen(props: { api: Api; t: Translate; session: Session }) {
  const { api, t, session } = props;
  const [issuers, setIssuers] = useState<IssuerInfo[]>([]);
  const [defaults, setDefaults] = useState<Defaults>({ issuerId: session.issuers[0] ?? '', credentialType: '', validityHours: 24 });
  const [issued, setIssued] = useState<Issued[]>([]);
  const [failures, setFailures] = useState<CsvFailure[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    void api<{ issuers: IssuerInfo[] }>('GET', '/v1/trust/issuers').then(({ issuers: all }) => {
      const own = all.filter((i) => session.issuers.includes(i.issuerId));
      setIssuers(own);
      const first = own[0];
      if (first) setDefaults((d) => ({ ...d, issuerId: d.issuerId || first.issuerId, credentialType: d.credentialType || (first.credentialTypes[0] ?? '') }));
    }).catch((e: unknown) => setError(errorCodeOf(e)));
  }, [api, session]);

  const requestOf = (row: Omit<CsvRow, 'line'>) => ({
    issuerId: defaults.issuerId, credentialType: row.credentialType ?? defaults.credentialType, status: row.status,
    holder: { name: row.name, documentType: row.documentType.toUpperCase(), documentNumber: row.documentNumber },
    validitySeconds: (row.validityHours ?? defaults.validityHours) * 3600,
  });

  const issueOne = async (form: HTMLFormElement) => {
    const v = (n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
    setError(undefined);
    try {
      const r = await api<Issued>('POST', '/v1/credentials', requestOf({ name: v('name'), documentType: v('documentType'), documentNumber: v('documentNumber'), status: v('status') }));
      setIssued((list) => [{ ...r, label: r.leafHash.slice(0, 12) }, ...list].slice(0, KEPT));
      form.reset();
    } catch (e) {
      setError(errorCodeOf(e));
    }
  };

  const issueCsv = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    const { rows, failures: invalid, headerError } = csvRows(await file.text());
    if (headerError) return setError(headerError);
    const failed = [...invalid];
    const done: Issued[] = [];
    setProgress({ done: 0, total: rows.length });
    for (let start = 0; start < rows.length; start += CHUNK) {
      let chunk = rows.slice(start, start + CHUNK);
      // All or nothing per call: a refused row comes back as details.index; list it and send the rest again.
      while (chunk.length > 0) {
        try {
          const { credentials } = await api<{ credentials: Issued[] }>('POST', '/v1/credentials/bulk', { credentials: chunk.map(requestOf) });
          credentials.forEach((c, i) => done.push({ ...c, label: `#${chunk[i]?.line ?? ''}`, line: chunk[i]?.line ?? 0 }));
          break;
        } catch (e) {
          const index = e instanceof ApiError ? e.details?.['index'] : undefined;
          if (typeof index !== 'number' || !chunk[index]) {
            chunk.forEach((r) => failed.push({ line: r.line, code: errorCodeOf(e) }));
            break;
          }
          failed.push({ line: chunk[index].line, code: (e as ApiError).code });
          chunk = chunk.filter((_, i) => i !== index);
        }
      }
      setProgress({ done: Math.min(rows.length, start + CHUNK), total: rows.length });
    }
    setIssued((list) => [...done, ...list].slice(0, KEPT));
    setFailures(failed.sort((a, b) => a.line - b.line));
  };

  const current = issuers.find((i) => i.issuerId === defaults.issuerId);
  return (
    <div class="issuer">
      <section class="panel no-print">
        <h2>{t('issuer.settings')}</h2>
        <div class="grid">
          <label>{t('field.issuer')}
            <select value={defaults.issuerId} onChange={(e) => setDefaults({ ...defaults, issuerId: e.currentTarget.value })}>
              {session.issuers.map((id) => <option key={id} value={id}>{issuerLabel(t, { id, ...issuers.find((i) => i.issuerId === id) })}</option>)}
            </select>
          </label>
          <label>{t('field.type')}
            <select value={defaults.credentialType} data-testid="credential-type" onChange={(e) => setDefaults({ ...defaults, credentialType: e.currentTarget.value })}>
              {(current?.credentialTypes ?? []).map((c) => <option key={c} value={c}>{labelOf(t, 'credentialType', c)}</option>)}
            </select>
          </label>
          <label>{t('issuer.validityHours')}
            <input type="number" min={1} max={9600} value={defaults.validityHours} onChange={(e) => setDefaults({ ...defaults, validityHours: Number(e.currentTarget.value) || 24 })} />
          </label>
        </div>
      </section>
      <section class="panel no-print">
        <h2>{t('issuer.one')}</h2>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); void issueOne(e.currentTarget); }}>
          <label>{t('field.holderName')}<input name="name" required maxLength={200} autocomplete="off" /></label>
          <label>{t('field.documentType')}<input name="documentType" required pattern="[A-Za-z]{2,8}" placeholder="HRP" autocomplete="off" /></label>
          <label>{t('field.documentNumber')}<input name="documentNumber" required minLength={4} maxLength={40} autocomplete="off" /></label>
          <label>{t('field.status')}<input name="status" required pattern="[a-z0-9][a-z0-9\-]{0,31}" placeholder="green" autocomplete="off" /></label>
          <button type="submit" class="big">{t('issuer.issue')}</button>
        </form>
      </section>
      <section class="panel no-print">
        <h2>{t('issuer.batch')}</h2>
        <p class="muted">{t('issuer.csvHelp')}</p>
        <label class="big file-button">{t('issuer.chooseCsv')}
          <input type="file" accept=".csv,text/csv" data-testid="csv-file" onChange={(e) => { const input = e.currentTarget; void issueCsv(input.files?.[0]).finally(() => { input.value = ''; }); }} />
        </label>
        {progress && (
          <p role="status" data-testid="progress" data-done={progress.done} data-total={progress.total}>
            <progress max={progress.total} value={progress.done} /> {t('issuer.progress', { done: progress.done, total: progress.total })}
          </p>
        )}
        {failures.length > 0 && (
          <table class="failures" data-testid="failures">
            <caption>{t('issuer.failedRows', { n: failures.length })}</caption>
            <thead><tr><th>{t('issuer.line')}</th><th>{t('issuer.code')}</th></tr></thead>
            <tbody>{failures.map((f) => <tr key={f.line}><td>{f.line}</td><td><code>{f.code}</code> {codeMessage(t, f.code)}</td></tr>)}</tbody>
          </table>
        )}
      </section>
      {error && <p class="error" role="alert" data-code={error}>{codeMessage(t, error)}</p>}
      {issued.length > 0 && (
        <section class="panel">
          <h2 class="no-print">
            {t('issuer.issued', { n: issued.length })} <button type="button" onClick={() => window.print()}>{t('issuer.print')}</button>{' '}
            <button type="button" data-testid="download-all" onClick={() => download(new Blob([qrTextsCsv(issued)], { type: 'text/csv' }), 'credentials.csv')}>{t('issuer.downloadAll')}</button>
          </h2>
          {issued.length > SHOWN && <p class="muted no-print">{t('issuer.showing', { shown: SHOWN, total: issued.length })}</p>}
          <div class="cards" data-testid="issued">{issued.slice(0, SHOWN).map((c) => <IssuedCard key={c.leafHash} credential={c} t={t} />)}</div>
        </section>
      )}
      <RevokeForm api={api} t={t} issuerId={defaults.issuerId} />
    </div>
  );
}

/** Every issued credential as CSV (CSV line, leaf hash, QR text) for printing or mailing elsewhere. */
function qrTextsCsv(issued: readonly Issued[]): string {
  return ['line,leafHash,qr', ...issued.map((c) => `${c.line ?? ''},${c.leafHash},${c.qr}`)].join('\r\n') + '\r\n';
}
