// Issue 6's story in the browser: a 1.34 cluster with one managed node group of two m5.large
// nodes is created, then upgraded from the Upgrades tab: the control plane to 1.35 (three
// phases on the timeline, the version shown changes), then the node group with a rolling
// update at high speed: the Auto Scaling group's desired size rises by the surge (2 + 6 for
// three AZs, eks-facts §4), the old nodes show cordoned (Ready,SchedulingDisabled), the update
// reaches Successful and every node runs the new kubelet. Screenshots at 1280x800 and
// 1920x1080 are saved under artifacts/upgrades/.
import { expect, waitFor, screenshot, text, play, playUntil } from '../harness.mjs';

const SCENARIO = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: upgrade-lab
  region: us-east-1
  version: "1.34"
managedNodeGroups:
  - name: ng-1
    instanceType: m5.large
    minSize: 2
    desiredCapacity: 2
    maxSize: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: public.ecr.aws/nginx/nginx:1.27
          resources:
            requests: {cpu: 250m, memory: 256Mi}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata:
  name: upgrade-lab
spec:
  seed: 6
`;

const managedNodes = (page) => page.$$eval('.node.managed', (els) => els.map((e) => ({
  name: e.dataset.node, kubelet: e.dataset.kubelet, status: e.dataset.status, rollout: e.dataset.rollout,
})));

export async function upgradeTheControlPlaneThenTheNodeGroup({ browser, site }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${site.url}#lab=${Buffer.from(SCENARIO).toString('base64url')}&t=0`);
  await waitFor(page, 'the upgrade lab', () => document.querySelector('[data-testid=cluster-name]')?.textContent === 'upgrade-lab');
  await page.selectOption('.speed select', { label: '300x' });

  // Cluster creation: 10–15 simulated minutes until ACTIVE, then the two nodes join.
  await playUntil(page, 'the cluster ACTIVE with two Ready nodes', () =>
    document.querySelector('.cp-title')?.textContent.includes('ACTIVE')
    && [...document.querySelectorAll('.node.managed')].filter((n) => n.dataset.status === 'Ready').length === 2);
  await page.getByRole('tab', { name: 'Upgrades' }).click();
  expect(await text(page, '[data-testid=upgrade-current-version]') === '1.34', 'the planner shows 1.34');
  expect(await text(page, '[data-testid=upgrade-next-version]') === '1.35', 'the next minor is 1.35');
  const plan = await text(page, '.upgrades');
  expect(plan.includes('Rolling update') && plan.includes('Force update'), 'the node group offers rolling and force updates');
  expect(await page.isDisabled('[data-action=rolling-update-ng-1]'), 'the node group waits for the control plane');
  await screenshot(page, 'upgrades/plan-1280x800');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(300);
  await screenshot(page, 'upgrades/plan-1920x1080');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The control plane: new API servers at 1.35 beside the old ones, then three phases.
  await page.click('[data-action=upgrade-cluster]');
  await waitFor(page, 'the control plane update to start', () => document.querySelector('[data-update=cluster]')?.dataset.status === 'InProgress');
  await playUntil(page, 'new API servers at 1.35', () => document.querySelectorAll('.control-plane .cp[data-generation=new]').length === 2);
  expect(await page.locator('.control-plane .cp[data-generation=old]').count() === 2, 'the old API servers still serve');
  await screenshot(page, 'upgrades/control-plane-updating-1280x800');
  await playUntil(page, 'the control plane update to succeed', () => document.querySelector('[data-update=cluster]')?.dataset.status === 'Successful');
  expect(await text(page, '[data-testid=upgrade-current-version]') === '1.35', 'the planner shows 1.35');
  expect((await text(page, '.top-bar .version')) === 'Kubernetes 1.35', 'the top bar shows 1.35');
  const phases = await page.$$eval('[data-update=cluster] .phase', (els) => els.map((e) => e.dataset.phase));
  expect(JSON.stringify(phases) === JSON.stringify(['LaunchNewApiServers', 'HealthChecks', 'ReplaceOldApiServers']),
    `the timeline shows the three phases: ${phases}`);
  const old = await managedNodes(page);
  expect(old.length === 2 && old.every((n) => n.kubelet === 'v1.34.0-eks'), `nodes still at 1.34: ${JSON.stringify(old)}`);
  expect(await page.locator('.node.managed.behind').count() === 2, 'both nodes are marked older than the control plane');

  // The rolling update at 300x. A recorder in the page pauses the lab the first time the
  // surge is up and the old nodes are cordoned, so the test can look at that moment.
  await page.click('[data-action=rolling-update-ng-1]');
  await waitFor(page, 'the node group update to start', () => document.querySelector('[data-update="nodegroup/ng-1"]')?.dataset.status === 'InProgress');
  await page.evaluate(() => {
    window.__seen = { maxDesired: 0, cordonedOld: 0, paused: false };
    const look = () => {
      const asg = document.querySelector('[data-testid=asg-ng-1]');
      const desired = Number(asg?.dataset.desired || 0);
      window.__seen.maxDesired = Math.max(window.__seen.maxDesired, desired);
      const cordoned = [...document.querySelectorAll('.node.managed')]
        .filter((n) => n.dataset.kubelet === 'v1.34.0-eks' && n.dataset.status === 'Ready,SchedulingDisabled').length;
      window.__seen.cordonedOld = Math.max(window.__seen.cordonedOld, cordoned);
      if (!window.__seen.paused && desired === 8 && cordoned === 2) {
        window.__seen.paused = true;
        document.querySelector('button.play')?.click();
      }
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  // 300x: 30 simulated seconds per tick, so the ~65 s between cordoning the old nodes and the
  // first one's termination shows on at least two frames.
  await play(page);
  try {
    await waitFor(page, 'the surge and the cordoned old nodes', () => window.__seen.paused, undefined, 60000);
  } catch (e) {
    await screenshot(page, 'upgrades/failed-surge');
    throw new Error(`${e.message}: recorded ${JSON.stringify(await page.evaluate(() => window.__seen))}, nodes ${JSON.stringify(await managedNodes(page))}`);
  }
  await waitFor(page, 'the lab to pause', () => document.querySelector('button.play')?.getAttribute('aria-pressed') === 'false');
  const mid = await managedNodes(page);
  const asg = await page.$eval('[data-testid=asg-ng-1]', (e) => ({ desired: e.dataset.desired, max: e.dataset.max, text: e.textContent }));
  expect(asg.desired === '8' && asg.max === '8', `ASG desired and max rose to 2 + surge 6: ${JSON.stringify(asg)}`);
  expect(mid.filter((n) => n.kubelet === 'v1.34.0-eks').every((n) => n.status === 'Ready,SchedulingDisabled'),
    `old nodes cordoned: ${JSON.stringify(mid)}`);
  expect(mid.filter((n) => n.rollout === 'new').length === 6, `six new nodes: ${JSON.stringify(mid)}`);
  expect((await text(page, '[data-update="nodegroup/ng-1"]')).includes('InProgress'), 'the update runs');
  await screenshot(page, 'upgrades/rolling-update-1280x800');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(300);
  await screenshot(page, 'upgrades/rolling-update-1920x1080');
  await page.locator('[data-testid=upgrade-timeline]').scrollIntoViewIfNeeded();
  await screenshot(page, 'upgrades/timeline-1920x1080');

  await playUntil(page, 'the node group update to succeed', () => document.querySelector('[data-update="nodegroup/ng-1"]')?.dataset.status === 'Successful', undefined, 60000);
  await playUntil(page, 'two nodes, all at 1.35', () => {
    const nodes = [...document.querySelectorAll('.node.managed')];
    return nodes.length === 2 && nodes.every((n) => n.dataset.kubelet === 'v1.35.0-eks' && n.dataset.status === 'Ready');
  });
  const seen = await page.evaluate(() => window.__seen);
  expect(seen.maxDesired === 8 && seen.cordonedOld === 2, `recorded: ${JSON.stringify(seen)}`);
  const ngPhases = await page.$$eval('[data-update="nodegroup/ng-1"] .phase', (els) => els.map((e) => e.dataset.phase));
  expect(JSON.stringify(ngPhases) === JSON.stringify(['Setup', 'ScaleUp', 'Upgrade', 'ScaleDown']), `node group phases: ${ngPhases}`);
  const counts = await text(page, '[data-update="nodegroup/ng-1"] .counts');
  expect(counts.includes('2 node(s) replaced'), `nodes replaced: ${counts}`);
  expect((await page.getAttribute('[data-testid=asg-ng-1]', 'data-desired')) === '2', 'the ASG is back to 2');
  await page.locator('.asg-chart').scrollIntoViewIfNeeded();
  await waitFor(page, 'the ASG chart', () => Number(document.querySelector('[data-testid=chart-asg]')?.dataset.drawn || 0) > 5);
  const summary = await page.getAttribute('[data-testid=chart-asg]', 'aria-label');
  expect(summary.includes('nodegroup ng-1: desired 2, max 2'), `chart summary: ${summary}`);
  await screenshot(page, 'upgrades/done-chart-1920x1080');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await page.locator('[data-testid=upgrade-timeline]').scrollIntoViewIfNeeded();
  await screenshot(page, 'upgrades/done-1280x800');
  expect(problems.length === 0, problems.join('\n'));
  await context.close();
}

const PDB_SCENARIO = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: pdb-lab
  region: us-east-1
  version: "1.34"
managedNodeGroups:
  - name: ng-1
    instanceType: m5.large
    minSize: 2
    desiredCapacity: 2
    maxSize: 2
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 2
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: public.ecr.aws/docker/library/postgres:16
          resources:
            requests: {cpu: 250m, memory: 256Mi}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: db
spec:
  maxUnavailable: 0
  selector:
    matchLabels: {app: db}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata:
  name: pdb-lab
spec:
  seed: 7
  skipClusterCreation: true
`;

// A PodDisruptionBudget that allows no disruption: the planner warns, the rolling update fails
// with PodEvictionFailure after 15 minutes (in red on the timeline, with the pods that would
// not leave), and the force update then goes through. The add-ons are updated from their
// buttons.
export async function aBlockingPdbFailsTheRollingUpdateAndForceGoesThrough({ browser, site }) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${site.url}#lab=${Buffer.from(PDB_SCENARIO).toString('base64url')}&t=0`);
  await waitFor(page, 'the PDB lab', () => document.querySelector('[data-testid=cluster-name]')?.textContent === 'pdb-lab');
  await page.selectOption('.speed select', { label: '1000x' });
  await playUntil(page, 'two Ready nodes', () => [...document.querySelectorAll('.node.managed')].filter((n) => n.dataset.status === 'Ready').length === 2);
  await page.getByRole('tab', { name: 'Upgrades' }).click();
  await page.click('[data-action=upgrade-cluster]');
  await playUntil(page, 'the control plane at 1.35', () => document.querySelector('[data-update=cluster]')?.dataset.status === 'Successful');
  const impact = await text(page, '.upgrades .impact');
  expect(impact.includes('pdb/default/db allows 0 disruptions') && impact.includes('PodEvictionFailure after 15 minutes'),
    `the planner warns about the PDB: ${impact}`);
  for (const addon of ['coredns', 'kube-proxy']) await page.click(`[data-action=update-addon-${addon}]`);
  await page.click('[data-action=rolling-update-ng-1]');
  await playUntil(page, 'the rolling update to fail', () => document.querySelector('[data-update="nodegroup/ng-1"]')?.dataset.status === 'Failed', undefined, 60000);
  const failed = await text(page, '[data-update="nodegroup/ng-1"] .update-error');
  expect(failed.startsWith('PodEvictionFailure: Reached max retries while trying to evict pods from nodes in node group ng-1')
    && failed.includes('Blocked by: default/db-'), `the error and the pods that blocked: ${failed}`);
  const addons = await page.$$eval('.upgrades tr[data-addon]', (rows) => rows.map((r) => [r.dataset.addon, r.querySelector('.state')?.dataset.state]));
  expect(JSON.stringify(addons) === JSON.stringify([['vpc-cni', 'done'], ['coredns', 'done'], ['kube-proxy', 'done']]),
    `add-ons updated: ${JSON.stringify(addons)}`);
  await page.locator('[data-testid=upgrade-timeline]').scrollIntoViewIfNeeded();
  await screenshot(page, 'upgrades/pod-eviction-failure-1920x1080');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.waitForTimeout(300);
  await page.locator('[data-update="nodegroup/ng-1"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'upgrades/pod-eviction-failure-1280x800');
  // The update settings form submits aws eks update-nodegroup-config.
  await page.selectOption('[data-testid=strategy-ng-1]', 'MINIMAL');
  await page.fill('[data-testid=max-unavailable-ng-1]', '2');
  await page.getByRole('button', { name: 'Apply settings' }).click();
  await waitFor(page, 'the new update settings', () => document.querySelector('[data-nodegroup=ng-1]')?.textContent.includes('MINIMAL strategy, maxUnavailable=2 → 2 node(s) at a time, surge 0'));
  await page.click('[data-action=force-update-ng-1]');
  await playUntil(page, 'the force update to succeed', () => [...document.querySelectorAll('[data-update="nodegroup/ng-1"]')].some((r) => r.dataset.status === 'Successful'), undefined, 60000);
  const rows = await page.$$eval('[data-update="nodegroup/ng-1"]', (els) => els.map((e) => [e.dataset.status, e.querySelector('.update-head')?.textContent]));
  expect(rows.length === 2 && rows[0][0] === 'Failed' && rows[1][0] === 'Successful' && rows[1][1].includes('force update'),
    `a failed rolling update then a successful force update: ${JSON.stringify(rows)}`);
  expect(problems.length === 0, problems.join('\n'));
  await context.close();
}
