/**
 * No personal data leaves the issuer's request: credentials are issued for holders with recognisable names and
 * identity-document numbers, then every log line, every HTTP response body (JWS and QR payloads decoded too), the
 * whole embedded ledger (every table of its SQLite file: blocks, transactions, events, state, history) and every
 * other file the gateways wrote are scanned for those names and numbers. Any hit fails the test.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeQr } from '@hutong/verifier-sdk';
import { call, startEmbeddedHarness, type EmbeddedHarness } from '../e2e/harness';

const HOLDERS = [
  { name: '陈大明', documentType: 'HRP', documentNumber: 'H12345678' },
  { name: 'Chan Tai Man', documentType: 'HRP', documentNumber: 'H87654321' },
  { name: '黄小玲', documentType: 'ID', documentNumber: '440101199001011234' },
  { name: 'Maria Fernanda Costa', documentType: 'MOP', documentNumber: '1234567(8)' },
  { name: 'Ho Weng Ian', documentType: 'PP', documentNumber: 'E98765432' },
];

/** What must never appear: full names and document numbers, raw and in the normalised `TYPE:NUMBER` form. */
const NEEDLES = [...new Set(HOLDERS.flatMap((h) => [h.name, h.documentNumber, `${h.documentType}:${h.documentNumber}`, h.documentNumber.replace(/\W/g, '')]))];

function hits(haystack: string): string[] {
  const lower = haystack.toLowerCase();
  return NEEDLES.filter((n) => lower.includes(n.toLowerCase()));
}

function rawHits(bytes: Buffer): string[] {
  return NEEDLES.filter((n) => bytes.includes(Buffer.from(n, 'utf8')) || bytes.includes(Buffer.from(n, 'utf16le')));
}

let h: EmbeddedHarness;
let home: string;
const responses: string[] = [];
const requests: string[] = [];

async function record(method: string, url: string, options: Parameters<typeof call>[2] = {}) {
  if (options.body !== undefined) requests.push(JSON.stringify(options.body));
  const r = await call(method, url, options);
  responses.push(r.text);
  return r;
}

const decoder = new TextDecoder();
/** JWS payloads and headers found in a text, decoded (a base64url-encoded name would escape a plain scan). */
function decodedJws(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{10,})/g)) {
    out.push(decoder.decode(Buffer.from(m[1] as string, 'base64url')), decoder.decode(Buffer.from(m[2] as string, 'base64url')));
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'hutong-privacy-'));
  h = await startEmbeddedHarness({ home });
});
afterAll(async () => {
  await h?.dispose();
  rmSync(home, { recursive: true, force: true });
});

test('personal data of test credentials appears in no log, response or ledger byte', async () => {
  const gd = h.url('guangdong');
  const mo = h.url('macau');
  const qrs: string[] = [];
  for (const holder of HOLDERS.slice(0, 3)) {
    const r = await record('POST', `${gd}/v1/credentials`, {
      token: h.token('guangdong', 'issuer'),
      body: { issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder, validitySeconds: 86_400 },
    });
    expect(r.status).toBe(201);
    qrs.push(r.body.qr);
  }
  const bulk = await record('POST', `${gd}/v1/credentials/bulk`, {
    token: h.token('guangdong', 'issuer'),
    body: { credentials: HOLDERS.map((holder) => ({ issuerId: 'gd-health-code', credentialType: 'health-code', status: 'yellow', holder, validitySeconds: 86_400 })) },
  });
  expect(bulk.status).toBe(201);
  qrs.push(...bulk.body.credentials.map((c: { qr: string }) => c.qr));
  const macau = await record('POST', `${mo}/v1/credentials`, {
    token: h.token('macau', 'issuer'),
    body: { issuerId: 'mo-health-bureau', credentialType: 'health-code', status: 'green', holder: HOLDERS[3], validitySeconds: 86_400 },
  });
  expect(macau.status).toBe(201);

  // Failing requests carrying personal data: errors must not echo it either.
  await record('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', credentialType: 'driving-licence', status: 'green', holder: HOLDERS[0], validitySeconds: 86_400 } });
  await record('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder: { ...HOLDERS[1], documentType: 'H!' }, validitySeconds: 86_400 } });
  await record('POST', `${gd}/v1/credentials`, { token: h.token('guangdong', 'checkpoint'), body: { holder: HOLDERS[2] } });
  await record('POST', `${mo}/v1/credentials`, { token: h.token('macau', 'issuer'), body: { issuerId: 'gd-health-code', credentialType: 'health-code', status: 'green', holder: HOLDERS[4], validitySeconds: 86_400 } });

  for (const qr of qrs) {
    const v = await record('POST', `${mo}/v1/verifications`, { token: h.token('macau', 'checkpoint'), body: { qr } });
    expect(v.status).toBe(200);
  }
  const shown = JSON.parse(responses[responses.length - qrs.length] as string);
  expect(shown.display.maskedName).toBe('陈*明'); // the officer sees the masked name only
  await record('POST', `${mo}/v1/verifications/batch`, { token: h.token('macau', 'checkpoint'), body: { qrs } });
  await record('POST', `${gd}/v1/verifications`, { token: h.token('guangdong', 'checkpoint'), body: { qr: macau.body.qr } });
  const revoked = await record('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', qr: qrs[0], reason: 'status-change' } });
  await record('POST', `${gd}/v1/revocations`, { token: h.token('guangdong', 'issuer'), body: { issuerId: 'gd-health-code', jws: bulk.body.credentials[1].jws, proof: bulk.body.credentials[1].proof, reason: 'superseded' } });
  await record('GET', `${gd}/v1/outbox/${revoked.body.outboxId}`, { token: h.token('guangdong', 'issuer') });
  for (const qr of qrs.slice(0, 2)) await record('POST', `${mo}/v1/audit/leaf-status`, { token: h.token('macau', 'auditor'), body: { qr } });
  await record('GET', `${mo}/v1/audit/issuers/gd-health-code/anchors`, { token: h.token('macau', 'auditor') });
  await record('GET', `${mo}/v1/audit/history?record=revocation&issuerId=gd-health-code&leafHash=${revoked.body.leafHash}`, { token: h.token('macau', 'auditor') });
  const height = (await record('GET', `${mo}/v1/audit/blocks?limit=1`, { token: h.token('macau', 'auditor') })).body.height as number;
  for (let from = 0; from < height; from += 100) await record('GET', `${mo}/v1/audit/blocks?from=${from}&limit=100`, { token: h.token('macau', 'auditor') });
  for (const org of ['guangdong', 'macau']) {
    await record('GET', `${h.url(org)}/v1/trust/snapshot`, { token: h.token(org, 'checkpoint') });
    await record('GET', `${h.url(org)}/v1/trust/issuers`);
    await record('GET', `${h.url(org)}/readyz`);
    await record('GET', `${h.url(org)}/metrics`);
  }
  await h.close(); // flush logs and release the SQLite files

  // Controls: the scanner finds the data where it legitimately is (the issuer's requests), so a pass means something.
  const sent = hits(requests.join('\n'));
  for (const h of HOLDERS) expect(sent).toEqual(expect.arrayContaining([h.name, h.documentNumber]));
  expect(h.logs.length).toBeGreaterThan(20);

  const found: Array<{ where: string; needles: string[] }> = [];
  const check = (where: string, text: string) => {
    const n = hits(text);
    if (n.length > 0) found.push({ where, needles: n });
  };
  h.logs.forEach((line, i) => check(`log line ${i}`, line));
  responses.forEach((text, i) => {
    check(`response ${i}`, text);
    decodedJws(text).forEach((part) => check(`response ${i} (decoded JWS)`, part));
  });
  for (const qr of qrs) check('QR payload', JSON.stringify((await decodeQr(qr)).claims));

  const ledger = new Database(h.ledgerPath, { readonly: true });
  const tables = ledger.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  expect(tables.length).toBeGreaterThan(2);
  let rows = 0;
  for (const { name } of tables) {
    for (const row of ledger.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>) {
      rows++;
      const text = Object.values(row).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).join('\u0000');
      check(`ledger table ${name}`, text);
    }
  }
  ledger.close();
  expect(rows).toBeGreaterThan(50);
  for (const file of filesUnder(home)) {
    const n = rawHits(readFileSync(file));
    if (n.length > 0) found.push({ where: `file ${file}`, needles: n });
  }
  expect(found).toEqual([]);
});
