// Careless and hostile input, driven through the real page: a huge `kubectl scale` typed in the
// console gets an error, one at the lab's limit grows in bounded bursts while the page keeps
// answering, and a reload rebuilds the lab in slices with a progress bar; a share link asking
// for an absurd time opens the lab at its start, paused, with a message; a damaged link leaves
// the learner's own lab in place and offers its text for download; the page's
// Content-Security-Policy allows only its own origin and nothing violates it.
import { openPage, expect, waitFor, screenshot, text, clockSeconds, noProblems, play, pause } from '../harness.mjs';

async function freshLab(browser, site) {
  const opened = await openPage(browser, site);
  const { page } = opened;
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitFor(page, 'the lab', () => document.querySelector('[data-testid=sim-clock]'));
  // Record any Content-Security-Policy violation the page reports from now on.
  await page.evaluate(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return opened;
}

/** Plays the demo lab until eksctl has finished and the scenario's workloads exist. */
async function untilReady(page) {
  await page.selectOption('select[aria-label=Speed]', { label: '300x' });
  await play(page);
  await waitFor(page, 'the cluster to be ready', () => [...document.querySelectorAll('[data-testid=event-log] tbody.event')].some((e) => e.textContent.includes('ClusterReady')), undefined, 60000);
  await pause(page);
}

async function run(page, line) {
  await page.getByRole('tab', { name: 'Console' }).click();
  const before = await page.locator('.console .entry').count();
  await page.fill('[data-testid=console-input]', line);
  await page.press('[data-testid=console-input]', 'Enter');
  await waitFor(page, `the console to answer ${line}`, (n) => {
    const entries = document.querySelectorAll('.console .entry');
    return entries.length > n && !entries[entries.length - 1].querySelector('.waiting');
  }, before);
  return (await page.locator('.console .entry .out').last().textContent()).trim();
}

/** How long the page takes to answer a click on a tab (ms): the page is responsive if short. */
async function responseTime(page, tab) {
  const t0 = Date.now();
  await page.getByRole('tab', { name: tab }).click({ timeout: 5000 });
  await waitFor(page, `the ${tab} tab`, (name) => [...document.querySelectorAll('[role=tab][aria-selected=true]')].some((t) => t.textContent === name), tab, 5000);
  return Date.now() - t0;
}

export async function aHugeScaleIsRefusedOrBoundedAndTheLabSurvivesAReload({ browser, site }) {
  const { page, context, problems } = await freshLab(browser, site);
  const csp = await page.$eval('meta[http-equiv=Content-Security-Policy]', (m) => m.content);
  expect(csp.startsWith("default-src 'self'") && !csp.includes('unsafe-inline') && !/https?:/.test(csp), `CSP allows only the lab's origin: ${csp}`);
  await untilReady(page);

  // Out of int32 range: kubectl's own error, and no work at all.
  const huge = await run(page, 'kubectl scale deployment web --replicas=999999999999');
  expect(huge.startsWith('error:') && huge.includes('999999999999'), `huge scale refused: ${huge}`);
  // Above the lab's limit but a valid int32: the lab's limit, named as the lab's.
  const over = await run(page, 'kubectl scale deployment web --replicas=20000');
  expect(over.startsWith('error:') && over.includes('10000'), `scale past the lab's limit refused: ${over}`);

  // At the limit: accepted, and the pods come 500 a sync while the page keeps answering.
  const ok = await run(page, 'kubectl scale deployment web --replicas=10000');
  expect(ok === 'deployment.apps/web scaled', `scale at the limit: ${ok}`);
  await page.selectOption('select[aria-label=Speed]', { label: '3600x' });
  await page.getByRole('tab', { name: 'Workloads' }).click();
  await play(page);
  // The pods exist (Pending: the cluster has room for a few dozen); more than 5,000 of them.
  await waitFor(page, 'thousands of web pods', () => {
    const p = document.querySelector('[data-deployment="default/web"] .pending-count');
    return p && parseInt(p.textContent, 10) > 5000;
  }, undefined, 60000);
  const slowest = Math.max(await responseTime(page, 'Workloads'), await responseTime(page, 'Console'), await responseTime(page, 'Scaling'));
  expect(slowest < 3000, `the page answered clicks within ${slowest} ms while 10,000 pods were created`);
  await page.waitForTimeout(2000);
  await pause(page);
  const reached = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  expect(reached > 60, `the lab ran to ${reached} s`);
  await screenshot(page, 'hostile-10000-pods-1280x800');
  // Let the autosave write the time reached.
  await page.waitForTimeout(500);

  // Reload: the lab is rebuilt in slices, with progress, to the same time.
  await page.reload();
  await waitFor(page, 'the lab after reload', () => document.querySelector('[data-testid=sim-clock]'));
  const sawReplay = await page.locator('[data-testid=replay]').count();
  if (sawReplay) {
    const label = await text(page, '[data-testid=replay]');
    expect(/Rebuilding the lab: .* of .* simulated \(\d+%\)/.test(label), `replay banner: ${label}`);
    await screenshot(page, 'hostile-replay-1280x800');
    expect(await responseTime(page, 'Scenarios') < 3000, 'the page answers during the replay');
  }
  await waitFor(page, 'the replay to finish', () => !document.querySelector('[data-testid=replay]'), undefined, 120000);
  const back = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  expect(back === reached, `the reload restored the lab at ${back} s, not at ${reached} s where it was paused`);
  await page.getByRole('tab', { name: 'Workloads' }).click();
  const row = await text(page, '[data-deployment="default/web"]');
  expect(row.includes('10000'), `web still asks for 10000 replicas after the reload: ${row}`);
  expect((await page.evaluate(() => window.cspViolations || [])).length === 0, 'no CSP violations');
  noProblems(problems);
  await context.close();
}

export async function aReplayCanBeStoppedAndTheLabDownloaded({ browser, site }) {
  const { page, context, problems } = await freshLab(browser, site);
  // A lab saved at 20 simulated days: its replay takes a while, so it can be stopped midway.
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  const share = await page.$eval('[data-testid=share-link]', (i) => i.value);
  const link = share.replace(/&t=\d+$/, `&t=${20 * 86400}`);
  await page.goto(link);
  await page.reload();
  await waitFor(page, 'the replay banner', () => document.querySelector('[data-testid=replay]'), undefined, 10000);
  await page.waitForTimeout(500);
  await page.getByTestId('stop-replay').click();
  await waitFor(page, 'the replay to stop', () => !document.querySelector('[data-testid=replay]'));
  const notice = await text(page, '[data-testid=notice]');
  expect(notice.startsWith('Replay stopped at') && notice.includes('of 20d 00:00:00'), `notice: ${notice}`);
  const at = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  expect(at > 0 && at < 20 * 86400, `stopped midway, at ${at} s`);
  expect(await page.getByRole('button', { name: 'Play' }).count() === 1, 'the lab is paused');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rescue').click()]);
  expect(download.suggestedFilename() === 'eks-lab.yaml', `download ${download.suggestedFilename()}`);
  await screenshot(page, 'hostile-replay-stopped-1280x800');
  noProblems(problems);
  await context.close();
}

export async function hostileLinksOpenPausedWithAMessage({ browser, site }) {
  const { page, context, problems } = await freshLab(browser, site);
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  const share = await page.$eval('[data-testid=share-link]', (i) => i.value);
  // A time no lab can be replayed to: opened at its start, paused, within a second.
  const t0 = Date.now();
  await page.goto(share.replace(/&t=\d+$/, '&t=99999999999999999999'));
  await page.reload();
  await waitFor(page, 'the notice', () => document.querySelector('[data-testid=notice]'), undefined, 10000);
  const took = Date.now() - t0;
  const notice = await text(page, '[data-testid=notice]');
  expect(notice.includes('is not a number of seconds the lab can replay to') && notice.includes('open at its start, paused'), `notice: ${notice}`);
  expect(clockSeconds(await text(page, '[data-testid=sim-clock]')) === 0, 'opened at its start');
  expect(await page.locator('[data-testid=replay]').count() === 0, 'nothing to replay');
  expect(took < 5000, `opened in ${took} ms`);
  await screenshot(page, 'hostile-link-time-1280x800');

  // Make the lab the learner's own (one action, autosaved), then open a damaged link.
  await untilReady(page);
  await run(page, 'kubectl scale deployment web --replicas=2');
  await page.waitForTimeout(500);
  await page.goto(share.replace(/lab=[^&]+/, 'lab=bm90IGEgbGFi%%%'));
  await page.reload();
  await waitFor(page, 'the notice', () => document.querySelector('[data-testid=notice]'), undefined, 10000);
  const bad = await text(page, '[data-testid=notice]');
  expect(bad.includes('The share link could not be opened') && bad.includes('Your own lab is unchanged'), `notice: ${bad}`);
  await page.getByRole('tab', { name: 'Workloads' }).click();
  const row = await text(page, '[data-deployment="default/web"]');
  expect(/\b2\b/.test(row), `the learner's own lab is still there (web at 2 replicas): ${row}`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('rescue').click()]);
  expect(download.suggestedFilename() === 'shared-lab.txt', `download ${download.suggestedFilename()}`);
  await screenshot(page, 'hostile-link-damaged-1280x800');
  noProblems(problems);
  await context.close();
}
