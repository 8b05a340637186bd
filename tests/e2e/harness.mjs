// The end-to-end harness: serves dist/ on a free loopback port under a sub-path (to prove the
// build uses relative URLs), drives Debian's Chromium through playwright-core, records every
// request (any other host fails the test), console errors and page errors, and saves
// screenshots under tests/e2e/artifacts/ (git-ignored).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.join(here, 'artifacts');
export const DIST = path.resolve(here, '..', '..', 'dist');
export const BASE = '/classroom/eks-lab/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.yaml': 'text/yaml; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.svg', '.json', '.yaml', '.txt']);

/**
 * Serves `dir` at `base` on 127.0.0.1 with a free port, gzipped when the browser asks (as static
 * hosts do), with `cache-control: no-cache` (the browser may keep a copy but must revalidate).
 * `hits` counts the requests that reached the server, by path below `base`; `setDir` switches
 * what is served (a "new version" of the site).
 */
export async function serve(dir = DIST, base = BASE) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no build at ${dir}: run \`trunk build --release\` first`);
  }
  const hits = new Map();
  const gzipped = new Map();
  let root = dir;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(base)) {
      res.writeHead(404).end('outside the lab base path');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(base.length)) || 'index.html';
    hits.set(rel, (hits.get(rel) || 0) + 1);
    const file = path.join(root, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''));
    fs.readFile(file, (err, body) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      const ext = path.extname(file);
      const headers = { 'content-type': TYPES[ext] || 'application/octet-stream', 'cache-control': 'no-cache', vary: 'accept-encoding' };
      if (COMPRESSIBLE.has(ext) && /\bgzip\b/.test(req.headers['accept-encoding'] || '')) {
        const key = `${file}:${body.length}`;
        if (!gzipped.has(key)) gzipped.set(key, zlib.gzipSync(body, { level: 9 }));
        body = gzipped.get(key);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin, url: origin + base, hits,
    setDir: (d) => { root = d; },
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}

/** Launches Debian's Chromium headless (no browser download). */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

/** A fresh page that records problems: foreign requests, console errors, page errors. */
export async function openPage(browser, site, { width = 1280, height = 800, path: sub = '', allowConsoleErrors = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    requests.push(r.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:') && u.origin !== site.origin) {
      problems.push(`request to another host: ${r.url()}`);
    }
  });
  page.on('console', (m) => { if (m.type() === 'error' && !allowConsoleErrors) problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => { if (!allowConsoleErrors) problems.push(`page error: ${e.message}`); });
  await page.goto(site.url + sub);
  // The load event comes before the wasm has started: wait for the lab (or its error panel),
  // so a test that then changes storage is not raced by the lab's own start-up reading it.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sim-clock]') || !document.getElementById('fatal')?.hidden,
    undefined,
    { timeout: 15000 },
  ).catch(() => {});
  return { page, context, problems, requests };
}

/** Fails with a readable message. */
export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/** Waits until `fn` (run in the page) returns truthy, or fails saying what was awaited. */
export async function waitFor(page, what, fn, arg, timeout = 15000) {
  try {
    await page.waitForFunction(fn, arg, { timeout });
  } catch {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
  }
}

/** Presses Play if the lab is paused. */
export async function play(page) {
  if (await page.getByRole('button', { name: 'Play' }).count()) await page.getByRole('button', { name: 'Play' }).click();
}

/** Presses Pause if the lab is playing. */
export async function pause(page) {
  if (await page.getByRole('button', { name: 'Pause' }).count()) await page.getByRole('button', { name: 'Pause' }).click();
}

/** Plays the lab until `fn` (run in the page) holds, then pauses. */
export async function playUntil(page, what, fn, arg, timeout = 60000) {
  await play(page);
  await waitFor(page, what, fn, arg, timeout);
  await pause(page);
}

/** Saves a PNG under artifacts/ and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Text of the first element matching `selector`. */
export async function text(page, selector) {
  const el = await page.$(selector);
  if (!el) throw new Error(`no element matches ${selector}`);
  return (await el.textContent()).trim();
}

/** `HH:MM:SS` or `Nd HH:MM:SS` → seconds. */
export function clockSeconds(s) {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)$/.exec(s.trim());
  if (!m) throw new Error(`not a sim clock: ${JSON.stringify(s)}`);
  return (+(m[1] || 0)) * 86400 + (+m[2]) * 3600 + (+m[3]) * 60 + (+m[4]);
}

/** Fails if the page recorded problems. */
export function noProblems(problems) {
  expect(problems.length === 0, `page problems:\n  ${problems.join('\n  ')}`);
}
