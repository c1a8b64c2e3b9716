// What users read — string literals in the gateway, network, ledger and CLI sources (messages, usage, errors) —
// names no internal work item ("issue 3", "issue #10"): a user cannot look those up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const PACKAGES = ['gateway/src', 'network/src', 'ledger/src', 'cli/src'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The string and template literals of a TypeScript source (comments removed first). */
function literals(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  return [...code.matchAll(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

test('no user-facing text cites an internal issue number', () => {
  const all = PACKAGES.flatMap((p) => files(join(ROOT, p)));
  expect(all.length).toBeGreaterThan(50);
  const found = all.flatMap((f) => literals(readFileSync(f, 'utf8')).filter((l) => /\bissues?\s*#?\d+/i.test(l)).map((l) => `${f.slice(ROOT.length + 1)}: ${l.slice(0, 80)}`));
  expect(found).toEqual([]);
  // The scan finds what it looks for.
  expect(literals("const m = 'needs the network from issue 3'; // issue 4").filter((l) => /\bissues?\s*#?\d+/i.test(l))).toHaveLength(1);
});
