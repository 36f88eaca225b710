import { expect, expectAccessible, test } from './support';

test.describe('pages that do not exist', () => {
  test('an unknown guide answers 404 with a page that helps find the way', async ({ page }) => {
    const response = await page.goto('/guides/no-such-guide-anywhere');
    expect(response?.status()).toBe(404);
    await expect(page).toHaveTitle('Page not found – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, 'unknown guide (404)');

    await page.getByRole('main').getByRole('link', { name: 'Browse all guides' }).click();
    await expect(page).toHaveURL(/\/guides$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Best-practice guides' })).toBeVisible();
  });

  test('an unknown address answers 404', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    await expectAccessible(page, 'unknown address (404)');
  });
});
