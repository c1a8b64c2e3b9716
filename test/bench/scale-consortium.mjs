// The seed-scale simulation's consortium process (scale-bench.mjs forks it with an IPC channel): `npm start`'s
// embedded consortium — both gateways on one embedded ledger in this process, since the embedded ledger delivers
// its events in-process — plus the synthetic-history writer, which writes through the same backend's Ledger
// interface (so the gateways follow it exactly as they follow any write). Messages in: {op:'setup'},
// {op:'day', day, anchors, revocations, daySeconds}, {op:'heap'}; SIGTERM closes everything cleanly.
import { join } from 'node:path';
import { ROOT } from './consortium-process.mjs';
import { newScaleHistory } from './scale-history.mjs';

const { startConsortium, DEMO_CONSORTIUM } = await import(join(ROOT, 'gateway/dist/index.js'));

const [GD, MO] = DEMO_CONSORTIUM.orgs.map((o) => o.mspId);

const home = process.env.HUTONG_HOME;
const running = await startConsortium({ consortium: DEMO_CONSORTIUM, home, ephemeralPorts: true, logLevel: 'warn' });
const gd = await running.backend.connect({ mspId: GD, role: 'admin' });
const mo = await running.backend.connect({ mspId: MO, role: 'admin' });
// Set by the bench when it restarts this process: what the first process's `setup` found.
const known = process.env.HUTONG_SCALE_NOT_AFTER === undefined ? {} : { notAfterSupported: process.env.HUTONG_SCALE_NOT_AFTER === '1' };
const history = newScaleHistory(gd, mo, known);

process.on('message', async (m) => {
  try {
    let result;
    if (m.op === 'setup') result = await history.setup();
    else if (m.op === 'day') result = await history.writeDay(m);
    else if (m.op === 'heap') {
      globalThis.gc?.();
      result = { ...process.memoryUsage() };
    } else throw new Error(`unknown op ${m.op}`);
    process.send({ id: m.id, result });
  } catch (e) {
    process.send({ id: m.id, error: `${e.code ?? ''} ${e.message}` });
  }
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await gd.close();
  await mo.close();
  await running.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('disconnect', stop); // the bench went away: never outlive it

const gateways = {};
for (const [name, g] of running.gateways) gateways[name] = { url: g.url, tokens: running.tokens.get(name) };
process.send({ ready: true, gateways });
