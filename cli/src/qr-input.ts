/**
 * What `verify`, `revoke` and `audit leaf` read: the QR text itself, a PNG image of the QR (decoded with jsQR over
 * pngjs's pixels), or `-` for standard input (text, or a PNG piped in). The text is passed on as scanned: the SDK
 * and the gateway normalise it (docs/protocol.md §5.6).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { CliError } from './cli-error.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An image larger than this is not a photo of one QR code worth decoding. */
const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

// jsqr is CommonJS whose types declare an ES default export; Node hands an ES importer module.exports itself.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as typeof jsQRModule.default;

/** Where the text came from, for messages. */
export interface QrInput {
  text: string;
  source: 'argument' | 'stdin' | 'image';
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > MAX_IMAGE_BYTES) throw new CliError('INPUT_TOO_LARGE', `standard input is larger than ${MAX_IMAGE_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The QR text in a PNG image; RESCAN-worthy failures are CliErrors with exit code 2. */
export function qrTextOfPng(bytes: Buffer, name: string): string {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new CliError('IMAGE_UNREADABLE', `${name} is not a readable PNG image (${(e as Error).message})`, 2);
  }
  const found = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  if (!found) throw new CliError('QR_NOT_FOUND', `no QR code found in ${name}: take the picture again`, 2);
  return found.data;
}

export async function readQrInput(arg: string): Promise<QrInput> {
  if (arg === '-') {
    const bytes = await readStdin();
    if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { text: qrTextOfPng(bytes, 'the image on standard input'), source: 'image' };
    return { text: bytes.toString('utf8'), source: 'stdin' };
  }
  // A QR text (HT1:…) is never a file name one would have; anything naming a file is read as an image.
  if (!arg.startsWith('HT1:') && existsSync(arg) && statSync(arg).isFile()) {
    if (statSync(arg).size > MAX_IMAGE_BYTES) throw new CliError('INPUT_TOO_LARGE', `${arg} is larger than ${MAX_IMAGE_BYTES} bytes`);
    const bytes = readFileSync(arg);
    if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new CliError('IMAGE_UNSUPPORTED', `${arg} is not a PNG image (PNG is the format read)`);
    return { text: qrTextOfPng(bytes, arg), source: 'image' };
  }
  return { text: arg, source: 'argument' };
}
