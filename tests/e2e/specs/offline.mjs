// Offline use and first load: the service worker keeps the lab for a class that opened it
// once, downloads it again only when a new version is published, and the first render on a
// classroom link is printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST, openPage, waitFor, expect, noProblems } from '../harness.mjs';

const wasmName = () => fs.readdirSync(DIST).find((f) => f.endsWith('_bg.wasm'));
const wasmHits = (site) => [...site.hits].filter(([p]) => p.endsWith('.wasm')).reduce((n, [, k]) => n + k, 0);

/** Waits until the service worker runs and has cached the lab's wasm. */
async function cached(page) {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await waitFor(page, 'the service worker to cache the wasm', async () => {
    const cache = await caches.open('ekslab');
    return (await cache.keys()).some((r) => r.url.endsWith('_bg.wasm'));
  });
}

async function started(page, what) {
  await waitFor(page, what, () => document.querySelector('[data-testid=sim-clock]') && document.querySelector('.zone'));
}

export async function aReloadWithTheNetworkCutStillOpensTheLab({ browser, site }) {
  const { page, context, problems } = await openPage(browser, site);
  await started(page, 'the lab');
  await cached(page);
  const before = wasmHits(site);
  await context.setOffline(true);
  await page.reload();
  await started(page, 'the lab, offline');
  expect(await page.locator('#fatal').isHidden(), 'no error panel offline');
  expect(wasmHits(site) === before, 'offline, nothing reached the server');
  // The lab works offline, not only its first frame: play moves the clock.
  await page.getByRole('button', { name: /Play/ }).click();
  await waitFor(page, 'the clock to move offline', () => document.querySelector('[data-testid=sim-clock]').textContent !== '00:00:00');
  await context.setOffline(false);
  noProblems(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED')));
  await context.close();
}

export async function theLabIsDownloadedAgainOnlyForANewVersion({ browser, site }) {
  const start = wasmHits(site);
  const { page, context } = await openPage(browser, site);
  await started(page, 'the lab');
  await cached(page);
  const first = wasmHits(site) - start;
  expect(first === 1, `the first visit fetched the wasm once (${first} times)`);
  await page.reload();
  await started(page, 'the lab, second visit');
  const again = wasmHits(site) - start - first;
  expect(again === 0, `a second visit fetched the wasm again (${again} times)`);

  // A new version: the same build under a new content hash, as Trunk names a changed wasm.
  const next = fs.mkdtempSync(path.join(os.tmpdir(), 'ekslab-next-'));
  const old = wasmName();
  const renamed = old.replace(/-[0-9a-f]{16}_bg/, '-00000000000000ff_bg');
  for (const f of fs.readdirSync(DIST)) {
    if (f === old) fs.copyFileSync(path.join(DIST, f), path.join(next, renamed));
    else if (f === 'index.html') fs.writeFileSync(path.join(next, f), fs.readFileSync(path.join(DIST, f), 'utf8').replaceAll(old, renamed));
    else if (fs.statSync(path.join(DIST, f)).isFile()) fs.copyFileSync(path.join(DIST, f), path.join(next, f));
  }
  try {
    site.setDir(next);
    await page.reload();
    await started(page, 'the new version');
    await waitFor(page, 'the old version to leave the cache', async (old) => {
      const urls = (await (await caches.open('ekslab')).keys()).map((r) => r.url);
      return urls.some((u) => u.endsWith('00000000000000ff_bg.wasm')) && !urls.some((u) => u.endsWith(old));
    }, old);
    const newHits = site.hits.get(renamed) || 0;
    expect(newHits === 1, `the new version's wasm was fetched once (${newHits} times)`);
    await page.reload();
    await started(page, 'the new version again');
    expect((site.hits.get(renamed) || 0) === 1, 'and not again on the next visit');
  } finally {
    site.setDir(DIST);
    fs.rmSync(next, { recursive: true, force: true });
  }
  await context.close();
}

export async function firstRenderOnAThrottledLink({ browser, site }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // 10 Mbit/s down and up, 40 ms latency: a busy school link.
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8,
  });
  await page.goto(site.url, { waitUntil: 'commit' });
  const ms = await page.waitForFunction(
    () => document.querySelector('[data-testid=sim-clock]') && document.querySelector('.zone') && performance.now(),
    undefined, { timeout: 60000, polling: 'raf' },
  ).then((h) => h.jsonValue());
  const kb = await page.evaluate(() => Math.round(
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .reduce((n, e) => n + (e.transferSize || 0), 0) / 1024));
  console.log(`        perf: first render over 10 Mbps / 40 ms: ${Math.round(ms)} ms from navigation, ${kb} KB transferred (gzip)`);
  expect(ms > 0, 'the lab rendered');
  await context.close();
}
