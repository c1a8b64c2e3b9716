/** The trust snapshot's age and whether the gateway answers, with a manual refresh. */
import { useEffect, useState } from 'preact/hooks';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { MAX_AGE_SECONDS, type TrustStore } from './trust-store';

export function TrustBar(props: { store: TrustStore; t: Translate }) {
  const { store, t } = props;
  const [state, setState] = useState(store.state());
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const off = store.onChange(() => setState(store.state()));
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => { off(); clearInterval(tick); };
  }, [store]);
  const age = state.generatedAt ? Math.max(0, Math.round((now - Date.parse(state.generatedAt)) / 1000)) : undefined;
  const stale = age !== undefined && age > MAX_AGE_SECONDS;
  return (
    <div class={`trust-bar ${state.online && !stale ? 'online' : 'offline'}`} role="status" data-testid="trust-bar" data-online={String(state.online)} data-error={state.lastError ?? ''} data-has-snapshot={String(age !== undefined)}>
      <span>{age === undefined ? t('trust.none') : t('trust.age', { age: formatAge(age, t) })}</span>
      <span>{state.online ? t('trust.online') : t('trust.offline')}</span>
      {stale && <strong>{t('trust.stale')}</strong>}
      {state.lastError && <span class="muted">{codeMessage(t, state.lastError)}</span>}
      <button type="button" onClick={() => void store.refresh()}>{t('trust.refresh')}</button>
    </div>
  );
}

function formatAge(seconds: number, t: Translate): string {
  if (seconds < 120) return t('time.seconds', { n: seconds });
  if (seconds < 7200) return t('time.minutes', { n: Math.round(seconds / 60) });
  return t('time.hours', { n: Math.round(seconds / 3600) });
}
