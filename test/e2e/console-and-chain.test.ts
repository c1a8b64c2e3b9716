/**
 * The gateway's additions for the web console, through real HTTP servers: the console's built files at `/` (types
 * with charset, a strict CSP, cache headers, nothing outside the build, `/` coded 503 when there is no build) and
 * the ledger chain check of the audit routes (whole chain, pages, and a broken link found).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import type { Ledger, LedgerBackend } from '@hutong/ledger';
import { consoleStatic } from '../../gateway/src/http/console-static';
import { errorMiddleware } from '../../gateway/src/http/error-middleware';
import { newLogger } from '../../gateway/src/logging/logger';
import { DEMO_CONSORTIUM, parseConsortium } from '../../gateway/src/config/consortium';
import { startConsortium, type RunningConsortium } from '../../gateway/src/consortium/start-consortium';
import { call, healthCode } from './harness';

describe('the console at /', () => {
  let dir: string;
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hutong-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>互通</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'd.wasm'), Buffer.from([0, 97, 115, 109]));
    writeFileSync(join(dir, 'secret.key'), 'not served: no known type');
    const app = express();
    app.use(consoleStatic(dir));
    app.use((_req, res) => res.status(404).json({ code: 'ROUTE_NOT_FOUND' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => { close(); rmSync(dir, { recursive: true, force: true }); });

  test('GET / is the built index.html with a charset, a strict CSP and no-cache', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('互通');
  });

  test('hashed assets are immutable, with their types; HEAD has no body', async () => {
    const js = await fetch(`${url}/assets/index-abc.js`);
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control')])
      .toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await fetch(`${url}/assets/d.wasm`)).headers.get('content-type')).toBe('application/wasm');
    const head = await fetch(`${url}/`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  test.each([
    '/assets/../secret.key', '/assets/%2e%2e/secret.key', '/assets/..%2fsecret.key', '/secret.key', '/assets/', '/assets/nothing.js', '/assets//index-abc.js',
  ])('%s is not served', async (path) => {
    const res = await fetch(`${url}${path}`);
    expect(res.status).toBe(404);
  });

  test('without a build, / answers 503 CONSOLE_NOT_BUILT and the rest goes on', async () => {
    const app = express();
    app.use(consoleStatic(join(dir, 'nothing-here')));
    app.use((_req, res) => res.status(404).json({ code: 'ROUTE_NOT_FOUND' }));
    app.use(errorMiddleware(newLogger({ org: 'test', level: 'silent' })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await call('GET', `${base}/`);
      expect([res.status, res.body.code]).toEqual([503, 'CONSOLE_NOT_BUILT']);
      expect((await call('GET', `${base}/assets/x.js`)).body.code).toBe('ROUTE_NOT_FOUND');
    } finally {
      server.close();
    }
  });
});

describe('GET /v1/audit/chain-verification', () => {
  let home: string;
  let c: RunningConsortium;
  /** Block numbers whose previousHash the decorated ledger reports altered (a tampered copy). */
  const tampered = new Set<number>();
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'hutong-chain-'));
    c = await startConsortium({
      consortium: parseConsortium(DEMO_CONSORTIUM, 'demo'), home, ephemeralPorts: true, logLevel: 'silent',
      overrides: () => ({ issuance: { maxDelayMs: 5, commitWaitMs: 5000 } }),
      wrapBackend: (backend: LedgerBackend): LedgerBackend => ({
        kind: backend.kind,
        close: () => backend.close(),
        async connect(identity) {
          const ledger = await backend.connect(identity);
          return new Proxy(ledger, {
            get(target, prop, receiver) {
              if (prop !== 'getBlock') return Reflect.get(target, prop, receiver) as unknown;
              return async (n: number) => {
                const block = await target.getBlock(n);
                return tampered.has(n) ? { ...block, previousHash: '00'.repeat(32) } : block;
              };
            },
          }) as Ledger;
        },
      }),
    });
    const issued = await call('POST', `${url('guangdong')}/v1/credentials`, { token: c.tokens.get('guangdong')!.issuer, body: healthCode() });
    expect(issued.status).toBe(201);
  });
  afterAll(async () => {
    await c?.close();
    rmSync(home, { recursive: true, force: true });
  });
  const url = (org: string) => c.gateways.get(org)!.url;
  const check = (query = '') => call('GET', `${url('macau')}/v1/audit/chain-verification${query}`, { token: c.tokens.get('macau')!.auditor });

  test('the whole chain is intact; pages cover it link by link', async () => {
    const all = await check();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ from: 0, valid: true });
    expect(all.body.to).toBe(all.body.height);
    expect(all.body.height).toBeGreaterThan(3);
    const first = await check('?from=0&limit=2');
    const second = await check(`?from=${first.body.to}&limit=1000`);
    expect([first.body.to, second.body.valid, second.body.to, second.body.tipHash]).toEqual([2, true, all.body.height, all.body.tipHash]);
  });

  test('a block whose previousHash is not the header hash before it is reported', async () => {
    tampered.add(2);
    try {
      const r = await check();
      expect(r.body).toMatchObject({ valid: false, to: 3, firstBreak: { blockNumber: 2, previousHash: '00'.repeat(32) } });
      expect((await check('?from=3')).body.valid).toBe(true);
    } finally {
      tampered.clear();
    }
  });

  test('only auditors; bad queries are 400', async () => {
    expect((await call('GET', `${url('macau')}/v1/audit/chain-verification`, { token: c.tokens.get('macau')!.checkpoint })).status).toBe(403);
    expect((await check('?limit=0')).body.code).toBe('REQUEST_INVALID');
    expect((await check('?from=-1')).status).toBe(400);
    expect((await check('?from=99999')).body).toMatchObject({ valid: true, from: expect.any(Number) });
  });
});
