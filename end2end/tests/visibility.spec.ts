import { expect, expectAccessible, signIn, test, users } from './support';

const ORG_ONLY = {
  path: '/guides/emergency-access-security-questions-policy',
  title: 'Emergency access and security questions policy',
};
const NETWORK = {
  path: '/guides/separating-it-and-ot-networks',
  title: 'Separating IT and OT networks for medical devices and building systems',
};

test.describe('who can read a guide', () => {
  test('an organisation-only guide is not found for anonymous visitors', async ({ page }) => {
    const response = await page.goto(ORG_ONLY.path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByText(ORG_ONLY.title)).toHaveCount(0);
    await expectAccessible(page, 'organisation-only guide for anonymous visitors (404)');

    await page.goto('/guides?org=nhs-fife');
    await expect(page.getByLabel('Organisation', { exact: true })).toHaveValue('nhs-fife');
    await expect(page.getByRole('link', { name: ORG_ONLY.title })).toHaveCount(0);
    await expectAccessible(page, 'guides filtered by organisation (signed out)');
  });

  test('an organisation-only guide is not found for a member of another organisation', async ({ page }) => {
    await signIn(page, users.otherOrgReader);
    const response = await page.goto(ORG_ONLY.path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByText(ORG_ONLY.title)).toHaveCount(0);
    await expectAccessible(page, 'organisation-only guide for another organisation (404)');
  });

  test('an organisation-only guide is readable by its own organisation', async ({ page }) => {
    await signIn(page, users.reader);
    const response = await page.goto(ORG_ONLY.path);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ORG_ONLY.title);
    const about = page.getByRole('complementary', { name: 'About this guide' });
    await expect(about.getByRole('link', { name: 'NHS Fife' })).toBeVisible();
    await expect(about).toContainText('Own organisation only');
    await expectAccessible(page, 'organisation-only guide for its organisation');

    await page.goto('/guides?org=nhs-fife');
    await expect(page.getByRole('link', { name: ORG_ONLY.title })).toBeVisible();
    await expectAccessible(page, 'guides filtered by organisation (signed in)');
  });

  test('a network guide needs any signed-in user', async ({ page }) => {
    const anonymous = await page.goto(NETWORK.path);
    expect(anonymous?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();

    await signIn(page, users.otherOrgReader);
    const signedIn = await page.goto(NETWORK.path);
    expect(signedIn?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(NETWORK.title);
    await expect(page.getByRole('complementary', { name: 'About this guide' })).toContainText('All member organisations');
    await expectAccessible(page, 'network guide signed in');
  });
});
