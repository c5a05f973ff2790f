import { APIRequestContext, Page } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, uniqueEmail, useDarkTheme } from './support/session';

interface Lead {
  id: string;
  email: string | null;
  tags: string[];
}

/** A word of its own per test, so search shows only that test's leads. */
function word(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}`;
}

async function createLead(
  request: APIRequestContext,
  owner: OwnerFixture,
  data: Record<string, unknown>,
): Promise<Lead> {
  const response = await request.post('/api/leads', { headers: { Authorization: `Bearer ${owner.token}` }, data });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as Lead;
}

async function searchFor(page: Page, text: string, expected: number): Promise<void> {
  await page.goto('/leads');
  await expect(page.getByTestId('leads-table')).toBeVisible();
  await page.getByTestId('lead-search').fill(text);
  await expect(page.getByTestId('filter-chips')).toContainText(`Search: “${text}”`);
  await expect(page.getByTestId('lead-count')).toHaveText(`${expected} lead${expected === 1 ? '' : 's'}`);
}

test.describe('leads: bulk changes, merge, custom fields', () => {
  test('changes the status of the selected leads in one request', async ({ page, owner }) => {
    const company = word('Bulkco');
    const leads = [];
    for (const name of ['Ava', 'Bo', 'Cy']) {
      leads.push(await createLead(page.request, owner, { firstName: name, company, email: uniqueEmail(name) }));
    }
    await searchFor(page, company, 3);

    await page.locator(`tr[data-lead-id="${leads[0].id}"] mat-checkbox`).click();
    await page.locator(`tr[data-lead-id="${leads[1].id}"] mat-checkbox`).click();
    await expect(page.getByTestId('selection-count')).toHaveText('2 leads selected');
    await page.getByTestId('selection-status').click();
    const bulk = page.waitForResponse((r) => r.url().endsWith('/api/leads/bulk') && r.request().method() === 'POST');
    await page.getByRole('menuitem', { name: 'Qualified' }).click();
    const response = await bulk;
    expect(response.status()).toBe(200);
    const body = response.request().postDataJSON() as { ids: string[] };
    expect({ ...body, ids: [...body.ids].sort() }).toEqual({
      action: 'set_status',
      ids: [leads[0].id, leads[1].id].sort(),
      status: 'qualified',
    });
    await expect(page.getByText('2 leads moved to Qualified')).toBeVisible();
    await expect(page.locator(`tr[data-lead-id="${leads[0].id}"] app-lead-status-chip`)).toHaveText('Qualified');
    await expect(page.locator(`tr[data-lead-id="${leads[1].id}"] app-lead-status-chip`)).toHaveText('Qualified');
    await expect(page.locator(`tr[data-lead-id="${leads[2].id}"] app-lead-status-chip`)).toHaveText('New');
  });

  test('selects every matching lead and adds a tag in a background task', async ({ page, owner }) => {
    test.setTimeout(90_000);
    const tag = word('wave');
    const added = word('done');
    // More than one page (50) of leads with the tag.
    for (let i = 0; i < 53; i++) {
      await createLead(page.request, owner, { firstName: `Lead${i}`, lastName: tag, tags: [tag] });
    }
    await searchFor(page, tag, 53);
    await expect(page.locator('tr[data-lead-id]')).toHaveCount(50);

    await page.getByTestId('select-all').click();
    await expect(page.getByTestId('select-all-banner')).toContainText('All 50 leads shown are selected.');
    await page.getByTestId('select-all-matching').click();
    await expect(page.getByTestId('selection-count')).toHaveText('All 53 leads matching selected');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-select-all-matching.png`, animations: 'disabled' });

    await page.getByTestId('selection-tags').click();
    await page.getByTestId('selection-add-tags').click();
    const dialog = page.getByRole('dialog', { name: 'Add tags' });
    await expect(dialog).toContainText('To all 53 leads matching.');
    await dialog.getByTestId('bulk-tag-input').fill(added);
    await dialog.getByTestId('bulk-tag-input').press('Enter');
    const bulk = page.waitForResponse((r) => r.url().endsWith('/api/leads/bulk') && r.request().method() === 'POST');
    await dialog.getByTestId('bulk-tags-submit').click();
    const response = await bulk;
    expect(response.status()).toBe(202);
    expect(response.request().postDataJSON()).toEqual({ action: 'add_tags', filter: { q: tag }, tags: [added] });

    const panel = page.getByTestId('bulk-task');
    await expect(panel).toBeVisible();
    await expect(panel.getByTestId('task-status')).toHaveText('Done', { timeout: 30_000 });
    await expect(panel.getByTestId('task-percent')).toContainText('100 %');
    await expect(panel.getByTestId('task-count-changed')).toContainText('53 changed');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-bulk-task.png`, animations: 'disabled' });

    // The list was loaded again: the tag shows in the Tags column.
    await page.getByTestId('column-chooser').click();
    await page.locator('[data-column="tags"]').click();
    await page.keyboard.press('Escape');
    await expect(page.locator('tr[data-lead-id]').first().locator('.tags-cell')).toContainText(added);
    const count = await page.request.get(`/api/leads/count?tag=${added}`, {
      headers: { Authorization: `Bearer ${owner.token}` },
    });
    expect(((await count.json()) as { count: number }).count).toBe(53);

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-bulk-task-dark.png`, animations: 'disabled' });
    await panel.getByTestId('bulk-task-close').click();
    await expect(panel).toBeHidden();
  });

  test('merges two leads in the dialog: the survivor keeps the tags of both', async ({ page, owner }) => {
    const last = word('Quill');
    const first = await createLead(page.request, owner, {
      firstName: 'Mara',
      lastName: last,
      company: 'Northwind',
      email: uniqueEmail('mara'),
      tags: ['webinar'],
    });
    const second = await createLead(page.request, owner, {
      firstName: 'Mara',
      lastName: last,
      company: 'Northwind',
      phone: '+44 20 7946 0123',
      tags: ['trade-show'],
    });
    await searchFor(page, last, 2);

    // The drawer knows they may be one person.
    await page.locator(`tr[data-lead-id="${first.id}"]`).getByTestId('lead-link').click();
    const drawer = page.getByTestId('lead-drawer');
    const duplicates = drawer.getByTestId('lead-duplicates');
    await expect(duplicates).toContainText('Same name and company');
    await expect(duplicates.locator(`[data-duplicate-id="${second.id}"]`)).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-duplicates.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/\/leads$/);

    // Select both, merge from the toolbar.
    await page.locator(`tr[data-lead-id="${first.id}"] mat-checkbox`).click();
    await page.locator(`tr[data-lead-id="${second.id}"] mat-checkbox`).click();
    await page.getByTestId('selection-merge').click();
    const dialog = page.getByRole('dialog', { name: 'Merge two leads' });
    const table = dialog.getByTestId('merge-fields');
    const tags = table.locator('tr[data-field="tags"]');
    // The list shows the newest first: the second lead is proposed to stay. Swap: the first one stays.
    await expect(dialog.getByTestId('merge-survivor')).not.toContainText(first.email ?? '');
    await dialog.getByTestId('merge-swap').click();
    await expect(dialog.getByTestId('merge-survivor')).toContainText(first.email ?? '');
    await expect(tags.locator('.result')).toHaveText(/^\s*webinar, trade-show/);
    await expect(tags).toHaveClass(/changed/);
    await expect(table.locator('tr[data-field="phone"]')).toHaveClass(/changed/);
    await expect(dialog.getByTestId('merge-moves')).toContainText('timeline');
    // Keep only the survivor's tags, then both again: each choice asks for a new preview.
    await tags.locator('[data-choice="survivor"] input').check();
    await expect(tags.locator('.result')).toHaveText(/^\s*webinar\s*$/);
    await tags.locator('[data-choice="both"] input').check();
    await expect(tags.locator('.result')).toHaveText(/^\s*webinar, trade-show/);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-merge-dialog.png`, animations: 'disabled' });

    await dialog.getByTestId('merge-confirm').click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/leads/${first.id}$`));
    await expect(drawer.getByTestId('lead-drawer-name')).toHaveText(`Mara ${last}`);
    await expect(drawer.locator('.tags')).toContainText('webinar');
    await expect(drawer.locator('.tags')).toContainText('trade-show');
    await expect(drawer.getByTestId('lead-timeline').locator('li').first()).toContainText('Merged');
    await expect(page.getByTestId('lead-count')).toHaveText('1 lead');

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-merged-drawer-dark.png`, animations: 'disabled' });
  });

  test('defines a custom field in settings and fills it on a lead', async ({ page, owner }) => {
    const suffix = word('t');
    const label = `Plan ${suffix}`;
    const lead = await createLead(page.request, owner, {
      firstName: 'Custo',
      lastName: suffix,
      email: uniqueEmail('custo'),
    });

    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Lead fields' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Lead fields' })).toBeVisible();
    await page.getByTestId('create-lead-field').click();
    const dialog = page.getByRole('dialog', { name: 'New lead field' });
    await dialog.getByTestId('field-label').fill(label);
    await expect(dialog.getByTestId('field-key')).toHaveValue(`plan_${suffix}`);
    await dialog.getByTestId('field-type').click();
    await page.getByRole('option', { name: 'Choice list' }).click();
    await dialog.getByTestId('field-option-input').fill('Free');
    await dialog.getByTestId('field-option-input').press('Enter');
    await dialog.getByTestId('field-option-input').fill('Pro');
    await dialog.getByTestId('field-option-input').press('Enter');
    await page.screenshot({ path: `${SCREENSHOTS}/lead-field-dialog.png`, animations: 'disabled' });
    await dialog.getByTestId('field-save').click();
    await expect(dialog).toBeHidden();
    const item = page.locator(`li[data-field-key="plan_${suffix}"]`);
    await expect(item).toContainText(label);
    await expect(item).toContainText('Choice list');
    await page.screenshot({ path: `${SCREENSHOTS}/lead-fields-page.png`, animations: 'disabled' });

    // Fill it on the lead, in the drawer's Details tab.
    await page.goto(`/leads/${lead.id}`);
    const drawer = page.getByTestId('lead-drawer');
    await expect(drawer.getByTestId('lead-drawer-name')).toHaveText(`Custo ${suffix}`);
    await drawer.getByRole('tab', { name: 'Details' }).click();
    await drawer.getByTestId(`custom-plan_${suffix}`).click();
    await page.getByRole('option', { name: 'Pro' }).click();
    await drawer.getByTestId('lead-save').click();
    await expect(page.getByText('Changes saved')).toBeVisible();
    await expect(drawer.locator(`[data-custom-field="plan_${suffix}"]`)).toContainText('Pro');
    const stored = await page.request.get(`/api/leads/${lead.id}`, {
      headers: { Authorization: `Bearer ${owner.token}` },
    });
    expect(((await stored.json()) as { customFields: Record<string, unknown> }).customFields).toEqual({
      [`plan_${suffix}`]: 'Pro',
    });
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-custom-field.png`, animations: 'disabled' });

    // Remove it again: the other tests' forms stay as they were.
    await page.goto('/settings/lead-fields');
    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/lead-fields-page-dark.png`, animations: 'disabled' });
    await item.getByTestId('delete-lead-field').click();
    await page.getByTestId('confirm').click();
    await expect(item).toBeHidden();
  });
});
