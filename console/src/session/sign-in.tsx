/** Paste a bearer token; it is checked against the gateway before the console keeps it (this tab only). */
import { useState } from 'preact/hooks';
import { gatewayApi, errorCodeOf } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { sessionOf, type Session } from './session';

export function SignIn(props: { t: Translate; onSession: (s: Session) => void }) {
  const { t, onSession } = props;
  const [error, setError] = useState<string>();
  const submit = async (token: string) => {
    const session = sessionOf(token);
    if (!session) return setError('TOKEN_NOT_RECOGNISED');
    try {
      // Any role may read the snapshot: a cheap check that this gateway accepts the token.
      await gatewayApi(session.token)('GET', '/v1/trust/snapshot');
      onSession(session);
    } catch (e) {
      setError(errorCodeOf(e));
    }
  };
  return (
    <form class="sign-in" onSubmit={(e) => { e.preventDefault(); const area = (e.currentTarget as HTMLFormElement).elements.namedItem('token') as HTMLTextAreaElement; void submit(area.value); area.value = ''; }}>
      <h2>{t('signIn.title')}</h2>
      <p>{t('signIn.help')}</p>
      <label for="token">{t('signIn.token')}</label>
      <textarea id="token" name="token" rows={5} autocomplete="off" spellcheck={false} data-testid="token" />
      {error && <p class="error" role="alert" data-code={error}>{codeMessage(t, error)}</p>}
      <button type="submit" class="big">{t('signIn.submit')}</button>
    </form>
  );
}
