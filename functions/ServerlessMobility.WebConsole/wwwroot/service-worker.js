// The console's service worker: the app itself and every API read are fetched from the network first; when the
// network fails, the last copy is answered instead, marked with the X-Console-Offline-Copy header (the time it was
// saved) so the screen can say that what it shows may be out of date. Writes are never cached or replayed.
//
// The app's files are also copied when the worker installs (the build's list of them, service-worker-assets.js, with
// each file's hash): the files the first visit loaded came before the worker controlled the page, so without this
// the console would open offline only after a second visit. Each build has its own copy, and the older ones go when a
// new worker takes over.
self.importScripts('./service-worker-assets.js');
const appCachePrefix = 'sm-console-app-';
const appCache = appCachePrefix + self.assetsManifest.version;
const apiCache = 'sm-console-api';
const offlineHeader = 'X-Console-Offline-Copy';
// What the browser loads to open the console (the app's symbols too: a build that has them loads them); source maps and
// hosting rules are left out.
const precached = /\.(wasm|pdb|js|css|html|json|webmanifest|svg|png|ico|dat|woff2?)$/;
const notPrecached = /(^|\/)(staticwebapp\.config\.json|service-worker[^/]*\.js)$/;
// A file whose name carries its content's fingerprint (System.Text.Json.abcde12345.wasm) never changes: when the install
// copied it, copying it again on every visit would write the whole app (tens of megabytes) to the device each time for
// nothing. Files without one (index.html, console.js) may change within a version and are still copied as they come.
const fingerprinted = /\.[a-z0-9]{10}\.[a-z0-9]+$/;
const copiedAtInstall = new Set(self.assetsManifest.assets
  .filter(asset => precached.test(asset.url) && !notPrecached.test(asset.url) && fingerprinted.test(asset.url))
  .map(asset => new URL(asset.url, self.location).href));

self.addEventListener('install', event => event.waitUntil(precache().then(() => self.skipWaiting())));
self.addEventListener('activate', event => event.waitUntil(dropOlderAppCopies().then(() => self.clients.claim())));

async function precache() {
  const cache = await caches.open(appCache);
  const requests = self.assetsManifest.assets
    .filter(asset => precached.test(asset.url) && !notPrecached.test(asset.url))
    // The hash makes a file changed since the list was written fail the install instead of being kept.
    .map(asset => new Request(asset.url, { integrity: asset.hash, cache: 'no-cache' }));
  // One file that cannot be copied must not cost the worker (and the offline copies of API answers) its install.
  const failed = (await Promise.allSettled(requests.map(request => cache.add(request)))).filter(r => r.status === 'rejected');
  if (failed.length > 0) {
    console.warn(`The console could not keep ${failed.length} of its files for offline use: ${failed[0].reason}`);
  }
}

async function dropOlderAppCopies() {
  const names = await caches.keys();
  await Promise.all(names.filter(name => name.startsWith(appCachePrefix.slice(0, -1)) && name !== appCache).map(name => caches.delete(name)));
}

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }

  // The identity provider's answers (a one-time code in the address) are never worth a copy.
  if (url.pathname.startsWith('/authentication/')) {
    return;
  }

  const isApi = url.pathname.startsWith('/api/');
  if (isApi && url.pathname.startsWith('/api/dev/')) {
    return;
  }

  // Live streams (server-sent events) never end: they cannot be copied, and waiting for their end would hold them back.
  if (isApi && (request.headers.get('Accept') ?? '').includes('text/event-stream')) {
    return;
  }

  event.respondWith(networkFirst(request, isApi ? apiCache : appCache, isApi));
});

async function networkFirst(request, cacheName, markOffline) {
  const cache = await caches.open(cacheName);
  // The API's answers depend on who asks: keyed by the URL and the caller's token.
  const key = markOffline ? keyFor(request) : request;
  try {
    const response = await fetch(request);
    if (response.ok && !(await copiedAlready(request, cache, markOffline))) {
      const copy = response.clone();
      const headers = new Headers(copy.headers);
      headers.set(offlineHeader, new Date().toISOString());
      const body = await copy.blob();
      await cache.put(key, new Response(body, { status: copy.status, statusText: copy.statusText, headers }));
    }
    return response;
  } catch (error) {
    // The app's files were copied by the worker's own requests, whose headers differ from the page's.
    const cached = await cache.match(key, { ignoreVary: !markOffline });
    if (cached) {
      if (markOffline) {
        return cached;
      }
      // The app's own files are the same for everyone and need no marker.
      const headers = new Headers(cached.headers);
      headers.delete(offlineHeader);
      return new Response(await cached.blob(), { status: cached.status, statusText: cached.statusText, headers });
    }
    if (request.mode === 'navigate') {
      const shell = await cache.match('/index.html') ?? await cache.match('/');
      if (shell) {
        return shell;
      }
    }
    throw error;
  }
}

async function copiedAlready(request, cache, isApi) {
  // The install's copy may be missing (one file failed to copy, or the cache was cleared): then this visit's counts.
  return !isApi && copiedAtInstall.has(request.url) && (await cache.match(request, { ignoreVary: true })) !== undefined;
}

function keyFor(request) {
  const auth = request.headers.get('Authorization') ?? '';
  const url = new URL(request.url);
  url.searchParams.set('__caller', hash(auth));
  return new Request(url.toString(), { method: 'GET' });
}

// Not a security boundary (the cache is the device's): keeps one person's copies apart from another's in one tab.
function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0).toString(16);
}
