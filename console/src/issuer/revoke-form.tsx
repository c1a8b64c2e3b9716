/** Revokes one of the issuer's own credentials by its QR text, with a reason code (the chaincode's list). */
import { useState } from 'preact/hooks';
import { errorCodeOf, type Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { readQr, scannedText } from '../checkpoint/qr-reader';
import { REVOCATION_REASONS } from './revocation-reasons';


export function RevokeForm(props: { api: Api; t: Translate; issuerId: string }) {
  const { api, t, issuerId } = props;
  const [message, setMessage] = useState<{ code: string; ok: boolean }>();
  const submit = async (form: HTMLFormElement) => {
    const qr = scannedText((form.elements.namedItem('qr') as HTMLTextAreaElement).value);
    const reason = (form.elements.namedItem('reason') as HTMLSelectElement).value;
    try {
      const r = await api<{ state: string }>('POST', '/v1/revocations', { issuerId, reason, qr });
      setMessage({ code: r.state === 'committed' ? 'REVOCATION_COMMITTED' : 'REVOCATION_QUEUED', ok: true });
      form.reset();
    } catch (e) {
      setMessage({ code: errorCodeOf(e), ok: false });
    }
  };
  return (
    <section class="panel no-print">
      <h2>{t('issuer.revoke')}</h2>
      <form onSubmit={(e) => { e.preventDefault(); void submit(e.currentTarget); }}>
        <label>{t('issuer.revokeQr')}<textarea name="qr" rows={3} required spellcheck={false} data-testid="revoke-qr" /></label>
        <label class="file-button">{t('checkpoint.imageFile')}
          <input type="file" accept="image/*" data-testid="revoke-file" onChange={(e) => {
            const input = e.currentTarget;
            const area = input.form?.elements.namedItem('qr') as HTMLTextAreaElement | null;
            const file = input.files?.[0];
            if (file && area) void readQr(file).then((text) => { if (text) area.value = text; else setMessage({ code: 'QR_UNREADABLE', ok: false }); });
          }} />
        </label>
        <label>{t('issuer.revokeReason')}
          <select name="reason" data-testid="revoke-reason">{REVOCATION_REASONS.map((r) => <option key={r} value={r}>{t(`revocationReason.${r}`)}</option>)}</select>
        </label>
        <button type="submit" class="big">{t('issuer.revokeSubmit')}</button>
      </form>
      {message && <p class={message.ok ? 'ok' : 'error'} role="status" data-code={message.code}>{codeMessage(t, message.code)}</p>}
    </section>
  );
}
