/** Readiness probes on loopback: Fabric's operations /healthz, a TCP listener, a free port. */
import { get } from 'node:http';
import { connect, createServer } from 'node:net';
import { NetworkError } from './network-error.js';
import type { ChaincodeServerPlan, OrdererPlan, PeerPlan } from './network-plan.js';
import { isRunning, logTail, type ProcessRecord } from './processes.js';

export function healthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('timeout', () => socket.destroy());
    socket.on('error', () => resolve(false));
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until true; fails early (with the log's tail) if the process dies, or after `timeoutMs`. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: Readonly<{ timeoutMs?: number; process?: ProcessRecord; intervalMs?: number }> = {}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (await probe()) return;
    if (options.process && !isRunning(options.process)) {
      throw new NetworkError('PROCESS_FAILED', `${what}: the process exited. Its log (${options.process.log}):\n    ${logTail(options.process.log)}`);
    }
    if (Date.now() > deadline) {
      const tail = options.process ? ` Its log (${options.process.log}):\n    ${logTail(options.process.log)}` : '';
      throw new NetworkError('NOT_READY', `${what}: not ready after ${options.timeoutMs ?? 30_000} ms.${tail}`);
    }
    await sleep(options.intervalMs ?? 50);
  }
}


/** A node is ready when its operations /healthz says so and its gRPC listeners accept: /healthz comes up first. */
export const ordererReady = async (o: OrdererPlan): Promise<boolean> => (await healthz(o.operationsPort)) && (await listening(o.port)) && listening(o.adminPort);
export const peerReady = async (p: PeerPlan): Promise<boolean> => (await healthz(p.operationsPort)) && listening(p.port);
export const chaincodeServerReady = (c: ChaincodeServerPlan): Promise<boolean> => listening(c.port);
