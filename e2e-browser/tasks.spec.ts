import { expect, SCREENSHOTS, test, uniqueEmail, useDarkTheme } from './support/session';

interface BulkAnswer {
  task: { id: string; title: string } | null;
}

test.describe('Background tasks page', () => {
  test('shows a bulk change as a task whose progress reaches 100 % with its counts', async ({ page, owner }) => {
    const tag = `tasks-${Date.now().toString(36)}`;
    for (const name of ['Ada', 'Grace', 'Linus']) {
      await owner.api.post('/api/leads', { firstName: name, email: uniqueEmail(name.toLowerCase()), tags: [tag] });
    }
    // A selection by filter always runs as a task.
    const answer = await owner.api.post<BulkAnswer>(
      '/api/leads/bulk',
      { action: 'set_status', status: 'contacted', filter: { tag: [tag] } },
      202,
    );
    expect(answer.task).not.toBeNull();

    await page.goto('/tasks');
    await expect(page.getByRole('heading', { level: 1, name: 'Background tasks' })).toBeVisible();
    const card = page.locator('[data-task-kind="lead.bulk"]').filter({ hasText: answer.task!.title }).first();
    await expect(card).toBeVisible();
    await expect(card.getByTestId('task-status')).toHaveText('Done');
    await expect(card.getByTestId('task-percent')).toContainText('100 %');
    await expect(card.getByTestId('task-count-changed')).toHaveText('3 changed');
    await expect(card.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

    await page.screenshot({ path: `${SCREENSHOTS}/tasks.png`, fullPage: true, animations: 'disabled' });
    await useDarkTheme(page);
    await page.screenshot({ path: `${SCREENSHOTS}/tasks-dark.png`, fullPage: true, animations: 'disabled' });
  });
});
