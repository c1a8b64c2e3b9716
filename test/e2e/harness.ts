/**
 * Test harness: a real consortium (real HTTP servers on port 0) in a fresh temporary directory, plus a tiny JSON
 * client. `startHarness` runs both gateways in this process on one embedded ledger — or, in the jest project
 * "e2e on fabric" (HUTONG_E2E_LEDGER=fabric), each gateway in its own process on a real Fabric network started for
 * the suite. `startEmbeddedHarness` is for suites that look inside the gateways; its logs are captured in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DemoTokenIssuer } from '../../gateway/src/auth/demo-token-issuer';
import { DEMO_CONSORTIUM, parseConsortium, type ConsortiumConfig } from '../../gateway/src/config/consortium';
import { startConsortium, type ConsortiumOptions, type RunningConsortium } from '../../gateway/src/consortium/start-consortium';
import { startFabricConsortium, type RunningFabricConsortium } from '../../gateway/src/consortium/start-fabric-consortium';
import { killOnExit, startTestNetwork, type TestNetwork } from '../fabric/test-network';

export interface Harness {
  home: string;
  tokenIssuer: DemoTokenIssuer;
  bootstrapActions: string[];
  url(org: string): string;
  token(org: string, role: 'checkpoint' | 'issuer' | 'auditor' | 'admin' | 'partner'): string;
  dispose(): Promise<void>;
}

export interface EmbeddedHarness extends Harness, RunningConsortium {
  logs: string[];
}

/** Gateways in their own processes on a real network: faults are real processes killed by PID. */
export interface FabricHarness extends Harness {
  network: TestNetwork;
  consortium: RunningFabricConsortium;
}

type HarnessOptions = Partial<Pick<ConsortiumOptions, 'overrides'>> & { consortium?: ConsortiumConfig; home?: string };

const defaultOverrides = () => ({ issuance: { maxDelayMs: 5, commitWaitMs: 5000 } });

export function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  return process.env['HUTONG_E2E_LEDGER'] === 'fabric' ? startFabricHarness(options) : startEmbeddedHarness(options);
}

export async function startFabricHarness(options: HarnessOptions & { topology?: 'dev' | 'consortium' } = {}): Promise<FabricHarness> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'hutong-e2e-fabric-'));
  const network = await startTestNetwork({ bare: true, batchTimeoutMs: 100, ...(options.topology ? { topology: options.topology } : {}) });
  try {
    const running = await startFabricConsortium({
      consortium: options.consortium ?? parseConsortium(DEMO_CONSORTIUM, 'demo'),
      home,
      repoRoot: resolve(__dirname, '..', '..'),
      network: { dir: network.plan.dir },
      ephemeralPorts: true,
      logLevel: 'info',
      overrides: options.overrides ?? defaultOverrides,
    });
    for (const g of running.gateways.values()) killOnExit(g.pid);
    return {
      network,
      consortium: running,
      home,
      tokenIssuer: running.tokenIssuer,
      bootstrapActions: running.bootstrapActions,
      // Read at each call: a restarted gateway listens on a new port.
      url: (org) => running.gateways.get(org)!.url,
      token: (org, role) => running.tokens.get(org)![role],
      async dispose() {
        await running.close();
        await network.stop();
        if (!options.home) rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await network.stop();
    throw e;
  }
}

export async function startEmbeddedHarness(options: HarnessOptions = {}): Promise<EmbeddedHarness> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'hutong-e2e-'));
  const logs: string[] = [];
  const running = await startConsortium({
    consortium: options.consortium ?? parseConsortium(DEMO_CONSORTIUM, 'demo'),
    home,
    ephemeralPorts: true,
    logLevel: 'info',
    logDestination: { write: (line: string) => void logs.push(line) },
    overrides: options.overrides ?? defaultOverrides,
  });
  return {
    ...running,
    home,
    logs,
    url: (org) => (running.gateways.get(org) as { url: string }).url,
    token: (org, role) => (running.tokens.get(org) as Record<string, string>)[role] as string,
    async dispose() {
      await running.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

// Tests read arbitrary JSON bodies by path; `any` keeps them short, the assertions are the type check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JsonResponse<T = any> {
  status: number;
  body: T;
  text: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: callers look at `text`
  }
  return { status: res.status, body: parsed as T, text };
}

/** A health-code issuance request for the demo Guangdong issuer. */
export function healthCode(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    issuerId: 'gd-health-code',
    credentialType: 'health-code',
    status: 'green',
    holder: { name: '陈大明', documentType: 'HRP', documentNumber: 'H12345678' },
    validitySeconds: 24 * 3600,
    ...overrides,
  };
}

export async function eventually<T>(probe: () => Promise<T>, accept: (t: T) => boolean, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
