/**
 * The console's shell: language, sign-in, and one screen per role the token holds (checkpoint, issuer, auditor,
 * admin → governance). Screens other than the checkpoint load on demand to keep the lane's page small.
 */
import { lazy, Suspense } from 'preact/compat';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { gatewayApi } from './api/gateway-api';
import { CheckpointScreen } from './checkpoint/checkpoint-screen';
import { forgetTrust } from './checkpoint/trust-store';
import { LANGUAGES, pickLanguage, translator, type Language } from './i18n/catalogue';
import { keepSession, storedSession, type Role, type Session } from './session/session';
import { SignIn } from './session/sign-in';

const IssuerScreen = lazy(() => import('./issuer/issuer-screen').then((m) => m.IssuerScreen));
const AuditorScreen = lazy(() => import('./auditor/auditor-screen').then((m) => m.AuditorScreen));
const GovernanceScreen = lazy(() => import('./governance/governance-screen').then((m) => m.GovernanceScreen));

const LANGUAGE_KEY = 'hutong.console.language';
const SCREEN_OF: Readonly<Record<Role, string>> = { checkpoint: 'nav.checkpoint', issuer: 'nav.issuer', auditor: 'nav.auditor', admin: 'nav.governance' };

function initialLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(saved ?? '') ? (saved as Language) : pickLanguage(navigator.languages);
}

export function App() {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [screen, setScreen] = useState<Role | undefined>(session?.roles[0]);
  const t = useMemo(() => translator(language), [language]);
  const api = useMemo(() => gatewayApi(session?.token), [session]);
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t('app.title');
  }, [language, t]);

  const choose = (l: Language) => { setLanguage(l); localStorage.setItem(LANGUAGE_KEY, l); };
  const signIn = (s: Session | undefined) => { forgetTrust(); keepSession(s); setSession(s); setScreen(s?.roles[0]); };

  return (
    <div class="app">
      <header class="top">
        <h1>{t('app.title')}</h1>
        {session && (
          <nav aria-label={t('nav.label')}>
            {session.roles.map((r) => (
              <button key={r} type="button" class={screen === r ? 'tab current' : 'tab'} aria-current={screen === r ? 'page' : undefined} data-screen={r} onClick={() => setScreen(r)}>
                {t(SCREEN_OF[r])}
              </button>
            ))}
          </nav>
        )}
        <label class="language">
          <span class="sr-only">{t('app.language')}</span>
          <select value={language} data-testid="language" onChange={(e) => choose(e.currentTarget.value as Language)}>
            {LANGUAGES.map((l) => <option key={l} value={l}>{t(`language.${l}`)}</option>)}
          </select>
        </label>
        {session && <button type="button" class="tab" onClick={() => signIn(undefined)}>{t('app.signOut')}</button>}
      </header>
      <main>
        {!session && <SignIn t={t} onSession={signIn} />}
        {session && screen === 'checkpoint' && <CheckpointScreen api={api} t={t} />}
        <Suspense fallback={<p>{t('app.loading')}</p>}>
          {session && screen === 'issuer' && <IssuerScreen api={api} t={t} session={session} />}
          {session && screen === 'auditor' && <AuditorScreen api={api} t={t} />}
          {session && screen === 'admin' && <GovernanceScreen api={api} t={t} />}
        </Suspense>
      </main>
    </div>
  );
}
