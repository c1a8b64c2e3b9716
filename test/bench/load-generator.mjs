// The benchmarks' HTTP load generator (loopback, keep-alive): one request, closed-loop load with a fixed number of
// workers, and open-loop load at a steady rate; latency percentiles.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One JSON request; resolves with the status and the parsed body (undefined when it is not JSON). */
export function request(method, url, token, body) {
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, {
      method, agent,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed;
        try { parsed = JSON.parse(text); } catch { parsed = undefined; }
        resolvePromise({ status: res.statusCode, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `op` with `concurrency` workers until `maxCount` operations or `maxMs` elapse; latencies in ms. */
export async function load({ concurrency, maxCount, maxMs, op }) {
  const latencies = [];
  let started = 0;
  let failures = 0;
  const t0 = performance.now();
  const deadline = t0 + maxMs;
  async function worker() {
    while (started < maxCount && performance.now() < deadline) {
      const i = started++;
      const s = performance.now();
      const ok = await op(i).catch(() => false);
      latencies.push(performance.now() - s);
      if (!ok) failures++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, failures, seconds, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99) };
}

/**
 * POSTs `body()` to `url` at a steady `rate` per second for `ms`: open loop, each request leaves at its planned
 * time however slow the answers are (autocannon's rate limit sends each connection's share of a second in one burst
 * at the start of the second, which measures how fast a burst drains rather than a steady stream). Latency is from
 * the request's departure, in ms; failures are transport errors and non-2xx answers.
 */
export async function paced({ url, token, rate, ms, body }) {
  const latencies = [];
  let failures = 0;
  const t0 = performance.now();
  const count = Math.floor((rate * ms) / 1000);
  const inFlight = [];
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    inFlight.push(request('POST', url, token, body()).then(
      (r) => {
        latencies.push(performance.now() - sent);
        if (r.status < 200 || r.status >= 300) failures++;
      },
      () => { failures++; },
    ));
  }
  await Promise.all(inFlight);
  return { latencies, failures, seconds: (performance.now() - t0) / 1000 };
}

export function summary({ latencies, failures, seconds }) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { count: sorted.length, perSecond: sorted.length / seconds, failures, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

/** Closes the generator's keep-alive connections (the process can then exit). */
export function closeConnections() {
  agent.destroy();
}
