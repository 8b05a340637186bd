// A cluster too big to draw node by node: summaries by AZ, node group and capacity type, and a
// group opened to see its nodes.
import { openPage, waitFor, expect, text, screenshot, playUntil, noProblems } from '../harness.mjs';

const BIG = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: big, region: us-east-1, version: "1.34"}
managedNodeGroups:
  - {name: ng-general, instanceType: m5.large, minSize: 72, desiredCapacity: 72, maxSize: 72}
  - {name: ng-spot, instanceTypes: [m5.large], spot: true, minSize: 9, desiredCapacity: 9, maxSize: 9}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 600
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: nginx, resources: {requests: {cpu: 100m, memory: 128Mi}}}
---
apiVersion: ekslab.dev/v1alpha1
kind: Lab
metadata: {name: big}
spec:
  skipClusterCreation: true
`;

async function openBig(page) {
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  await page.setInputFiles('input[type=file]', { name: 'big.yaml', mimeType: 'text/yaml', buffer: Buffer.from(BIG) });
  await waitFor(page, 'the big lab to open', () => document.querySelector('[data-testid=notice]')?.textContent.includes('big.yaml'));
  await page.selectOption('select[aria-label=Speed]', { label: '60x' });
  await playUntil(page, '81 Ready nodes and the web pods running', () => {
    const note = document.querySelector('[data-testid=by-group]');
    const lines = [...document.querySelectorAll('.group-summary .summary-line')].map((e) => e.textContent);
    const ready = lines.filter((l) => / nodes? · /.test(l)).reduce((n, l) => n + parseInt(l.split(' · ')[1], 10), 0);
    const running = lines.filter((l) => l.startsWith('Pods:')).reduce((n, l) => n + parseInt(l.slice(6), 10), 0);
    return note && ready === 81 && running >= 600;
  }, undefined, 90000);
}

export async function aBigClusterIsDrawnByGroupAndAGroupOpens({ browser, site }) {
  for (const [width, height] of [[1280, 800], [1920, 1080]]) {
    const { page, context, problems } = await openPage(browser, site, { width, height });
    await openBig(page);
    const note = await text(page, '[data-testid=by-group]');
    expect(/^81 nodes and \d+ pods: drawn by Availability Zone, node group and capacity type/.test(note), `note: ${note}`);
    expect(await page.locator('[data-node]').count() === 0, 'no node cards until a group is opened');
    // Three AZs, two groups each (the On-Demand and the Spot group): six summaries.
    expect(await page.locator('.group-summary').count() === 6, 'a summary per AZ and group');
    expect(await page.locator('.group-summary[data-capacity=Spot]').count() === 3, 'the Spot group is marked Spot in each AZ');
    await screenshot(page, `scale-by-group-${width}x${height}`);
    const first = page.locator('.group-summary[data-group=ng-general]').first();
    const button = first.getByRole('button', { name: /^Show \d+ nodes$/ });
    const n = parseInt((await button.textContent()).match(/\d+/)[0], 10);
    await button.click();
    await waitFor(page, 'the opened group\'s nodes', (n) => document.querySelectorAll('[data-node]').length === n, n);
    expect(await first.getByRole('button', { name: 'Hide nodes' }).getAttribute('aria-expanded') === 'true', 'the button says the group is open');
    await screenshot(page, `scale-group-open-${width}x${height}`);
    await first.getByRole('button', { name: 'Hide nodes' }).click();
    await waitFor(page, 'the group to close', () => document.querySelectorAll('[data-node]').length === 0);
    noProblems(problems);
    await context.close();
  }
}
