/** One issued credential: its QR as a PNG image, SVG/PNG downloads. Only the leaf hash labels it (no personal data). */
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../i18n/catalogue';
import { download, qrMatrix, qrPng, qrSvg } from './qr-image';

export interface Issued { qr: string; leafHash: string; root: string; label?: string; line?: number }

export function IssuedCard(props: { credential: Issued; t: Translate }) {
  const { credential, t } = props;
  const [png, setPng] = useState<string>();
  useEffect(() => {
    let url: string | undefined;
    let live = true;
    void qrPng(qrMatrix(credential.qr)).then((blob) => { if (live) setPng((url = URL.createObjectURL(blob))); });
    return () => { live = false; if (url) URL.revokeObjectURL(url); };
  }, [credential.qr]);
  const name = `credential-${credential.leafHash.slice(0, 16)}`;
  return (
    <figure class="card" data-leaf-hash={credential.leafHash} data-line={credential.line ?? ''}>
      {png ? <img src={png} alt={t('issuer.qrAlt')} width={240} height={240} /> : <div class="qr-placeholder" />}
      <figcaption>
        <code>{credential.label ?? credential.leafHash.slice(0, 12)}</code>
        <span class="no-print">
          <button type="button" onClick={() => download(new Blob([qrSvg(qrMatrix(credential.qr))], { type: 'image/svg+xml' }), `${name}.svg`)}>SVG</button>
          <button type="button" onClick={() => void qrPng(qrMatrix(credential.qr), 8).then((b) => download(b, `${name}.png`))}>PNG</button>
        </span>
      </figcaption>
    </figure>
  );
}
