// The data planes EKS does not upgrade for you, walked from the Upgrades tab's buttons: after a
// control plane upgrade to 1.35, a self-managed node group's blue/green migration (create the
// new group at 1.35, cordon and drain the old nodes through the PDB, delete the old group) and
// a Fargate Deployment's restart, which is the only way its pods get the new kubelet.
import { expect, waitFor, screenshot, text, playUntil } from '../harness.mjs';

const SCENARIO = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: bg-lab
  region: us-east-1
  version: "1.34"
nodeGroups:
  - name: ng-self
    instanceType: m5.large
    minSize: 2
    desiredCapacity: 2
    maxSize: 2
fargateProfiles:
  - name: fp-serverless
    selectors:
      - namespace: serverless
---
apiVersion: v1
kind: Namespace
metadata:
  name: serverless
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: web}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: serverless
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: public.ecr.aws/nginx/nginx:1.27
          resources:
            requests: {cpu: 250m, memory: 512Mi}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata:
  name: bg-lab
spec:
  seed: 8
  skipClusterCreation: true
`;

const nodes = (page, kind) => page.$$eval(`.node.${kind}`, (els) => els.map((e) => ({ name: e.dataset.node, kubelet: e.dataset.kubelet, status: e.dataset.status })));

export async function blueGreenSelfManagedAndFargateRestart({ browser, site }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${site.url}#lab=${Buffer.from(SCENARIO).toString('base64url')}&t=0`);
  await waitFor(page, 'the lab', () => document.querySelector('[data-testid=cluster-name]')?.textContent === 'bg-lab');
  await page.selectOption('.speed select', { label: '300x' });
  await playUntil(page, 'two self-managed nodes and two Fargate pods Running', () =>
    [...document.querySelectorAll('.node.self-managed')].filter((n) => n.dataset.status === 'Ready').length === 2
    && document.querySelectorAll('.node.fargate').length === 2
    && document.querySelectorAll('[data-pod^="web-"][data-state=running]').length === 3);

  await page.getByRole('tab', { name: 'Upgrades' }).click();
  await page.click('[data-action=upgrade-cluster]');
  await playUntil(page, 'the control plane at 1.35', () => document.querySelector('[data-update=cluster]')?.dataset.status === 'Successful');
  expect(await text(page, '[data-testid=upgrade-current-version]') === '1.35', 'the planner shows 1.35');
  const fargate = await text(page, '[data-testid=upgrade-fargate]');
  expect(fargate.includes('2'), `the Fargate card counts the two pods on the old kubelet: ${fargate}`);

  // 1. The new group at the control plane's version.
  await page.click('[data-action=blue-green-create-ng-self]');
  await playUntil(page, 'two new nodes Ready at 1.35', () =>
    [...document.querySelectorAll('.node.self-managed')].filter((n) => n.dataset.kubelet === 'v1.35.0-eks' && n.dataset.status === 'Ready').length === 2);
  // 2. Cordon and drain the old nodes: the PDB lets one web pod go at a time.
  await page.click('[data-action=blue-green-drain-ng-self]');
  await playUntil(page, 'every web pod Running on the new nodes', () => {
    const old = [...document.querySelectorAll('.node.self-managed')].filter((n) => n.dataset.kubelet === 'v1.34.0-eks');
    const onOld = old.some((n) => n.querySelector('[data-pod^="web-"]'));
    return old.every((n) => n.dataset.status.includes('SchedulingDisabled')) && !onOld
      && document.querySelectorAll('[data-pod^="web-"][data-state=running]').length === 3;
  });
  await screenshot(page, 'upgrades/blue-green-drained-1280x800');
  // 3. Delete the old group.
  await page.click('[data-action=blue-green-delete-ng-self]');
  await playUntil(page, 'the old group gone', () =>
    ![...document.querySelectorAll('.node.self-managed')].some((n) => n.dataset.kubelet === 'v1.34.0-eks'));
  const left = await nodes(page, 'self-managed');
  expect(left.length === 2 && left.every((n) => n.kubelet === 'v1.35.0-eks'), `only the new group's nodes remain: ${JSON.stringify(left)}`);

  // Fargate: a restart gives new pods, new Fargate nodes, the new kubelet.
  const before = await nodes(page, 'fargate');
  expect(before.length === 2 && before.every((n) => n.kubelet === 'v1.34.0-eks'), `Fargate nodes keep 1.34 until restarted: ${JSON.stringify(before)}`);
  await page.click('[data-action=restart-serverless-api]');
  await playUntil(page, 'the Fargate pods on 1.35', () => {
    const f = [...document.querySelectorAll('.node.fargate')];
    return f.length === 2 && f.every((n) => n.dataset.kubelet === 'v1.35.0-eks');
  });
  await screenshot(page, 'upgrades/fargate-restarted-1280x800');
  expect(problems.length === 0, problems.join('\n'));
  await context.close();
}
