// The lab's service worker. A class that opened the lab once can open it again offline, and
// the browser downloads the lab again only when a new version is published.
// - The page (index.html) and the files whose names carry no content hash (boot.js, this
//   worker) come from the network first. The cache answers when the network is down, or when
//   it has not answered within NETWORK_WAIT_MS.
// - Files whose names carry Trunk's content hash (the wasm, its JS, the styles, the icon) never
//   change. They come from the cache and are fetched once.
// - Each time the page comes from the network, the worker caches the files it names and drops
//   the hashed files it no longer names (an older version's).
const CACHE = 'ekslab';
const HASHED = /-[0-9a-f]{16}(_bg)?\.[a-z0-9]+$/;
const NETWORK_WAIT_MS = 4000;
const PAGE = new URL('./', self.registration.scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(fetch(PAGE, { cache: 'no-cache' }).then(keepPage).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || !req.url.startsWith(self.registration.scope)) return;
  const url = new URL(req.url);
  if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(req));
  } else {
    const page = req.mode === 'navigate' || url.href === PAGE || url.href === PAGE + 'index.html';
    event.respondWith(networkFirst(req, page, event));
  }
});

async function cacheFirst(req) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(req, { ignoreSearch: true });
  return hit || fetchHashed(req.url);
}

// A hashed file is downloaded once even when the page asks for it (its preload, then the
// loader) while the worker is caching the files a new page names: the second asker waits for
// the download in flight and takes a copy.
const inflight = new Map();
function fetchHashed(url, init) {
  if (!inflight.has(url)) {
    const download = fetch(url, init).then(async (res) => {
      if (res.ok) await (await caches.open(CACHE)).put(url, res.clone());
      return res;
    });
    inflight.set(url, download);
    download.then(() => inflight.delete(url), () => inflight.delete(url));
  }
  return inflight.get(url).then((res) => res.clone());
}

async function networkFirst(req, page, event) {
  const cache = await caches.open(CACHE);
  const key = page ? PAGE : req;
  const network = fetch(req).then((res) => {
    if (res.ok && res.type === 'basic') {
      event.waitUntil(page ? keepPage(res.clone()) : cache.put(key, res.clone()));
    }
    return res;
  });
  const cached = await cache.match(key, { ignoreSearch: true });
  if (!cached) return network;
  // A slow or dead network falls back to the copy in the cache.
  const late = new Promise((ok) => setTimeout(() => ok(cached), NETWORK_WAIT_MS));
  const answered = network.then((res) => (res.ok ? res : cached), () => cached);
  return Promise.race([answered, late]);
}

// Caches the page and every file it names; drops the hashed files it no longer names.
async function keepPage(res) {
  if (!res.ok) throw new Error(`the lab's page answered ${res.status}`);
  const text = await res.clone().text();
  const cache = await caches.open(CACHE);
  const named = new Set();
  for (const m of text.matchAll(/(?:href|src|data-lab-js|data-lab-wasm)="([^"#?]+)"/g)) {
    named.add(new URL(m[1], PAGE).href);
  }
  await cache.put(PAGE, res);
  for (const url of named) {
    if (!url.startsWith(self.registration.scope)) continue;
    if (HASHED.test(new URL(url).pathname)) {
      if (!(await cache.match(url))) await fetchHashed(url, { cache: 'force-cache' });
    } else {
      const file = await fetch(url, { cache: 'no-cache' });
      if (file.ok) await cache.put(url, file);
    }
  }
  for (const req of await cache.keys()) {
    if (HASHED.test(new URL(req.url).pathname) && !named.has(req.url)) await cache.delete(req);
  }
}
