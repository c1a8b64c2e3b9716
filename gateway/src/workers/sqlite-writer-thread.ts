/**
 * A SQLite connection on its own thread that runs the write statements it is sent (sqlite-writer.ts is the other
 * side). Whatever arrived together is committed in one transaction — one fsync for all of it under
 * `synchronous = FULL` — and each request is answered only once that transaction is committed. Statements are
 * prepared once per SQL text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { SqliteWriterRequest, SqliteWriterResponse, SqlStatement } from './sqlite-writer.js';

if (!parentPort) throw new Error('sqlite-writer-thread runs as a worker thread');
const port = parentPort;
const { path, synchronous } = workerData as { path: string; synchronous: 'FULL' | 'NORMAL' };
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);

const prepared = new Map<string, Database.Statement>();
function run({ sql, params }: SqlStatement): void {
  let statement = prepared.get(sql);
  if (statement === undefined) prepared.set(sql, (statement = db.prepare(sql)));
  if (Array.isArray(params)) statement.run(...params);
  else statement.run(params);
}

const commitAll = db.transaction((statements: readonly SqlStatement[]) => {
  for (const s of statements) run(s);
});

let queued: SqliteWriterRequest[] = [];

function flush(): void {
  const batch = queued;
  queued = [];
  let error: string | undefined;
  try {
    commitAll(batch.flatMap((r) => ('statements' in r ? r.statements : [])));
  } catch (e) {
    error = (e as Error)?.message ?? 'write failed';
  }
  const closing = batch.some((r) => 'close' in r);
  if (closing) db.close();
  for (const r of batch) port.postMessage({ seq: r.seq, ...(error !== undefined && 'statements' in r ? { error } : {}) } satisfies SqliteWriterResponse);
  if (closing) port.close();
}

port.on('message', (r: SqliteWriterRequest) => {
  queued.push(r);
  if (queued.length === 1) setImmediate(flush);
});
