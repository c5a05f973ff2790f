import { APIRequestContext, Page } from '@playwright/test';

import { OwnerFixture, SCREENSHOTS, expect, test, uniqueEmail, useDarkTheme } from './support/session';

interface Lead {
  id: string;
  email: string | null;
  status: string;
}

const PEOPLE = [
  ['Ana', 'Lima', 'Acme', 'Head of Marketing', 'qualified', 82, ['vip', 'emea']],
  ['Ben', 'Okafor', 'Globex', 'CTO', 'contacted', 64, ['emea']],
  ['Chloé', 'Dubois', 'Initech', 'Buyer', 'new', 18, []],
  ['Dmitri', 'Ivanov', 'Umbrella', 'Founder', 'converted', 95, ['vip']],
  ['Elif', 'Yılmaz', 'Hooli', 'Sales lead', 'lost', 7, ['churned']],
  ['Femi', 'Adeyemi', 'Stark Industries', 'Procurement', 'new', 41, ['apac']],
  ['Grace', 'Hopper', 'Wayne Enterprises', 'Engineer', 'qualified', 77, ['vip', 'amer']],
  ['Hiro', 'Tanaka', 'Soylent', 'Operations', 'contacted', 55, []],
  ['Inès', 'Moreau', 'Vandelay', 'CEO', 'new', 33, ['emea']],
  ['Jonas', 'Berg', 'Cyberdyne', 'IT manager', 'contacted', 49, ['amer']],
  ['Kavya', 'Nair', 'Tyrell', 'Analyst', 'new', 12, []],
  ['Lucas', 'Silva', 'Gringotts', 'Partner', 'qualified', 68, ['latam']],
] as const;

const SOURCES = ['web', 'referral', 'campaign', 'import', 'api', 'whatsapp'] as const;

/**
 * A dozen realistic leads. The run has a fresh database; a later test (or the same one
 * after a worker restart) finds them there already: 409 on their emails.
 */
async function seedLeads(request: APIRequestContext, owner: OwnerFixture): Promise<void> {
  // The score is computed by the API (sending one is refused): the numbers above are left out.
  for (const [index, [firstName, lastName, company, title, status, , tags]] of PEOPLE.entries()) {
    const response = await request.post('/api/leads', {
      headers: { Authorization: `Bearer ${owner.token}` },
      data: {
        firstName,
        lastName,
        company,
        title,
        status,
        tags: [...tags],
        source: SOURCES[index % SOURCES.length],
        email: `${firstName
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}.${lastName
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}@${company.toLowerCase().replace(/[^a-z]/g, '')}.example`,
        ...(index % 3 === 0 ? { phone: `+44 20 7946 0${(100 + index).toString().slice(-3)}` } : {}),
        consentEmail: index % 2 === 0,
      },
    });
    expect([201, 409], await response.text()).toContain(response.status());
  }
}

function row(page: Page, email: string) {
  return page.locator(`tr[data-lead-email="${email}"]`);
}

test.describe('leads', () => {
  test('create a lead, find it with search, add a note and move it along the pipeline', async ({ page, owner }) => {
    await seedLeads(page.request, owner);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leads' }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Leads' })).toBeVisible();
    await expect(page.getByTestId('leads-table')).toBeVisible();

    // Create, in the dialog. The company has a word of its own, for the search to find only this lead.
    const email = uniqueEmail('maria.costa');
    const word = `piper${Date.now().toString(36)}`;
    await page.getByTestId('new-lead').click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByTestId('lead-first-name').fill('Maria');
    await dialog.getByTestId('lead-last-name').fill('Costa');
    await dialog.getByTestId('lead-email').fill(email);
    await dialog.getByTestId('lead-company').fill(`Pied ${word}`);
    await dialog.getByTestId('lead-tag-input').fill('webinar');
    await dialog.getByTestId('lead-tag-input').press('Enter');
    await expect(dialog.locator('mat-chip-row', { hasText: 'webinar' })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-create-dialog.png`, animations: 'disabled' });
    await dialog.getByTestId('create-lead-submit').click();
    await expect(dialog).toBeHidden();

    // The new lead opens in the drawer, at its own address.
    const drawer = page.getByTestId('lead-drawer');
    await expect(drawer.getByTestId('lead-drawer-name')).toHaveText('Maria Costa');
    await expect(page).toHaveURL(/\/leads\/[0-9a-f-]{36}$/);
    await page.keyboard.press('Escape');
    await expect(page).toHaveURL(/\/leads$/);

    // Find it with search.
    await page.getByTestId('lead-search').fill(`pied ${word.slice(0, -2)}`);
    await expect(page.locator('tr[data-lead-id]')).toHaveCount(1);
    await expect(row(page, email)).toContainText('Maria Costa');
    await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
    await expect(page.getByTestId('filter-chips')).toContainText(`Search: “pied ${word.slice(0, -2)}”`);

    // Open the drawer, add a note.
    await row(page, email).getByTestId('lead-link').click();
    await expect(drawer.getByTestId('lead-drawer-name')).toHaveText('Maria Costa');
    await drawer.getByTestId('lead-note-input').fill('Called: wants a demo next Tuesday.');
    await drawer.getByTestId('lead-note-submit').click();
    const timeline = drawer.getByTestId('lead-timeline');
    await expect(timeline.locator('li').first()).toContainText('Called: wants a demo next Tuesday.');
    await expect(drawer.getByTestId('lead-note-input')).toHaveValue('');

    // Change status in one click on the pipeline.
    await drawer.locator('[data-step="contacted"]').click();
    await expect(drawer.locator('[data-step="contacted"]')).toHaveAttribute('aria-current', 'step');
    await expect(timeline.locator('li').first()).toContainText('Status changed from New to Contacted');
    await expect(row(page, email).locator('app-lead-status-chip')).toHaveText('Contacted');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer.png`, animations: 'disabled' });

    // The address is a deep link: a reload opens the same lead, with the note kept.
    await page.reload();
    await expect(drawer.getByTestId('lead-drawer-name')).toHaveText('Maria Costa');
    await expect(drawer.getByTestId('lead-timeline')).toContainText('Called: wants a demo next Tuesday.');
  });

  test('says which lead already has an email', async ({ page, owner }) => {
    const email = uniqueEmail('taken');
    const existing = await owner.api.post<Lead>('/api/leads', { firstName: 'Taken', lastName: 'Already', email });
    await page.goto('/leads');
    await page.getByTestId('new-lead').click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByTestId('lead-first-name').fill('Second');
    await dialog.getByTestId('lead-email').fill(email.toUpperCase());
    await dialog.getByTestId('create-lead-submit').click();

    await expect(dialog.getByTestId('lead-email')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toContainText('Email is already used by another lead');
    await dialog.getByTestId('lead-duplicate-link').click();
    await expect(dialog).toBeHidden();
    await expect(page).toHaveURL(new RegExp(`/leads/${existing.id}$`));
    await expect(page.getByTestId('lead-drawer-name')).toHaveText('Taken Already');
  });

  test('filters, sorts, saves a view, and deletes and restores the selection', async ({ page, owner }) => {
    await seedLeads(page.request, owner);
    await page.goto('/leads');
    await expect(page.getByTestId('leads-table')).toBeVisible();

    // Filter by status and tag from the panel; the chips say what is on.
    await page.getByTestId('toggle-filters').click();
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'Qualified' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('filter-tag').fill('vip');
    await page.getByTestId('filter-tag').press('Enter');
    await expect(page.getByTestId('filter-chips')).toContainText('Status: Qualified');
    await expect(page.getByTestId('filter-chips')).toContainText('Tag: vip');
    await expect(page.getByTestId('lead-count')).toHaveText('2 leads');

    // Highest score first.
    await page.getByRole('button', { name: 'Score' }).click();
    await expect(page.getByRole('columnheader', { name: 'Score' })).toHaveAttribute('aria-sort', 'descending');
    const names = await page.locator('tr[data-lead-id] .person-name').allTextContents();
    expect(names.map((name) => name.trim()).sort()).toEqual(['Ana Lima', 'Grace Hopper']);
    const scores = await page
      .locator('tr[data-lead-id] app-lead-score')
      .evaluateAll((nodes) =>
        nodes.map((node) => Number(/Score (\d+)/.exec(node.getAttribute('aria-label') ?? '')?.[1])),
      );
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    // Saved as a view, which comes back after clearing the filters.
    await page.getByTestId('save-view').click();
    const saveDialog = page.getByRole('dialog', { name: 'Save this view' });
    const viewName = `Qualified VIPs ${Date.now().toString(36)}`;
    await saveDialog.getByTestId('view-name').fill(viewName);
    await saveDialog.getByTestId('save-view-submit').click();
    await expect(saveDialog).toBeHidden();
    await page.getByTestId('clear-filters').click();
    await expect(page.locator('tr[data-lead-id]')).not.toHaveCount(2);
    await page.getByTestId('lead-views').getByRole('button', { name: viewName, exact: true }).click();
    await expect(page.getByTestId('lead-count')).toHaveText('2 leads');

    // Delete both, find them in the recycle bin, restore them.
    await page.getByTestId('select-all').click();
    await expect(page.getByTestId('selection-count')).toHaveText('2 leads selected');
    await page.getByTestId('selection-delete').click();
    await page.getByTestId('confirm').click();
    await expect(page.getByTestId('leads-empty')).toContainText('No lead matches');

    // The view's filters stay on in the recycle bin: other tests may leave deleted leads there too.
    await page.getByTestId('show-deleted').click();
    await expect(page.getByTestId('lead-count')).toHaveText('2 deleted leads');
    await page.getByTestId('select-all').click();
    await page.getByTestId('selection-restore').click();
    await expect(page.getByTestId('leads-empty')).toBeVisible();
    await page.getByTestId('show-live').click();
    await expect(page.getByTestId('lead-count')).toHaveText('2 leads');
    await expect(page.locator('tr[data-lead-id] .person-name', { hasText: 'Grace Hopper' })).toBeVisible();
  });

  test('looks right in light and dark, wide and narrow', async ({ page, owner }) => {
    await seedLeads(page.request, owner);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/leads');
    await expect(page.locator('tr[data-lead-id]').first()).toBeVisible();
    await page.getByTestId('toggle-filters').click();
    await page.getByTestId('lead-search').fill('a');
    await expect(page.getByTestId('filter-chips')).toBeVisible();
    await page.locator('tr[data-lead-id] mat-checkbox').nth(1).click();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-light.png`, animations: 'disabled', fullPage: true });

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-dark.png`, animations: 'disabled', fullPage: true });
    await page.locator('tr[data-lead-id]').first().getByTestId('lead-link').click();
    await expect(page.getByTestId('lead-drawer-name')).toBeVisible();
    await expect(page.getByTestId('lead-timeline')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-dark.png`, animations: 'disabled' });
    await page.getByRole('tab', { name: 'Details' }).click();
    await expect(page.getByTestId('lead-edit-form')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-details-dark.png`, animations: 'disabled' });
    await page.getByRole('tab', { name: 'Activity' }).click();

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-mobile.png`, animations: 'disabled' });
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('lead-drawer')).toBeHidden();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-mobile.png`, animations: 'disabled', fullPage: true });
    // Nothing but the table scrolls sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});

/** The day of `at` in `timeZone`, YYYY-MM-DD. */
const dayIn = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
/** How the date inputs (native adapter, en-US) take a day. */
const typedDay = (day: string) => `${Number(day.slice(5, 7))}/${Number(day.slice(8, 10))}/${day.slice(0, 4)}`;

test.describe('leads created-date filter', () => {
  // A browser far from both zones below: what it thinks a day is must not matter.
  test.use({ timezoneId: 'America/Los_Angeles', locale: 'en-US' });

  test("filters by whole days of the organization's time zone, whatever the browser's", async ({ page, owner }) => {
    const headers = { Authorization: `Bearer ${owner.token}` };
    const setZone = async (timeZone: string) => {
      const res = await page.request.patch('/api/organization', { headers, data: { timeZone } });
      expect(res.status(), await res.text()).toBe(200);
    };
    const before = (await (await page.request.get('/api/organization', { headers })).json()) as { timeZone: string };
    const word = `zoned${Date.now().toString(36)}`;
    const lead = await owner.api.post<{ id: string; createdAt: string }>('/api/leads', {
      firstName: 'Zoe',
      lastName: 'Zoned',
      company: `Zone ${word}`,
      email: uniqueEmail('zoe.zoned'),
    });
    const created = new Date(lead.createdAt);
    // Kiritimati (UTC+14) and Pago Pago (UTC−11) are 25 hours apart: never the same day.
    const kiritimatiDay = dayIn(created, 'Pacific/Kiritimati');
    const pagoPagoDay = dayIn(created, 'Pacific/Pago_Pago');
    expect(kiritimatiDay).not.toBe(pagoPagoDay);

    try {
      await setZone('Pacific/Kiritimati');
      // A link with the lead's day in the organization's zone finds it.
      await page.goto(`/leads?createdFrom=${kiritimatiDay}&createdTo=${kiritimatiDay}`);
      await page.getByTestId('lead-search').fill(word);
      await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
      await expect(page.locator('tr[data-lead-id]')).toHaveCount(1);
      await expect(page.getByTestId('filter-chips')).toContainText('Created');

      // The panel names the zone; the day as Pago Pago sees it is another day here: no lead.
      await page.getByTestId('toggle-filters').click();
      await expect(page.getByTestId('filter-created-zone')).toHaveText('Days in Pacific/Kiritimati');
      await expect(page.getByTestId('filter-created-from')).toHaveValue(typedDay(kiritimatiDay));
      await page.getByTestId('filter-created-from').fill(typedDay(pagoPagoDay));
      await page.getByTestId('filter-created-to').fill(typedDay(pagoPagoDay));
      await page.getByTestId('filter-created-to').blur();
      await expect(page.getByTestId('leads-empty')).toContainText('No lead matches');
      await page.screenshot({ path: `${SCREENSHOTS}/leads-created-filter-zone.png`, animations: 'disabled' });

      // The organization moves to Pago Pago: the same days now hold the lead.
      await setZone('Pacific/Pago_Pago');
      await page.goto(`/leads?createdFrom=${pagoPagoDay}&createdTo=${pagoPagoDay}`);
      await page.getByTestId('lead-search').fill(word);
      await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
      await page.getByTestId('toggle-filters').click();
      await expect(page.getByTestId('filter-created-zone')).toHaveText('Days in Pacific/Pago_Pago');

      // The lead's exact times read in the organization's zone too.
      const expectedDay = new Intl.DateTimeFormat('en-US', {
        timeZone: 'Pacific/Pago_Pago',
        dateStyle: 'medium',
      }).format(created);
      await page.locator('tr[data-lead-id]').first().getByTestId('lead-link').click();
      const drawer = page.getByTestId('lead-drawer');
      await expect(drawer.locator(`time[datetime="${lead.createdAt}"]`).first()).toHaveAttribute(
        'title',
        new RegExp(`^${expectedDay}, .*\\(Pacific/Pago_Pago\\)$`),
      );
      await drawer.getByRole('tab', { name: 'Details' }).click();
      await expect(drawer.locator('.stamps')).toContainText(`Created ${expectedDay}`);
      await expect(drawer.locator('.stamps')).toContainText('(Pacific/Pago_Pago)');
      await page.screenshot({ path: `${SCREENSHOTS}/leads-drawer-zone.png`, animations: 'disabled' });
    } finally {
      await setZone(before.timeZone);
    }
  });
});
