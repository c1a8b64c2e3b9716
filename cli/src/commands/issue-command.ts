import { readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { gatewayTarget, type GlobalOptions } from '../cli-config.js';
import { CliError, EXIT, EXIT_CODES_HELP, type ExitCode } from '../cli-error.js';
import { csvLine, parseCsv } from '../csv-table.js';
import { newGatewayClient, type GatewayClient } from '../gateway-client.js';
import { newProgressBar } from '../progress-bar.js';

interface IssueOptions {
  issuer?: string; type?: string; status?: string; name?: string; docType?: string; docNumber?: string; validity: number;
  csv?: string; out?: string; report?: string; concurrency: number;
}

interface Issued {
  qr: string;
  leafHash: string;
  anchor: { txId: string; blockNumber: number };
}

/** The CSV columns of a batch; issuerId, credentialType and validitySeconds may come from the options instead. */
const COLUMNS = ['issuerId', 'credentialType', 'status', 'name', 'documentType', 'documentNumber', 'validitySeconds'];

function request(row: Record<string, string | undefined>, o: IssueOptions): Record<string, unknown> {
  const validity = row['validitySeconds'] ? Number(row['validitySeconds']) : o.validity;
  return {
    issuerId: row['issuerId'] || o.issuer, credentialType: row['credentialType'] || o.type, status: row['status'] || o.status,
    holder: { name: row['name'], documentType: row['documentType'], documentNumber: row['documentNumber'] },
    validitySeconds: validity,
  };
}

/** Runs `work` over `items`, `concurrency` at a time, in order of completion. */
async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

async function issueCsv(client: GatewayClient, o: IssueOptions & { csv: string }, json: boolean): Promise<ExitCode> {
  const rows = parseCsv(readFileSync(o.csv, 'utf8'));
  const unknown = Object.keys(rows[0] ?? {}).filter((c) => !COLUMNS.includes(c));
  if (unknown.length) throw new CliError('CSV_INVALID', `unknown column(s) ${unknown.join(', ')}; the columns are ${COLUMNS.join(', ')}`);
  const issued: Array<{ row: number; leafHash: string; qr: string } | undefined> = [];
  const failed: Array<{ row: number; code: string; message: string }> = [];
  const bar = newProgressBar(rows.length, 'issued');
  let unavailable = false;
  await pool(rows, o.concurrency, async (row, i) => {
    // Row numbers are the file's lines (the header is line 1): what a clerk finds in a spreadsheet.
    try {
      const { body } = await client.call<Issued>('POST', '/v1/credentials', request(row, o));
      issued[i] = { row: i + 2, leafHash: body.leafHash, qr: body.qr };
      bar.tick(true);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      if (e.exitCode === EXIT.UNAVAILABLE) unavailable = true;
      failed.push({ row: i + 2, code: e.code, message: e.message });
      bar.tick(false);
    }
  });
  bar.finish();
  failed.sort((a, b) => a.row - b.row);
  const ok = issued.filter((x) => x !== undefined);
  // The issued QRs and the report name rows, leaf hashes and codes only: no holder's data leaves the input file.
  const out = ['row,leafHash,qr', ...ok.map((x) => csvLine([x.row, x.leafHash, x.qr]))].join('\n');
  if (o.out) writeFileSync(o.out, `${out}\n`, { mode: 0o600 });
  const report = ['row,code,message', ...failed.map((f) => csvLine([f.row, f.code, f.message]))].join('\n');
  if (o.report) writeFileSync(o.report, `${report}\n`);
  if (json) console.log(JSON.stringify({ issued: ok.length, failed }));
  else {
    if (!o.out) console.log(out);
    console.error(`${ok.length} of ${rows.length} issued${o.out ? ` → ${o.out}` : ''}; ${failed.length} failed${o.report ? ` → ${o.report}` : ''}`);
    for (const f of failed) console.error(`  line ${f.row}: ${f.code} ${f.message}`);
  }
  if (failed.length === 0) return EXIT.OK;
  return unavailable && ok.length === 0 ? EXIT.UNAVAILABLE : EXIT.REJECT;
}

export function issueCommand(done: (code: ExitCode) => void): Command {
  return new Command('issue')
    .summary('issue one credential, or a CSV batch')
    .description('Issue credentials at the gateway (issuer token): one from the options, or one per row of a CSV file\n'
      + `(columns: ${COLUMNS.join(', ')}; the options give defaults for issuerId, credentialType, validitySeconds).\n`
      + 'The holder\'s name and document are used by the gateway to derive the pseudonym and hints, never stored.')
    .option('--issuer <id>', 'issuer id, e.g. gd-health-code')
    .option('--type <credentialType>', 'credential type, e.g. health-code')
    .option('--status <status>', 'status claim, e.g. green')
    .option('--name <name>', 'holder name (masked in the credential)')
    .option('--doc-type <type>', 'document type, e.g. HRP')
    .option('--doc-number <number>', 'document number (only a hint of it is in the credential)')
    .addOption(new Option('--validity <seconds>', 'validity').default(86_400).argParser((v) => Number(v)))
    .option('--csv <file>', 'issue one credential per row of this CSV file')
    .option('--out <file>', 'CSV batch: write row,leafHash,qr here (mode 600) instead of standard output')
    .option('--report <file>', 'CSV batch: write the failed rows (row,code,message) here')
    .addOption(new Option('--concurrency <n>', 'CSV batch: requests in flight').default(8).argParser((v) => Number(v)))
    .addHelpText('after', `\nExit codes: 0 every credential issued; 1 some rows failed (see the report); 3 usage; 4 unavailable.\n${EXIT_CODES_HELP.split('\n').slice(-2).join('\n')}\n\nExamples:\n  hutong issue --org guangdong --issuer gd-health-code --type health-code --status green --name 'Chan Tai Man' --doc-type HRP --doc-number H1234567\n  hutong issue --org guangdong --issuer gd-health-code --type health-code --csv holders.csv --out issued.csv --report failed.csv`)
    .action(async (o: IssueOptions, cmd: Command) => {
      const global = cmd.optsWithGlobals<GlobalOptions>();
      if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > 64) throw new CliError('USAGE', '--concurrency takes 1…64');
      const client = newGatewayClient(gatewayTarget(global, 'issuer'));
      if (o.csv) return done(await issueCsv(client, { ...o, csv: o.csv }, global.json === true));
      const missing = (['issuer', 'type', 'status', 'name', 'docType', 'docNumber'] as const).filter((k) => o[k] === undefined);
      if (missing.length) throw new CliError('USAGE', `give --csv FILE, or every one of --issuer --type --status --name --doc-type --doc-number (missing: ${missing.join(', ')})`);
      const { body } = await client.call<Issued>('POST', '/v1/credentials', request({ name: o.name, documentType: o.docType, documentNumber: o.docNumber }, o));
      if (global.json) console.log(JSON.stringify(body));
      else console.log(`issued: leaf ${body.leafHash}, anchored in block ${body.anchor.blockNumber} (tx ${body.anchor.txId})\n${body.qr}`);
      done(EXIT.OK);
    });
}
