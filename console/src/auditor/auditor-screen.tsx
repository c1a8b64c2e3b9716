/**
 * Ledger explorer for auditors: recent blocks with their links checked in the page, the gateway's check of the
 * whole chain, a transaction, the anchors of an issuer by time, the leaf status of a scanned QR with its evidence
 * (exported as JSON), and the history of an issuer, key or policy.
 */
import { useEffect, useState } from 'preact/hooks';
import { errorCodeOf, type Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { download } from '../issuer/qr-image';
import { readQr, scannedText } from '../checkpoint/qr-reader';
import { checkWholeChain, linksOf, type BlockLink, type ChainCheck } from './hash-chain';

interface Block extends BlockLink { transactions: Array<{ txId: string; txName: string; creatorMsp: string; endorsedBy: string[]; validationCode: string; timestamp: string }> }
type Json = Record<string, unknown>;

export function AuditorScreen(props: { api: Api; t: Translate }) {
  const { api, t } = props;
  const [blocks, setBlocks] = useState<{ height: number; blocks: Block[] }>();
  const [chain, setChain] = useState<ChainCheck>();
  const [leaf, setLeaf] = useState<Json>();
  const [found, setFound] = useState<{ kind: string; value: unknown }>();
  const [error, setError] = useState<string>();
  const guard = async (work: () => Promise<void>) => {
    setError(undefined);
    try { await work(); } catch (e) { setError(errorCodeOf(e)); }
  };
  const loadBlocks = () => guard(async () => setBlocks(await api('GET', '/v1/audit/blocks?limit=20')));
  useEffect(() => void loadBlocks(), [api]);

  const verifyChain = () => guard(async () => setChain(await checkWholeChain(api)));
  const leafStatus = (qr: string) => guard(async () => setLeaf(await api<Json>('POST', '/v1/audit/leaf-status', { qr: scannedText(qr) })));
  const field = (form: HTMLFormElement, n: string) => (form.elements.namedItem(n) as HTMLInputElement).value.trim();
  const links = blocks ? linksOf(blocks.blocks) : [];

  return (
    <div class="auditor">
      {error && <p class="error" role="alert" data-code={error}>{codeMessage(t, error)}</p>}
      <section class="panel">
        <h2>{t('auditor.chain')}</h2>
        <button type="button" class="big" data-testid="verify-chain" onClick={() => void verifyChain()}>{t('auditor.verifyChain')}</button>
        {chain && (
          <p class={chain.valid ? 'ok' : 'error'} role="status" data-testid="chain-result" data-valid={String(chain.valid)}>
            {chain.valid ? t('auditor.chainValid', { height: chain.height }) : t('auditor.chainBroken', { block: chain.firstBreak?.blockNumber ?? '?' })}
          </p>
        )}
      </section>
      <section class="panel">
        <h2>{t('auditor.leaf')}</h2>
        <form onSubmit={(e) => { e.preventDefault(); void leafStatus(field(e.currentTarget, 'qr')); }}>
          <label>{t('auditor.leafQr')}<textarea name="qr" rows={3} spellcheck={false} data-testid="leaf-qr" /></label>
          <label class="file-button">{t('checkpoint.imageFile')}
            <input type="file" accept="image/*" data-testid="leaf-file" onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) void readQr(f).then((text) => (text ? leafStatus(text) : setError('QR_UNREADABLE'))); }} />
          </label>
          <button type="submit" class="big">{t('auditor.leafSubmit')}</button>
        </form>
        {leaf && <LeafView leaf={leaf} t={t} onExport={() => void exportEvidence(api, leaf)} />}
      </section>
      <section class="panel">
        <h2>{t('auditor.anchors')}</h2>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; void guard(async () => {
          const q = new URLSearchParams({ pageSize: '50' });
          for (const k of ['from', 'to']) { const v = field(f, k); if (v) q.set(k, new Date(v).toISOString()); }
          setFound({ kind: 'anchors', value: await api('GET', `/v1/audit/issuers/${encodeURIComponent(field(f, 'issuerId'))}/anchors?${q}`) });
        }); }}>
          <label>{t('field.issuerId')}<input name="issuerId" required data-testid="anchors-issuer" /></label>
          <label>{t('auditor.from')}<input name="from" type="datetime-local" /></label>
          <label>{t('auditor.to')}<input name="to" type="datetime-local" /></label>
          <button type="submit">{t('auditor.search')}</button>
        </form>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; void guard(async () => setFound({ kind: 'transaction', value: await api('GET', `/v1/audit/transactions/${encodeURIComponent(field(f, 'txId'))}`) })); }}>
          <label>{t('auditor.txId')}<input name="txId" required /></label>
          <button type="submit">{t('auditor.search')}</button>
        </form>
        <form class="grid" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget; void guard(async () => {
          const q = new URLSearchParams({ record: field(f, 'record'), issuerId: field(f, 'issuerId') });
          const extra = field(f, 'extra');
          if (extra) q.set(field(f, 'record') === 'issuerKey' ? 'kid' : 'credentialType', extra);
          if (field(f, 'record') === 'recognition') q.set('mspId', field(f, 'mspId'));
          setFound({ kind: 'history', value: await api('GET', `/v1/audit/history?${q}`) });
        }); }}>
          <label>{t('auditor.record')}
            <select name="record"><option value="issuer">{t('auditor.recordIssuer')}</option><option value="issuerKey">{t('auditor.recordKey')}</option><option value="recognition">{t('auditor.recordPolicy')}</option></select>
          </label>
          <label>{t('field.issuerId')}<input name="issuerId" required /></label>
          <label>{t('auditor.kidOrType')}<input name="extra" /></label>
          <label>MSP<input name="mspId" /></label>
          <button type="submit">{t('auditor.history')}</button>
        </form>
        {found && <pre class="json" data-testid={`found-${found.kind}`}>{JSON.stringify(found.value, null, 2)}</pre>}
      </section>
      <section class="panel">
        <h2>{t('auditor.blocks')} {blocks && <span class="muted">{t('auditor.height', { height: blocks.height })}</span>} <button type="button" onClick={() => void loadBlocks()}>{t('trust.refresh')}</button></h2>
        {blocks && (
          <table class="blocks" data-testid="blocks">
            <thead><tr><th>#</th><th>{t('auditor.hash')}</th><th>{t('auditor.link')}</th><th>{t('auditor.transactions')}</th></tr></thead>
            <tbody>
              {blocks.blocks.map((b, i) => (
                <tr key={b.number} data-link={String(links[i])}>
                  <td>{b.number}</td>
                  <td><code title={b.hash}>{b.hash.slice(0, 16)}…</code></td>
                  <td>{links[i] === null ? '—' : links[i] ? '✓ ' + t('auditor.linked') : '✗ ' + t('auditor.unlinked')}</td>
                  <td>{b.transactions.map((x) => <div key={x.txId}><code>{x.txName}</code> {x.creatorMsp} → {x.endorsedBy.join(', ')} {x.validationCode !== 'VALID' && <strong>{x.validationCode}</strong>}</div>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function LeafView(props: { leaf: Json; t: Translate; onExport: () => void }) {
  const { leaf, t, onExport } = props;
  const anchoring = leaf['anchoring'] as { txId: string; blockNumber: number; endorsedBy: string[]; timestamp: string } | undefined;
  return (
    <div class="leaf" data-testid="leaf-status" data-anchored={String(leaf['anchored'])} data-revoked={String(leaf['revoked'])} data-block={anchoring?.blockNumber ?? ''}>
      <dl>
        <dt>{t('auditor.leafHash')}</dt><dd><code>{String(leaf['leafHash'])}</code></dd>
        <dt>{t('auditor.anchored')}</dt><dd>{leaf['anchored'] ? t('common.yes') : t('common.no')}</dd>
        {anchoring && <><dt>{t('auditor.anchoredIn')}</dt><dd>{t('auditor.blockTx', { block: anchoring.blockNumber, tx: anchoring.txId.slice(0, 16) })} · {anchoring.endorsedBy.join(', ')} · {anchoring.timestamp}</dd></>}
        <dt>{t('auditor.revoked')}</dt><dd>{leaf['revoked'] ? t('common.yes') : t('common.no')}</dd>
      </dl>
      <button type="button" onClick={onExport} data-testid="export-evidence">{t('auditor.export')}</button>
    </div>
  );
}

/** The leaf's status, its anchoring transaction and the chain check up to now, as one JSON file. */
async function exportEvidence(api: Api, leaf: Json): Promise<void> {
  const anchoring = leaf['anchoring'] as { txId: string } | undefined;
  const transaction = anchoring ? await api('GET', `/v1/audit/transactions/${encodeURIComponent(anchoring.txId)}`) : undefined;
  const chain = await checkWholeChain(api);
  const evidence = { exportedAt: new Date().toISOString(), gateway: location.origin, leafStatus: leaf, transaction, chainVerification: chain };
  download(new Blob([JSON.stringify(evidence, null, 2)], { type: 'application/json' }), `evidence-${String(leaf['leafHash']).slice(0, 16)}.json`);
}
