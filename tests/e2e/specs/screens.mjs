// Screenshots of each main view at 1280x800 and 1920x1080, taken from a running lab (the mixed
// example), for the README and for people to look at. `make screenshots` copies them to
// docs/screenshots/. Each view is also checked for what a learner must see in it.
import { openPage, expect, waitFor, screenshot } from '../harness.mjs';

async function openMixed(page) {
  await page.getByRole('tab', { name: 'Scenarios' }).click();
  await page.getByRole('button', { name: 'mixed' }).click();
  await waitFor(page, 'the mixed example', () => document.querySelector('[data-testid=notice]')?.textContent.includes('Opened examples/mixed.yaml'));
  await page.selectOption('.speed select', { label: '300x' });
  await page.getByRole('button', { name: 'Play' }).click();
  await waitFor(page, 'the clock to pass 36 minutes', () => document.querySelector('[data-testid=sim-clock]').textContent >= '00:36:00', undefined, 30000);
  await page.getByRole('button', { name: 'Pause' }).click();
}

async function views({ browser, site }, w, h) {
  {
    const { page, context, problems } = await openPage(browser, site, { width: w, height: h });
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await waitFor(page, 'the lab', () => document.querySelector('[data-testid=sim-clock]'));
    await openMixed(page);
    await page.getByRole('tab', { name: 'Cluster' }).click();
    expect(await page.locator('.node.managed').count() > 0 && await page.locator('.node.self-managed').count() > 0 && await page.locator('.node.fargate').count() > 0,
      'all three data planes are on screen');
    await screenshot(page, `screens/cluster-${w}x${h}`);
    await page.getByRole('tab', { name: 'Workloads' }).click();
    await screenshot(page, `screens/workloads-${w}x${h}`);
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.fill('[data-testid=console-input]', 'kubectl get pods -A -o wide');
    await page.press('[data-testid=console-input]', 'Enter');
    await waitFor(page, 'the pod table', () => document.querySelector('.console-out pre.out')?.textContent.includes('NAMESPACE'));
    await screenshot(page, `screens/console-${w}x${h}`);
    await page.locator('.node.fargate button.node-name').first().click();
    await waitFor(page, 'the inspector', () => document.querySelector('[data-testid=inspector] pre.describe'));
    expect((await page.textContent('[data-testid=inspector] pre.describe')).includes('eks.amazonaws.com/compute-type=fargate'), 'a Fargate node described');
    await screenshot(page, `screens/inspect-${w}x${h}`);
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await screenshot(page, `screens/scenarios-${w}x${h}`);
    // The Cluster Autoscaler lesson mid-burst: pending pods, their reasons, the CA's table.
    await page.getByRole('button', { name: 'cluster-autoscaler' }).click();
    await waitFor(page, 'the cluster-autoscaler example', () => document.querySelector('[data-testid=notice]')?.textContent.includes('Opened examples/cluster-autoscaler.yaml'));
    await page.getByRole('button', { name: 'Play' }).click();
    await waitFor(page, 'the burst', () => document.querySelector('[data-testid=sim-clock]').textContent >= '00:25:10', undefined, 30000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('tab', { name: 'Scaling' }).click();
    await page.getByTestId('scaling-charts').click();
    await page.locator('.scaling section.pending').scrollIntoViewIfNeeded();
    expect((await page.textContent('[data-ca-group=ng-1]')).includes('managed'), 'the CA table lists ng-1');
    await screenshot(page, `screens/scaling-${w}x${h}`);
    // The upgrade lesson mid node group update: surge nodes NEW, old ones cordoned, phases.
    await page.getByRole('tab', { name: 'Scenarios' }).click();
    await page.getByRole('button', { name: 'upgrade', exact: true }).click();
    await waitFor(page, 'the upgrade example', () => document.querySelector('[data-testid=notice]')?.textContent.includes('Opened examples/upgrade.yaml'));
    await page.selectOption('.speed select', { label: '300x' });
    await page.getByRole('button', { name: 'Play' }).click();
    await waitFor(page, 'the node group update', () => document.querySelector('[data-testid=sim-clock]').textContent >= '00:44:30', undefined, 60000);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('tab', { name: 'Upgrades' }).click();
    expect((await page.textContent('[data-testid=upgrade-control-plane]')).includes('1.34'), 'the upgraded control plane is shown');
    await screenshot(page, `screens/upgrades-${w}x${h}`);
    expect(problems.length === 0, problems.join('\n'));
    await context.close();
  }
}

export const views1280x800 = (ctx) => views(ctx, 1280, 800);
export const views1920x1080 = (ctx) => views(ctx, 1920, 1080);
