/* global self, caches, fetch, Response */
// The console's service worker: lets an open checkpoint lane reload while its gateway is away. It keeps only the
// console's own built files — the list the build wrote below (scripts/service-worker-files.mjs), fetched when it
// installs — the page network-first with the cached copy as fallback, content-hashed assets cache-first. API calls
// are never cached (they carry tokens and personal data) and pass straight through.
const BUILD = { version: 'dev', files: [] };
const CACHE = `hutong-console-${BUILD.version}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(['/', ...BUILD.files])).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('hutong-console-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname === '/' || url.pathname === '/index.html') {
    event.respondWith(fetch(request).catch(async () => (await caches.match('/')) ?? Response.error()));
  } else if (BUILD.files.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
  }
});
