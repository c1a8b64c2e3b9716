/**
 * The decision, filling the screen: ACCEPT green, REJECT red with its reason, a decode failure amber ("scan again":
 * a damaged QR is not a forged one). Only what the recognition policy lets an officer see: masked name, document
 * hint, type, status, expiry, issuer. Enter, Escape or the big button goes back to scanning.
 */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { issuerLabel, labelOf } from '../i18n/label-of';
import type { ScanOutcome } from './scan-outcome';

export function DecisionPanel(props: { outcome: ScanOutcome; t: Translate; onNext: () => void }) {
  const { outcome, t, onNext } = props;
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => { button.current?.focus(); }, [outcome]);
  // Frame to decision on screen: the next animation frame after the panel is in the DOM is when it is painted.
  useLayoutEffect(() => {
    const startedAt = outcome.startedAt;
    if (startedAt !== undefined) requestAnimationFrame(() => panel.current?.setAttribute('data-ms-shown', (performance.now() - startedAt).toFixed(1)));
  }, [outcome]);
  const r = outcome.result;
  const kind = outcome.kind;
  const title = kind === 'ACCEPT' ? t('checkpoint.accept') : kind === 'REJECT' ? t('checkpoint.reject') : t('checkpoint.scanAgain');
  return (
    <section
      ref={panel} class={`decision decision-${kind.toLowerCase()}`} role="alert" aria-live="assertive"
      data-decision={kind} data-seq={outcome.seq} data-reason={outcome.reason} data-ms={outcome.ms?.toFixed(1)} data-source={outcome.source}
      data-leaf-hash={r?.evidence?.leafHash ?? ''}
      onKeyDown={(e) => { if (e.key === 'Escape') onNext(); }}
    >
      <h2 class="decision-title">{title}</h2>
      {kind !== 'ACCEPT' && <p class="decision-reason" data-testid="reason">{codeMessage(t, outcome.reason)}</p>}
      {r?.display && (
        <dl class="decision-fields">
          {r.display.maskedName && <><dt>{t('field.name')}</dt><dd>{r.display.maskedName}</dd></>}
          {r.display.documentHint && <><dt>{t('field.document')}</dt><dd>{r.display.documentHint}</dd></>}
          <dt>{t('field.type')}</dt><dd>{labelOf(t, 'credentialType', r.display.credentialType)}</dd>
          {(r.mappedStatus ?? r.claimedStatus) && <><dt>{t('field.status')}</dt><dd>{labelOf(t, 'status', r.mappedStatus ?? r.claimedStatus ?? '')}</dd></>}
          {outcome.expiresAt && <><dt>{t('field.expires')}</dt><dd>{outcome.expiresAt.toLocaleString(t('locale'))}</dd></>}
          <dt>{t('field.issuer')}</dt><dd>{issuerLabel(t, { id: r.display.issuerId, displayName: r.display.issuerName, displayNames: r.display.issuerNames })}</dd>
        </dl>
      )}
      <p class="decision-source">{outcome.source === 'offline' ? t('checkpoint.decidedOffline') : outcome.source === 'gateway' ? t('checkpoint.decidedByGateway') : ''}</p>
      <button ref={button} type="button" class="big" onClick={onNext}>{t('checkpoint.next')}</button>
    </section>
  );
}
