// Issue 5's story in the browser: a traffic spike on a web Deployment with an HPA and the
// Cluster Autoscaler. Replicas, nodes and the hourly cost rise with the load, then fall after
// it ends (the HPA's 5-minute stabilization window, then the Cluster Autoscaler's 10 minutes
// of unneeded nodes).
import { expect, waitFor, screenshot, text } from '../harness.mjs';

const SCENARIO = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: spike
  region: us-east-1
  version: "1.34"
managedNodeGroups:
  - name: ng-web
    instanceType: m5.large
    minSize: 1
    desiredCapacity: 1
    maxSize: 6
addons:
  - name: metrics-server
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
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
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 16
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: {type: Utilization, averageUtilization: 50}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata:
  name: spike
spec:
  seed: 11
  skipClusterCreation: true
  clusterAutoscaler: {}
  verticalPodAutoscaler: true
  traffic:
    - deployment: web
      rps: 10
`;

const clock = (s) => {
  const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)$/.exec(s.trim());
  return (+(m[1] || 0)) * 86400 + (+m[2]) * 3600 + (+m[3]) * 60 + (+m[4]);
};

async function runUntil(page, seconds) {
  if (await page.getByRole('button', { name: 'Play' }).count()) await page.getByRole('button', { name: 'Play' }).click();
  await waitFor(page, `the clock to reach ${seconds} s`, (s) => {
    const t = document.querySelector('[data-testid=sim-clock]').textContent.trim();
    const m = /^(?:(\d+)d )?(\d+):(\d\d):(\d\d)$/.exec(t);
    return m && ((+(m[1] || 0)) * 86400 + (+m[2]) * 3600 + (+m[3]) * 60 + (+m[4])) >= s;
  }, seconds, 60000);
  await page.getByRole('button', { name: 'Pause' }).click();
}

async function replicas(page) {
  await page.getByRole('tab', { name: 'Workloads' }).click();
  return Number(await text(page, '[data-deployment="default/web"] .scale span'));
}

const nodes = (page) => page.locator('.node.managed').count();
const rate = async (page) => parseFloat((await text(page, '.cost div:nth-child(2) .value')).replace(/[$,/h]/g, ''));

export async function aTrafficSpikeScalesPodsNodesAndCostUpThenDown({ browser, site }) {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${site.url}#lab=${Buffer.from(SCENARIO).toString('base64url')}&t=0`);
  await waitFor(page, 'the spike lab', () => document.querySelector('[data-testid=cluster-name]')?.textContent === 'spike');
  await page.selectOption('.speed select', { label: '300x' });
  await runUntil(page, 240);
  const before = { replicas: await replicas(page), nodes: await nodes(page), rate: await rate(page), t: clock(await text(page, '[data-testid=sim-clock]')) };
  expect(before.replicas === 2 && before.nodes === 1, `steady before the spike: ${JSON.stringify(before)}`);

  // The learner drives a 20-minute spike from the Scaling tab.
  await page.getByRole('tab', { name: 'Scaling' }).click();
  await page.selectOption('#s-pattern', 'spike');
  await page.fill('#s-rps', '10');
  await page.fill('#s-peak', '600');
  await page.fill('#s-duration', '20m');
  await page.getByRole('button', { name: 'Apply traffic' }).click();
  await waitFor(page, 'the traffic to apply', () => document.querySelector('.scaling .status-list')?.textContent.includes('600'));
  await page.getByTestId('scaling-charts').click();
  await runUntil(page, before.t + 15 * 60);
  const peak = { replicas: await replicas(page), nodes: await nodes(page), rate: await rate(page) };
  expect(peak.replicas > before.replicas, `replicas rose: ${before.replicas} → ${peak.replicas}`);
  expect(peak.nodes > before.nodes, `nodes rose: ${before.nodes} → ${peak.nodes}`);
  expect(peak.rate > before.rate, `the hourly cost rose: ${before.rate} → ${peak.rate}`);
  await page.getByRole('tab', { name: 'Scaling' }).click();
  const hpaText = await text(page, '[data-hpa=web]');
  expect(hpaText.includes('web'), `the HPA explains itself: ${hpaText}`);
  const group = await text(page, '[data-ca-group=ng-web]');
  expect(/ng-web\s*managed\s*1\s*[2-6]\s*6/.test(group), `the Cluster Autoscaler's table shows ng-web grown: ${group}`);
  const why = await text(page, '.scaling section.ca');
  expect(why.includes('--expander=least-waste'), `the CA's flags are shown: ${why}`);
  // The learner asks the VPA for a recommendation only (Off mode) from the same tab.
  await page.selectOption('#s-vpa-mode', 'Off');
  await page.getByRole('button', { name: 'Create VPA for default/web' }).click();
  await waitFor(page, 'the VPA card', () => document.querySelector('[data-vpa="default/web"]'));
  await screenshot(page, 'autoscaling-peak-1920x1080');

  // The spike ends at +20 min; the HPA waits 5 minutes, the CA 10 more minutes of unneeded
  // nodes (plus draining), so by +60 min both are back down.
  await runUntil(page, before.t + 60 * 60);
  const after = { replicas: await replicas(page), nodes: await nodes(page), rate: await rate(page) };
  expect(after.replicas < peak.replicas, `replicas fell: ${peak.replicas} → ${after.replicas}`);
  expect(after.nodes < peak.nodes, `nodes fell: ${peak.nodes} → ${after.nodes}`);
  expect(after.rate < peak.rate, `the hourly cost fell: ${peak.rate} → ${after.rate}`);
  for (const id of ['chart-load', 'chart-cpu-target', 'chart-nodes-rate']) {
    const drawn = await page.getAttribute(`[data-testid=${id}]`, 'data-drawn');
    expect(Number(drawn) > 10, `${id} drawn (${drawn} points)`);
  }
  await page.getByRole('tab', { name: 'Scaling' }).click();
  const vpa = await text(page, '[data-vpa="default/web"]');
  expect(vpa.includes('(Off)') && vpa.includes('Target') && vpa.includes('250m / 256Mi'),
    `the VPA recommends next to the current requests: ${vpa}`);
  await screenshot(page, 'autoscaling-after-1920x1080');
  await page.locator('[data-vpa="default/web"]').scrollIntoViewIfNeeded();
  await screenshot(page, 'autoscaling-vpa-1920x1080');
  expect(problems.length === 0, problems.join('\n'));
  await context.close();
}
