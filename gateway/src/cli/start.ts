/**
 * `npm start`: every organisation's gateway of the consortium (demo: Guangdong and Macau) on one embedded ledger
 * under `.hutong/`, demo issuers approved both ways, recognition policies, demo tokens; then a sample credential
 * issued at the first organisation and verified at the second. Idempotent; Ctrl-C stops cleanly.
 *
 * Environment: HUTONG_HOME (default `.hutong`), HUTONG_CONSORTIUM (a consortium JSON file), HUTONG_EPHEMERAL_PORTS=1,
 * HUTONG_LOG_LEVEL (default `warn` here: the console is for people), HUTONG_NO_SAMPLE=1,
 * HUTONG_COMMIT_WAIT_MS (how long writes wait for their commit before answering 202 / 503),
 * HUTONG_MAX_LEAVES / HUTONG_MAX_DELAY_MS (issuance batching; the benchmark's one-transaction-per-credential run
 * sets HUTONG_MAX_LEAVES=1), HUTONG_WORKERS (crypto worker threads per gateway; default: the available cores, 0 = none).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import qrcode from 'qrcode-terminal';
import { loadConsortium } from '../config/consortium.js';
import { startConsortium } from '../consortium/start-consortium.js';
import { GatewayError } from '../errors/gateway-error.js';

/** The few response members the demo prints. */
interface DemoBody {
  qr: string;
  anchor: { blockNumber: number; txId: string };
  decision?: string;
  reason?: string;
  status?: string;
  mappedStatus?: string;
  display?: { maskedName?: string; documentHint?: string };
  evidence?: { blockNumber?: number };
}

async function postJson(url: string, token: string, body: unknown): Promise<{ status: number; body: DemoBody }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as DemoBody };
}

async function main(): Promise<void> {
  const env = process.env;
  const home = resolve(env['HUTONG_HOME'] ?? '.hutong');
  const consortium = loadConsortium(env);
  const t0 = Date.now();
  const issuance: Record<string, number> = {};
  for (const [variable, key] of [['HUTONG_COMMIT_WAIT_MS', 'commitWaitMs'], ['HUTONG_MAX_LEAVES', 'maxLeaves'], ['HUTONG_MAX_DELAY_MS', 'maxDelayMs']] as const) {
    if (env[variable] !== undefined) issuance[key] = Number(env[variable]);
  }
  const running = await startConsortium({
    consortium,
    home,
    ephemeralPorts: env['HUTONG_EPHEMERAL_PORTS'] === '1',
    logLevel: (env['HUTONG_LOG_LEVEL'] as 'warn' | undefined) ?? 'warn',
    overrides: () => ({
      ...(Object.keys(issuance).length > 0 ? { issuance } : {}),
      ...(env['HUTONG_WORKERS'] !== undefined ? { workers: { size: Number(env['HUTONG_WORKERS']) } } : {}),
    }),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the gateways…`);
    running.close().then(
      // Exit once the line is flushed: console.log to a pipe is asynchronous and process.exit would drop it.
      () => { process.stdout.write('stopped.\n', () => process.exit(0)); },
      (e: unknown) => { console.error(e); process.exit(1); },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const runtime = {
    ledger: running.ledgerPath,
    gateways: Object.fromEntries([...running.gateways].map(([name, g]) => [name, { url: g.url, mspId: g.config.org.mspId, tokens: running.tokens.get(name) }])),
  };
  writeFileSync(join(home, 'runtime.json'), JSON.stringify(runtime, null, 2), { mode: 0o600 });

  console.log(`hutong — ${running.gateways.size} gateways on the embedded ledger ${running.ledgerPath} (ready in ${Date.now() - t0} ms)`);
  console.log(running.bootstrapActions.length ? `ledger bootstrap: ${running.bootstrapActions.length} transactions` : 'ledger already bootstrapped (nothing to do)');
  for (const [name, g] of running.gateways) {
    const tokens = running.tokens.get(name);
    console.log(`\n${g.config.org.displayName} (${g.config.org.mspId})  ${g.url}   OpenAPI: ${g.url}/openapi.json`);
    for (const [role, token] of Object.entries(tokens ?? {})) console.log(`  ${role.padEnd(10)} token: ${token}`);
  }
  console.log(`\n(tokens and URLs are also in ${join(home, 'runtime.json')})`);

  const [issuerOrg, verifierOrg] = [...running.gateways.keys()];
  const issuerSpec = consortium.issuers.find((i) => i.org === issuerOrg);
  if (env['HUTONG_NO_SAMPLE'] !== '1' && issuerOrg && verifierOrg && issuerSpec) {
    const from = running.gateways.get(issuerOrg)!;
    const to = running.gateways.get(verifierOrg)!;
    const issued = await postJson(`${from.url}/v1/credentials`, running.tokens.get(issuerOrg)!.issuer, {
      issuerId: issuerSpec.id,
      credentialType: issuerSpec.credentialTypes[0],
      status: 'green',
      holder: { name: 'Sample Holder', documentType: 'HRP', documentNumber: 'H00000000' },
      validitySeconds: 24 * 3600,
    });
    if (issued.status !== 201) {
      console.log(`\nsample issuance failed: ${issued.status} ${JSON.stringify(issued.body)}`);
    } else {
      console.log(`\nSample credential from ${issuerSpec.displayName} (anchored in block ${issued.body.anchor.blockNumber}, tx ${issued.body.anchor.txId.slice(0, 16)}…):`);
      console.log(`QR (${issued.body.qr.length} characters): ${issued.body.qr}`);
      qrcode.generate(issued.body.qr, { small: true }, (drawing) => console.log(drawing));
      const verified = await postJson(`${to.url}/v1/verifications`, running.tokens.get(verifierOrg)!.checkpoint, { qr: issued.body.qr });
      const r = verified.body;
      console.log(`Verified at ${to.config.org.displayName}'s gateway: ${r.decision} (${r.reason}) — status ${r.status ?? '-'} → ${r.mappedStatus ?? '-'}, ${r.display?.maskedName ?? ''} ${r.display?.documentHint ?? ''}, anchor block ${r.evidence?.blockNumber ?? '-'}`);
      console.log(`\nTry it:\n  curl -s -H 'authorization: Bearer <${verifierOrg} checkpoint token>' -H 'content-type: application/json' \\\n    -d '{"qr":"<QR>"}' ${to.url}/v1/verifications`);
    }
  }
  console.log('\nPress Ctrl-C to stop.');
}

main().catch((e: unknown) => {
  if (e instanceof GatewayError) console.error(`error ${e.code}: ${e.message}`);
  else console.error(e);
  process.exit(1);
});
