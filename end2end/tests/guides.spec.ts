import { expect, expectAccessible, test } from './support';
import type { Page } from '@playwright/test';

const PER_PAGE = 10;

function results(page: Page) {
  return page.getByRole('list', { name: /guides?$|No guides found/ });
}

function resultTitles(page: Page) {
  return results(page).getByRole('heading', { level: 3 });
}

/** The total from the results heading ("12 guides", "1 guide"). */
async function totalGuides(page: Page): Promise<number> {
  const heading = page.getByRole('heading', { level: 2, name: /^\d+ guides?$/ });
  await expect(heading).toBeVisible();
  return Number.parseInt((await heading.innerText()).trim(), 10);
}

test.describe('browsing guides', () => {
  test('the home page search finds a guide', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveTitle('Share what works – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Trustshare' })).toBeVisible();

    const search = page.getByRole('main').getByRole('search');
    await search.getByLabel('Search guides, plans and lessons').fill('fast user switching');
    await search.getByRole('button', { name: 'Search' }).click();

    await expect(page).toHaveURL(/\/search\?q=fast\+user\+switching$/);
    await expect(page.getByLabel('Search guides, deployment plans and lessons learned')).toHaveValue(
      'fast user switching',
    );
    await expect(
      page
        .getByRole('list', { name: /results?$/ })
        .getByRole('link', { name: 'Fast user switching on shared A&E workstations' }),
    ).toBeVisible();
    await expectAccessible(page, 'search from the home page');
  });

  test('the list shows published guides and filters by tag through the form', async ({ page }) => {
    await page.goto('/guides');
    await expect(page).toHaveTitle('Guides – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Best-practice guides' })).toBeVisible();
    const total = await totalGuides(page);
    expect(total).toBeGreaterThan(PER_PAGE);
    await expect(resultTitles(page)).toHaveCount(PER_PAGE);
    // Guides visible only to signed-in users are not listed for anonymous visitors.
    await expect(page.getByRole('link', { name: /Emergency access and security questions policy/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Clear filters' })).toHaveCount(0);
    await expectAccessible(page, 'guides list');

    const tag = page.getByLabel('Tag', { exact: true });
    await expect(tag).toHaveValue('');
    await tag.selectOption('smart-cards');
    await page.getByRole('button', { name: 'Apply filters' }).click();

    await expect(page).toHaveURL(/\/guides\?q=&tag=smart-cards&org=$/);
    await expect(page.getByLabel('Tag', { exact: true })).toHaveValue('smart-cards');
    await expect(page.getByRole('heading', { level: 2, name: '2 guides' })).toBeVisible();
    expect((await resultTitles(page).allInnerTexts()).sort()).toEqual([
      'Integrating single sign-on with NHS smartcards and Spine applications',
      'Rolling out single sign-on with smart cards: the pilot board blueprint',
    ]);
    // Every result carries the tag it was filtered by.
    for (const item of await results(page).getByRole('listitem').filter({ has: page.getByRole('heading') }).all()) {
      await expect(item.getByRole('list', { name: 'Tags' }).getByRole('link', { name: 'smart-cards', exact: true })).toBeVisible();
    }
    await expect(page.getByRole('navigation', { name: 'Pagination' })).toHaveCount(0);
    await expectAccessible(page, 'guides filtered by tag');

    await page.getByRole('link', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/guides$/);
    expect(await totalGuides(page)).toBe(total);
  });

  test('a tag on a guide leads to the list filtered by it', async ({ page }) => {
    await page.goto('/guides/fast-user-switching-shared-ae-workstations');
    await page
      .getByRole('complementary', { name: 'About this guide' })
      .getByRole('link', { name: 'shared-workstations', exact: true })
      .click();
    await expect(page).toHaveURL(/\/guides\?tag=shared-workstations$/);
    await expect(page.getByLabel('Tag', { exact: true })).toHaveValue('shared-workstations');
    await expect(results(page).getByRole('link', { name: 'Fast user switching on shared A&E workstations' })).toBeVisible();
    await expectAccessible(page, 'guides filtered by a tag link');
  });

  test('a guide has a contents list linking to its headings and breadcrumbs back to the list', async ({ page }) => {
    await page.goto('/guides?tag=fast-user-switching');
    await expectAccessible(page);
    await results(page).getByRole('link', { name: 'Fast user switching on shared A&E workstations' }).click();

    await expect(page).toHaveURL(/\/guides\/fast-user-switching-shared-ae-workstations$/);
    await expect(page).toHaveTitle('Fast user switching on shared A&E workstations – Trustshare');
    const article = page.getByRole('article');
    await expect(article.getByRole('heading', { level: 1 })).toHaveText('Fast user switching on shared A&E workstations');
    const about = page.getByRole('complementary', { name: 'About this guide' });
    await expect(about.getByRole('link', { name: 'The Newcastle upon Tyne Hospitals NHS Foundation Trust' })).toBeVisible();
    await expect(about).toContainText('Public');
    await expectAccessible(page, 'a guide');

    // Each entry of the contents list points at a heading of the guide with the same text.
    const contents = page.getByRole('navigation', { name: 'Contents' });
    const links = contents.getByRole('link');
    expect(await links.count()).toBeGreaterThan(1);
    for (const link of await links.all()) {
      const href = await link.getAttribute('href');
      expect(href).toMatch(/^#[\w-]+$/);
      const target = page.locator(href!);
      await expect(target).toHaveCount(1);
      await expect(target).toHaveRole('heading');
      await expect(target).toContainText((await link.innerText()).trim());
    }

    const link = contents.getByRole('link', { name: 'Clinical safety' });
    await link.click();
    await expect(page).toHaveURL(/#sec-clinical-safety$/);
    await expect(article.getByRole('heading', { level: 2, name: /^Clinical safety/ })).toBeInViewport();

    // The breadcrumbs lead back up: Guides, then Home.
    const breadcrumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await expect(breadcrumbs.getByRole('listitem')).toHaveText(['Home', 'Guides']);
    await expect(breadcrumbs.getByRole('link', { name: 'Back to Guides', includeHidden: true })).toHaveAttribute('href', '/guides');
    await breadcrumbs.getByRole('list').getByRole('link', { name: 'Guides', exact: true }).click();
    await expect(page).toHaveURL(/\/guides$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Best-practice guides' })).toBeVisible();

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('list').getByRole('link', { name: 'Home' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Trustshare' })).toBeVisible();
  });

  test('pagination goes to page 2', async ({ page }) => {
    await page.goto('/guides');
    const total = await totalGuides(page);
    const firstPage = await resultTitles(page).allInnerTexts();
    expect(firstPage).toHaveLength(PER_PAGE);

    const pagination = page.getByRole('navigation', { name: 'Pagination' });
    await expect(pagination.getByRole('link', { name: 'Page 1', exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(pagination.getByRole('link', { name: 'Previous page' })).toHaveCount(0);
    await pagination.getByRole('link', { name: 'Page 2', exact: true }).click();

    await expect(page).toHaveURL(/\/guides\?page=2$/);
    const secondPagination = page.getByRole('navigation', { name: 'Pagination' });
    await expect(secondPagination.getByRole('link', { name: 'Page 2', exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(secondPagination.getByRole('link', { name: 'Page 1', exact: true })).not.toHaveAttribute('aria-current', /.*/);
    const secondPage = await resultTitles(page).allInnerTexts();
    expect(secondPage).toHaveLength(Math.min(total - PER_PAGE, PER_PAGE));
    expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
    await expectAccessible(page, 'guides page 2');

    await secondPagination.getByRole('link', { name: 'Previous page' }).click();
    await expect(page).toHaveURL(/\/guides$/);
    expect(await resultTitles(page).allInnerTexts()).toEqual(firstPage);

    await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/\/guides\?page=2$/);
  });
});
