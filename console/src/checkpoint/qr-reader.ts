/**
 * The QR decoder, loaded on first use (it is most of the page's weight): ZXing-C++ compiled to WebAssembly
 * (zxing-wasm, maintained, ~10× faster than pure-JS decoders on a phone-class CPU). Its .wasm file is one of the
 * console's own built files — the library's default would fetch it from a CDN.
 */
import type { ReaderOptions } from 'zxing-wasm/reader';

type ReadBarcodes = (typeof import('zxing-wasm/reader'))['readBarcodes'];

let loading: Promise<ReadBarcodes> | undefined;

function reader(): Promise<ReadBarcodes> {
  loading ??= (async () => {
    const [zxing, wasm] = await Promise.all([import('zxing-wasm/reader'), import('zxing-wasm/reader/zxing_reader.wasm?url')]);
    zxing.prepareZXingModule({ overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasm.default : prefix + path) } });
    return zxing.readBarcodes;
  })();
  return loading;
}

const OPTIONS: ReaderOptions = { formats: ['QRCode'], maxNumberOfSymbols: 1, tryHarder: true };

/** The text of the first QR code in the image, or undefined when none can be read. */
export async function readQr(image: ImageData | Blob): Promise<string | undefined> {
  const read = await reader();
  const [first] = await read(image, OPTIONS);
  return first?.isValid ? first.text : undefined;
}

/** Starts loading the decoder without waiting (when the checkpoint screen opens). */
export function preloadQrReader(): void {
  void reader().catch(() => { loading = undefined; });
}

/** What a USB scanner or a paste delivers: the text with trailing CR, LF and spaces (and leading ones) removed. */
export function scannedText(raw: string): string {
  return raw.replace(/^[\s\u00a0]+|[\s\u00a0]+$/g, '');
}
