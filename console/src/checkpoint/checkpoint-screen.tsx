/**
 * The checkpoint lane: camera, image file, or USB scanner / paste; the decision fills the screen. The last scans
 * stay in this page's memory only (ten, no personal data beyond what the decision showed), never stored or sent.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/gateway-api';
import { codeMessage, type Translate } from '../i18n/catalogue';
import { startCamera, type CameraScanner } from './camera-scanner';
import { DecisionPanel } from './decision-panel';
import { preloadQrReader, readQr, scannedText } from './qr-reader';
import { failed, outcomeOf, unreadable, type ScanOutcome } from './scan-outcome';
import { TrustBar } from './trust-bar';
import { newTrustStore, type TrustStore } from './trust-store';

const HISTORY = 10;
const REFRESH_MS = 30_000;

export function CheckpointScreen(props: { api: Api; t: Translate }) {
  const { api, t } = props;
  const [store] = useState<TrustStore>(() => newTrustStore(api));
  const [outcome, setOutcome] = useState<ScanOutcome>();
  const [history, setHistory] = useState<ScanOutcome[]>([]);
  const [cameraError, setCameraError] = useState<string>();
  const [cameraOn, setCameraOn] = useState(false);
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const camera = useRef<CameraScanner | undefined>(undefined);
  const typed = useRef<HTMLInputElement>(null);

  useEffect(() => {
    preloadQrReader();
    void store.pin().catch(() => undefined);
    const timer = setInterval(() => void store.refresh(), REFRESH_MS);
    return () => { clearInterval(timer); camera.current?.stop(); };
  }, [store]);

  const show = (o: ScanOutcome) => {
    camera.current?.pause(true);
    setOutcome(o);
    setHistory((h) => [o, ...h].slice(0, HISTORY));
  };
  const decide = async (raw: string, startedAt: number) => {
    const qr = scannedText(raw);
    if (qr === '') return;
    setBusy(true);
    try {
      show(await outcomeOf(qr, await store.verify(qr), startedAt));
    } catch (e) {
      show(failed((e as { code?: string }).code ?? 'NETWORK_UNREACHABLE'));
    } finally {
      setBusy(false);
    }
  };
  const next = () => {
    setOutcome(undefined);
    camera.current?.pause(false);
    if (!camera.current) typed.current?.focus();
  };
  const toggleCamera = async () => {
    if (camera.current) {
      camera.current.stop();
      camera.current = undefined;
      setCameraOn(false);
      return;
    }
    setCameraError(undefined);
    try {
      camera.current = await startCamera(video.current as HTMLVideoElement, (text, frameAt) => void decide(text, frameAt));
      setCameraOn(true);
    } catch (e) {
      setCameraError((e as { name?: string }).name === 'NotAllowedError' ? 'CAMERA_DENIED' : 'CAMERA_UNAVAILABLE');
    }
  };
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    const startedAt = performance.now();
    const text = await readQr(file).catch(() => undefined);
    if (text === undefined) show(unreadable(startedAt));
    else await decide(text, startedAt);
  };

  return (
    <div class="checkpoint">
      <TrustBar store={store} t={t} />
      <div class="scan-inputs">
        <button type="button" class="big" onClick={() => void toggleCamera()} aria-pressed={cameraOn}>
          {cameraOn ? t('checkpoint.cameraStop') : t('checkpoint.cameraStart')}
        </button>
        <label class="big file-button">
          {t('checkpoint.imageFile')}
          <input type="file" accept="image/*" data-testid="qr-file" onChange={(e) => { const input = e.currentTarget; void onFile(input.files?.[0]).then(() => { input.value = ''; }); }} />
        </label>
      </div>
      {cameraError && <p class="error" role="status">{codeMessage(t, cameraError)}</p>}
      <video ref={video} class={cameraOn ? 'camera' : 'camera hidden'} aria-label={t('checkpoint.camera')} />
      <form class="scan-text" onSubmit={(e) => { e.preventDefault(); const input = typed.current; if (input) { const v = input.value; input.value = ''; void decide(v, performance.now()); } }}>
        <label for="scan-text">{t('checkpoint.typeOrScan')}</label>
        <input id="scan-text" ref={typed} autocomplete="off" spellcheck={false} class="big-input" data-testid="qr-text" disabled={busy} />
        <button type="submit" class="big">{t('checkpoint.verify')}</button>
      </form>
      {history.length > 0 && (
        <section class="history" aria-label={t('checkpoint.lastScans')}>
          <h3>{t('checkpoint.lastScans')}</h3>
          <ol>
            {history.map((h) => (
              <li key={h.seq} class={`history-${h.kind.toLowerCase()}`}>
                {new Date(h.at).toLocaleTimeString(t('locale'))} · {h.kind === 'ACCEPT' ? t('checkpoint.accept') : h.kind === 'REJECT' ? t('checkpoint.reject') : t('checkpoint.scanAgain')}
                {h.kind !== 'ACCEPT' && ` · ${codeMessage(t, h.reason)}`}
                {h.result?.display?.maskedName && ` · ${h.result.display.maskedName}`}
              </li>
            ))}
          </ol>
        </section>
      )}
      {outcome && <DecisionPanel outcome={outcome} t={t} onNext={next} />}
    </div>
  );
}
