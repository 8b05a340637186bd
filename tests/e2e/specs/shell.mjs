// The lab shell: it loads from a sub-path, shows the cluster, the clock runs when played and
// stops when paused, nothing is fetched from other hosts, and a crash shows the error panel.
import { openPage, expect, waitFor, screenshot, text, clockSeconds, noProblems } from '../harness.mjs';

export async function playRunsTheClockAndPauseStopsIt({ browser, site }) {
  const { page, context, problems, requests } = await openPage(browser, site);
  await waitFor(page, 'the sim clock', () => document.querySelector('[data-testid=sim-clock]'));
  expect(await text(page, '[data-testid=cluster-name]') === 'lab', 'cluster name is shown');
  expect(clockSeconds(await text(page, '[data-testid=sim-clock]')) === 0, 'clock starts at 00:00:00');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitFor(page, 'the clock to pass three simulated minutes',
    () => { const t = document.querySelector('[data-testid=sim-clock]').textContent; return t >= '00:03:00'; });
  // Pause with the keyboard (space), then make sure time stands still.
  await page.locator('body').press(' ');
  const paused = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  await page.waitForTimeout(600);
  const later = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  expect(later === paused, `clock kept running while paused: ${paused} → ${later}`);
  expect(paused >= 180, `clock advanced to ${paused} s`);
  // The cluster has nodes now and the event log lists what happened.
  const nodes = await page.locator('[data-node]').count();
  expect(nodes >= 3, `expected at least 3 node cards, saw ${nodes}`);
  const events = await page.locator('[data-testid=event-log] tbody.event').count();
  expect(events > 10, `expected events in the log, saw ${events} rows`);
  expect(await page.locator('#fatal').isHidden(), 'the error panel stays hidden');
  expect(requests.some((u) => u.endsWith('.wasm')), 'the wasm was fetched from the sub-path');
  await screenshot(page, 'shell-1280x800');
  noProblems(problems);
  await context.close();
}

export async function aPanicShowsTheErrorPanelNotABlankPage({ browser, site }) {
  const { page, context } = await openPage(browser, site, { path: '#debug-panic', allowConsoleErrors: true });
  await waitFor(page, 'the error panel', () => !document.querySelector('#fatal').hidden);
  const msg = await text(page, '#fatal');
  expect(msg.includes('EKS Lab stopped because of an internal error'), `panel text: ${msg}`);
  await screenshot(page, 'panic-panel');
  await context.close();
}
