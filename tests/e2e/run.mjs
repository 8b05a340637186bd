// Runs every spec in specs/ against one served build and one browser; prints one line per
// spec and a summary, and exits non-zero if any spec failed. `node run.mjs shell` runs the
// specs whose file name contains "shell".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve, launch } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] || '';
const files = fs.readdirSync(path.join(here, 'specs')).filter((f) => f.endsWith('.mjs') && f.includes(filter)).sort();

const site = await serve();
const browser = await launch();
let passed = 0;
let failed = 0;
for (const f of files) {
  const mod = await import(pathToFileURL(path.join(here, 'specs', f)));
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    const label = `${f.replace(/\.mjs$/, '')} › ${name}`;
    const t0 = Date.now();
    try {
      await fn({ browser, site });
      passed += 1;
      console.log(`  ok    ${label} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`  FAIL  ${label}\n        ${String(e.message || e).split('\n').join('\n        ')}`);
    }
  }
}
await browser.close();
await site.close();
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
