/**
 * Sends a body serialised once for many readers (a signed trust pack): gzipped when the request's Accept-Encoding
 * allows gzip (RFC 9110 §12.5.3: a coding with q=0 is refused), else the JSON as it is.
 */
import type { Request, Response } from 'express';

/** Whether `accept` (an Accept-Encoding value) allows gzip. */
export function acceptsGzip(accept: string | undefined): boolean {
  if (!accept) return false;
  let star: boolean | undefined;
  for (const part of accept.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return allowed;
    if (coding === '*') star = allowed;
  }
  return star ?? false;
}

export function sendEncoded(req: Request, res: Response, status: number, encoded: { json: Buffer; gzip: Buffer }): void {
  res.status(status).type('application/json').vary('Accept-Encoding');
  if (acceptsGzip(req.headers['accept-encoding'])) {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(encoded.gzip);
  } else res.end(encoded.json);
}
