import { expect, expectAccessible, signIn, test, users } from './support';

test.describe('organisations', () => {
  test('the organisations list links to an organisation page', async ({ page }) => {
    await page.goto('/orgs');
    await expect(page).toHaveTitle('Organisations – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
    for (const nation of ['England', 'Scotland', 'Wales', 'Northern Ireland']) {
      await expect(page.getByRole('table', { name: nation, exact: true })).toBeVisible();
    }
    const scotland = page.getByRole('table', { name: 'Scotland', exact: true });
    const fife = scotland.getByRole('row').filter({ has: page.getByRole('link', { name: 'NHS Fife', exact: true }) });
    await expect(fife.getByRole('cell')).toHaveText(['NHS Fife', 'S08000029', 'Health board', /^\d+$/]);
    await expectAccessible(page, 'organisations list');

    await fife.getByRole('link', { name: 'NHS Fife', exact: true }).click();
    await expect(page).toHaveURL(/\/orgs\/nhs-fife$/);
    await expect(page).toHaveTitle('NHS Fife – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'NHS Fife' })).toBeVisible();
    await expect(page.getByRole('term').filter({ hasText: 'Nation' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('Scotland');
    await expect(page.getByRole('heading', { level: 2, name: 'Guides' })).toBeVisible();
    await expect(page.getByRole('link', { name: /Rolling out single sign-on with smart cards/ })).toBeVisible();

    const breadcrumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(breadcrumbs.getByRole('listitem')).toHaveText(['Home', 'Organisations']);
    await expect(breadcrumbs.getByRole('link', { name: 'Back to Organisations', includeHidden: true })).toHaveAttribute('href', '/orgs');
  });

  test('people are shown only to signed-in users', async ({ page }) => {
    await page.goto('/orgs/nhs-fife');
    await expect(page.getByRole('heading', { level: 2, name: 'People' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'People' })).toHaveCount(0);
    await expect(page.getByText('Callum Sampleton')).toHaveCount(0);
    await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'organisation page (signed out)');

    await signIn(page, users.otherOrgReader);
    await page.goto('/orgs/nhs-fife');
    const people = page.getByRole('table', { name: 'People' });
    await expect(people).toBeVisible();
    await expect(people.getByRole('columnheader')).toHaveText(['Name', 'Job title', 'Role']);
    for (const name of ['Isla Placeholder', 'Callum Sampleton', 'Morag Testwell']) {
      await expect(people.getByRole('row').filter({ hasText: name })).toHaveCount(1);
    }
    await expect(people.getByRole('row').filter({ hasText: 'Callum Sampleton' }).getByRole('cell')).toHaveText([
      'Callum Sampleton',
      'Access Management Technical Lead',
      /editor/i,
    ]);
    await expect(page.getByRole('main').getByRole('link', { name: 'Sign in' })).toHaveCount(0);
    await expectAccessible(page, 'organisation page (signed in)');
  });

  test('an unknown organisation is not found', async ({ page }) => {
    const response = await page.goto('/orgs/no-such-organisation');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, 'unknown organisation (404)');
  });
});
