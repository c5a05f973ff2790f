import * as fs from 'node:fs';

import { SCREENSHOTS, expect, test, useDarkTheme } from './support/session';

/** A word of its own per test, so search shows only that test's leads. */
function word(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}`;
}

test.describe('leads: CSV import wizard and export', () => {
  test('imports a small CSV through the wizard up to 100 %, with the error file', async ({ page, owner }) => {
    test.setTimeout(90_000);
    void owner;
    const name = word('Importee');
    const tag = word('fair');
    const csv = [
      'E-mail;Vorname;Nachname;Firma;Notes',
      `ada-${name}@e2e.test;Ada;${name};Importco;first`,
      `bo-${name}@e2e.test;Bo;${name};Importco;second`,
      `not-an-email;Cy;${name};Importco;bad row`,
    ].join('\r\n');

    await page.goto('/leads');
    await page.getByTestId('leads-import').first().click();
    await expect(page).toHaveURL(/\/leads\/import$/);
    await expect(page.getByRole('heading', { name: 'Import leads from CSV' })).toBeVisible();
    await expect(page.getByText('What file works')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-import-1-upload.png`, animations: 'disabled' });

    // 1. Upload: the preview detects the semicolon and proposes the mapping.
    await page
      .getByTestId('import-file-input')
      .setInputFiles({ name: `${name}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf-8') });
    await expect(page.getByTestId('import-preview-summary')).toContainText(`${name}.csv`);
    await expect(page.getByTestId('import-preview-summary')).toContainText('3 rows');
    await expect(page.getByTestId('import-delimiter')).toContainText('Semicolon');
    const rows = page.getByTestId('import-mapping-row');
    await expect(rows).toHaveCount(5);
    await expect(rows.filter({ hasText: 'E-mail' }).getByTestId('import-mapping-target')).toContainText('Email');
    await expect(rows.filter({ hasText: 'Vorname' }).getByTestId('import-mapping-target')).toContainText('First name');
    await expect(rows.filter({ hasText: 'Notes' }).getByTestId('import-mapping-target')).toContainText('Ignore');
    await expect(rows.filter({ hasText: 'E-mail' })).toContainText(`ada-${name}@e2e.test`);

    // 2. Map: tags for every lead; "Last name" also from Firma is refused on that row.
    await page.getByTestId('import-tags').fill(tag);
    await rows.filter({ hasText: 'Firma' }).getByTestId('import-mapping-target').click();
    await page.getByRole('option', { name: 'Last name' }).click();
    await page.getByTestId('import-check').click();
    await expect(rows.filter({ hasText: 'Firma' }).getByTestId('import-mapping-row-error')).toContainText(
      'same field as "Nachname"',
    );
    await rows.filter({ hasText: 'Firma' }).getByTestId('import-mapping-target').click();
    await page.getByRole('option', { name: 'Company' }).click();
    await expect(page.getByTestId('import-mapping-row-error')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-import-2-map.png`, fullPage: true, animations: 'disabled' });

    // 3. Dry run: two would be created, the bad row (row 4) would fail.
    await page.getByTestId('import-check').click();
    await expect(page.getByTestId('dry-run-created')).toContainText('2');
    await expect(page.getByTestId('dry-run-failed')).toContainText('1');
    await expect(page.getByTestId('dry-run-skipped')).toContainText('0');
    await expect(page.getByTestId('dry-run-failures')).toContainText('Row 4');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-import-3-dry-run.png`, animations: 'disabled' });

    // 4. Import: the task runs to 100 %, with its counts and the error file.
    await page.getByTestId('import-start').click();
    const bar = page.getByTestId('task-progress-bar');
    await expect(bar).toHaveAttribute('aria-valuenow', '100', { timeout: 30_000 });
    await expect(page.getByTestId('task-status')).toContainText('Done');
    await expect(page.getByTestId('task-count-created')).toContainText('2 created');
    await expect(page.getByTestId('task-count-failed')).toContainText('1 failed');
    await expect(page.getByTestId('import-summary')).toContainText('Import finished');
    const errorFile = page.getByTestId('task-file-lead-import-errors');
    await expect(errorFile).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/leads-import-4-done.png`, animations: 'disabled' });
    const download = page.waitForEvent('download');
    await errorFile.click();
    const errors = fs.readFileSync(await (await download).path(), 'utf-8');
    expect(errors).toContain('not-an-email');
    expect(errors.split(/\r?\n/)[0]).toContain('reason');

    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/leads-import-4-done-dark.png`, animations: 'disabled' });

    // "View imported leads": the list filtered by the tag added to every row.
    await page.getByTestId('import-view-leads').click();
    await expect(page).toHaveURL(new RegExp(`/leads\\?tag=${tag}$`));
    await expect(page.getByTestId('lead-count')).toHaveText('2 leads');

    // The Leads page search finds the imported leads (not the failed row).
    await page.goto('/leads');
    await page.getByTestId('lead-search').fill(name);
    await expect(page.getByTestId('lead-count')).toHaveText('2 leads');
    await expect(page.getByTestId('leads-table')).toContainText(`ada-${name.toLowerCase()}@e2e.test`);
    await expect(page.getByTestId('leads-table')).toContainText('Importco');
  });

  test('exports the list as a CSV download with a BOM and the header', async ({ page, owner }) => {
    const company = word('Exportco');
    const response = await page.request.post('/api/leads', {
      headers: { Authorization: `Bearer ${owner.token}` },
      data: { firstName: 'Eve', company, email: `eve-${company}@e2e.test` },
    });
    expect(response.status()).toBe(201);

    await page.goto('/leads');
    await page.getByTestId('lead-search').fill(company);
    await expect(page.getByTestId('lead-count')).toHaveText('1 lead');
    await page.getByTestId('leads-export').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('leads-export-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    const content = fs.readFileSync(await file.path(), 'utf-8');
    expect(content.startsWith('\uFEFF"')).toBe(true);
    const [header, ...lines] = content.slice(1).split(/\r?\n/).filter(Boolean);
    expect(header).toContain('"email"');
    // The search applies: only the one lead.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(company);
  });

  test('exports in the background and offers the file when the task is done', async ({ page, owner }) => {
    void owner;
    await page.goto('/leads');
    await page.getByTestId('leads-export').click();
    await page.getByTestId('leads-export-background').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('task-status')).toContainText('Done', { timeout: 30_000 });
    await expect(dialog.getByTestId('task-progress-bar')).toHaveAttribute('aria-valuenow', '100');
    const fileButton = dialog.locator('[data-testid^="task-file-"]');
    await expect(fileButton).toContainText('.csv');
    await page.screenshot({ path: `${SCREENSHOTS}/leads-export-background.png`, animations: 'disabled' });
    const download = page.waitForEvent('download');
    await fileButton.click();
    const content = fs.readFileSync(await (await download).path(), 'utf-8');
    expect(content.startsWith('\uFEFF')).toBe(true);
  });
});
