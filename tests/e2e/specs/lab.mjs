// Issue 4's story, driven through the real page: build a cluster with one managed node group
// and one Fargate profile, deploy a workload the profile selects and one it does not, run
// time, and check what a learner sees; then reload, and open a share link in a fresh page.
import { openPage, expect, waitFor, screenshot, text, clockSeconds, noProblems } from '../harness.mjs';

async function buildCluster(page) {
  await page.getByRole('tab', { name: 'Cluster' }).click();
  // Start from an empty list of data planes, then add exactly one of each kind we need.
  while (await page.locator('.plane button.remove').count() > 0) {
    await page.locator('.plane button.remove').first().click();
  }
  await page.getByRole('button', { name: '+ Managed node group' }).click();
  await page.getByRole('button', { name: '+ Fargate profile' }).click();
  await page.locator('.plane.fargate textarea').fill('batch');
  await page.locator('#b-skip').check();
  await page.locator('#b-keep').uncheck();
  await page.getByRole('button', { name: 'Build cluster' }).click();
  await waitFor(page, 'the rebuilt lab at t=0', () => document.querySelector('[data-testid=sim-clock]').textContent === '00:00:00');
}

async function deploy(page, { name, namespace, replicas, cpu, memory }) {
  await page.getByRole('tab', { name: 'Workloads' }).click();
  await page.fill('#w-name', name);
  await page.fill('#w-namespace', namespace);
  await page.fill('#w-replicas', String(replicas));
  await page.fill('#w-cpu', cpu);
  await page.fill('#w-memory', memory);
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  await waitFor(page, `deployment ${namespace}/${name} in the list`, (label) => !!document.querySelector(`[data-deployment="${label}"]`), `${namespace}/${name}`);
}

async function nodeNames(page) {
  return (await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.dataset.node))).sort();
}

async function runUntil(page, seconds) {
  await page.getByRole('button', { name: 'Play' }).click();
  await waitFor(page, `the clock to reach ${seconds} s`, (s) => {
    const t = document.querySelector('[data-testid=sim-clock]').textContent.trim();
    const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)$/.exec(t);
    return m && ((+(m[1] || 0)) * 86400 + (+m[2]) * 3600 + (+m[3]) * 60 + (+m[4])) >= s;
  }, seconds, 30000);
  await page.getByRole('button', { name: 'Pause' }).click();
}

export async function buildDeployRunReloadShare({ browser, site }) {
  const { page, context, problems } = await openPage(browser, site);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitFor(page, 'the lab', () => document.querySelector('[data-testid=sim-clock]'));
  await buildCluster(page);
  // Wait for eksctl to finish (node group and Fargate profile ACTIVE): pods created before a
  // profile is ACTIVE are not sent to Fargate, as in a real cluster.
  await runUntil(page, 180);
  await waitFor(page, 'the cluster to be ready', () => [...document.querySelectorAll('[data-testid=event-log] tbody.event')].some((e) => e.textContent.includes('ClusterReady')));
  // The Fargate profile selects namespace batch. Like kubectl, the form deploys only into a
  // namespace that exists, so create it from the console first (a paused lab applies it at
  // once).
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.fill('[data-testid=console-input]', 'kubectl create namespace batch');
  await page.press('[data-testid=console-input]', 'Enter');
  await waitFor(page, 'namespace/batch created', () => document.querySelector('[data-testid=console]').textContent.includes('namespace/batch created'));
  // One workload the Fargate profile selects (namespace batch): 1 vCPU / 8 GiB must round up
  // to 2 vCPU / 9 GB (eks-facts §2). One it does not: it goes to the managed node group.
  await deploy(page, { name: 'worker', namespace: 'batch', replicas: 2, cpu: '1', memory: '8Gi' });
  await deploy(page, { name: 'web', namespace: 'default', replicas: 3, cpu: '250m', memory: '256Mi' });
  await runUntil(page, 480);

  const fargateNodes = await page.locator('.node.fargate').count();
  expect(fargateNodes === 2, `expected 2 Fargate nodes, saw ${fargateNodes}`);
  const sizes = await page.locator('.node.fargate .node-type').allTextContents();
  expect(sizes.every((s) => s.trim() === '2vCPU 9GB'), `Fargate sizes: ${sizes.join(', ')}`);
  const workerOnFargate = await page.locator('.node.fargate [data-pod^="worker-"]').count();
  expect(workerOnFargate === 2, `worker pods on Fargate nodes: ${workerOnFargate}`);
  const webOnEc2 = await page.locator('.node.managed [data-pod^="web-"][data-state=running]').count();
  expect(webOnEc2 === 3, `web pods running on managed nodes: ${webOnEc2}`);
  expect(await page.locator('.node.fargate [data-pod^="web-"]').count() === 0, 'no web pod on Fargate');

  // The bill: every component that runs is charging.
  const cost = async (label) => parseFloat((await text(page, `[data-cost="${label}"]`)).replace(/[$,]/g, ''));
  const c1 = { cp: await cost('EKS control plane'), ec2: await cost('EC2 instances'), fargate: await cost('Fargate'), ebs: await cost('EBS volumes') };
  expect(c1.cp > 0 && c1.ec2 > 0 && c1.fargate > 0 && c1.ebs > 0, `all components charge: ${JSON.stringify(c1)}`);
  await runUntil(page, 600);
  const c2 = { cp: await cost('EKS control plane'), ec2: await cost('EC2 instances'), fargate: await cost('Fargate') };
  expect(c2.cp > c1.cp && c2.ec2 > c1.ec2 && c2.fargate > c1.fargate, `cost grows: ${JSON.stringify(c1)} → ${JSON.stringify(c2)}`);

  // Charts drawn, events listed.
  for (const id of ['chart-nodes-pods', 'chart-cost', 'chart-resources']) {
    const drawn = await page.getAttribute(`[data-testid=${id}]`, 'data-drawn');
    expect(Number(drawn) > 1, `${id} drawn with ${drawn} points`);
  }
  await page.fill('[data-testid=event-filter]', 'worker');
  const workerEvents = await page.locator('[data-testid=event-log] tbody.event').allTextContents();
  expect(workerEvents.some((t) => t.includes('fargate-scheduler') || t.includes('Successfully assigned batch/worker')), 'worker events listed');
  expect(workerEvents.every((t) => t.includes('worker')), 'the filter keeps only worker events');
  await page.fill('[data-testid=event-filter]', '');
  await screenshot(page, 'lab-after-run-1280x800');

  // Reload: the same cluster comes back (autosave), at the same time.
  const before = await nodeNames(page);
  const clockBefore = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  await page.reload();
  await waitFor(page, 'the restored lab', () => document.querySelectorAll('[data-node]').length > 0);
  const after = await nodeNames(page);
  expect(JSON.stringify(after) === JSON.stringify(before), `same nodes after reload:\n  ${before}\n  ${after}`);
  const clockAfter = clockSeconds(await text(page, '[data-testid=sim-clock]'));
  expect(Math.abs(clockAfter - clockBefore) <= 60, `clock restored: ${clockBefore} → ${clockAfter}`);

  // Share: a new page with empty storage opens the link and shows the same cluster.
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  const link = await page.inputValue('[data-testid=share-link]');
  expect(link.includes('#lab='), `share link: ${link.slice(0, 80)}`);
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const p2 = await other.newPage();
  await p2.goto(link);
  await waitFor(p2, 'the shared lab', () => document.querySelectorAll('[data-node]').length > 0);
  const shared = await nodeNames(p2);
  expect(JSON.stringify(shared) === JSON.stringify(before), `same nodes from the share link:\n  ${before}\n  ${shared}`);
  expect((await p2.locator('.node.fargate .node-type').allTextContents()).every((s) => s.trim() === '2vCPU 9GB'), 'shared Fargate sizes');
  await other.close();
  noProblems(problems);
  await context.close();
}

export async function aCorruptSaveOrLinkGivesAMessageAndAFreshLab({ browser, site }) {
  const { page, context } = await openPage(browser, site, { allowConsoleErrors: false });
  await page.evaluate(() => localStorage.setItem('ekslab.lab.v1', '{"format":"ekslab-save","version":1,"scenario":"kind: [","time_ms":0,"speed":0}'));
  await page.reload();
  await waitFor(page, 'a notice', () => document.querySelector('[data-testid=notice]'));
  const msg = await text(page, '[data-testid=notice]');
  expect(msg.includes('could not be restored'), `notice: ${msg}`);
  expect(await page.evaluate(() => localStorage.getItem('ekslab.lab.v1.unreadable')) !== null, 'the unreadable save is kept aside');
  expect((await text(page, '[data-testid=rescue]')) === 'Download unreadable-lab.txt', 'and offered for download');
  expect(await page.locator('[data-node], .zone').count() > 0, 'a fresh lab is shown');
  // A hash change alone does not reload the page: leave it first, as opening a link would.
  await page.goto('about:blank');
  await page.goto(site.url + '#lab=@@@not-base64@@@');
  await waitFor(page, 'a notice about the link', () => (document.querySelector('[data-testid=notice]') || {}).textContent?.includes('share link'));
  await page.goto('about:blank');
  await page.goto(site.url + '#lab=' + 'A'.repeat(1_500_000));
  await waitFor(page, 'a notice about the long link', () => (document.querySelector('[data-testid=notice]') || {}).textContent?.includes("more than the lab's limit of 1398104"));
  expect(await page.locator('#fatal').isHidden(), 'no crash');
  await context.close();
}

export async function aScenarioFileWithMistakesIsRefusedWithPositions({ browser, site }) {
  const { page, context } = await openPage(browser, site);
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  await page.setInputFiles('input[type=file]', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: x\nmanagedNodeGroups:\n  - name: ng\n    instanceType: m9.huge\n') });
  await waitFor(page, 'a notice', () => document.querySelector('[data-testid=notice]'));
  const msg = await text(page, '[data-testid=notice]');
  expect(msg.includes('broken.yaml was not opened') && msg.includes('line 7') && msg.includes('m9.huge'), `notice: ${msg}`);
  await page.getByRole('button', { name: 'mixed' }).click();
  await waitFor(page, 'the mixed example', () => document.querySelector('[data-testid=notice]')?.textContent.includes('Opened examples/mixed.yaml'));
  await context.close();
}
