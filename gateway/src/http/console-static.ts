/**
 * Serves the web console's built files (console/dist of @hutong/console) at `/`. The gateway knows only where the
 * built files are, never the console's source. Only the files the build produced are served: the directory is
 * listed once into a map of exact URL paths, so no request path ever reaches the file system (no traversal).
 * Without a build, `/` answers 503 CONSOLE_NOT_BUILT and the gateway runs as before; the directory is looked at
 * again (at most every few seconds) so a build made after the start is picked up.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { RequestHandler } from 'express';
import { GatewayError } from '../errors/gateway-error.js';

/** Every script, style, image, font and worker comes from this origin; the QR decoder's WebAssembly may compile. */
export const CONSOLE_CSP = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data: blob:",
  "font-src 'self'", "connect-src 'self'", "media-src 'self' blob: mediastream:", "worker-src 'self' blob:", "manifest-src 'self'",
  "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml; charset=utf-8', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.txt': 'text/plain; charset=utf-8',
};
/** A bound on what is held in memory: the build is a few files of ~1 MB in all (the decoder's WebAssembly the largest). */
const MAX_FILES = 256;
const MAX_BYTES = 16 * 1024 * 1024;
const RESCAN_MS = 5000;

interface ConsoleFile { body: Buffer; type: string; cache: string }

/** Where @hutong/console's build lands, or undefined when the package is not installed beside the gateway. */
export function defaultConsoleDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@hutong/console/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

function loadBuild(dir: string): Map<string, ConsoleFile> | undefined {
  if (!existsSync(join(dir, 'index.html'))) return undefined;
  const files = new Map<string, ConsoleFile>();
  let total = 0;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) { walk(full); continue; }
      const type = TYPES[extname(entry.name).toLowerCase()];
      if (!entry.isFile() || type === undefined) continue;
      total += statSync(full).size;
      if (files.size >= MAX_FILES || total > MAX_BYTES) throw new Error('the console build is larger than the gateway serves');
      const url = '/' + relative(dir, full).split(sep).join('/');
      // Vite names everything under assets/ by content hash: such a URL never changes meaning.
      const cache = url.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      files.set(url, { body: readFileSync(full), type, cache });
    }
  };
  walk(dir);
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  return files;
}

/**
 * GET and HEAD of `/` and of the build's files; every other request goes on to the API's routes (and so to
 * ROUTE_NOT_FOUND or METHOD_NOT_ALLOWED as before).
 */
export function consoleStatic(dir: string | undefined = defaultConsoleDir()): RequestHandler {
  let files: Map<string, ConsoleFile> | undefined;
  let lookedAt = 0;
  const current = (): Map<string, ConsoleFile> | undefined => {
    if (files || dir === undefined || Date.now() - lookedAt < RESCAN_MS) return files;
    lookedAt = Date.now();
    files = loadBuild(dir);
    return files;
  };
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (path !== '/' && path !== '/index.html' && !path.startsWith('/assets/') && path !== '/favicon.svg' && path !== '/sw.js') return next();
    res.locals['route'] = path === '/' || path === '/index.html' ? '/' : '/assets/*';
    const build = current();
    if (!build) {
      if (path === '/' || path === '/index.html') throw new GatewayError('CONSOLE_NOT_BUILT', 'the web console is not built here: run npm run build');
      return next();
    }
    const file = build.get(path);
    if (!file) return next();
    res.set({
      'Content-Type': file.type, 'Cache-Control': file.cache, 'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cross-Origin-Opener-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
    });
    res.status(200).end(req.method === 'HEAD' ? undefined : file.body);
  };
}
