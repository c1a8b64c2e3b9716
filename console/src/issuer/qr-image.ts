/**
 * A credential's QR text as an image (uqr: a maintained, dependency-free port of Nayuki's encoder; it picks the
 * alphanumeric mode the HT1 envelope is made for). ECC level M survives a crease or a glare spot on paper.
 */
import { encode } from 'uqr';

export interface QrMatrix { size: number; dark: boolean[][] }

export function qrMatrix(text: string): QrMatrix {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  return { size, dark: data };
}

/** SVG with one path of unit squares (no inline styles: the console's CSP allows none). */
export function qrSvg(m: QrMatrix): string {
  let d = '';
  m.dark.forEach((row, y) => row.forEach((on, x) => { if (on) d += `M${x} ${y}h1v1h-1z`; }));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${m.size} ${m.size}" shape-rendering="crispEdges"><rect width="${m.size}" height="${m.size}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`;
}

export function qrPng(m: QrMatrix, scale = 4): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = m.size * scale;
  const g = canvas.getContext('2d') as CanvasRenderingContext2D;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#000';
  m.dark.forEach((row, y) => row.forEach((on, x) => { if (on) g.fillRect(x * scale, y * scale, scale, scale); }));
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG_FAILED'))), 'image/png'));
}

export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
