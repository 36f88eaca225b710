import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, JS_ONLY, NO_JS_ONLY, signIn, test, users } from './support';

/** The search field in the header, present on every page. */
function headerField(page: Page): Locator {
  return page.getByRole('banner').getByLabel('Search Trustshare');
}

/** The list of results on /search. */
function results(page: Page): Locator {
  return page.getByRole('list', { name: /results?$/ });
}

/** The titles of the results shown, in order. */
async function resultTitles(page: Page): Promise<string[]> {
  return results(page).getByRole('heading', { level: 3 }).allInnerTexts();
}

/** Opens `path` and returns the header's search field once its island has hydrated (the
 * combobox roles appear only then), focused. */
async function combobox(page: Page, path: string): Promise<Locator> {
  await page.goto(path);
  const field = page.getByRole('combobox', { name: 'Search Trustshare' });
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await field.focus();
  return field;
}

test.describe('the search page', () => {
  test('before searching it explains the search language', async ({ page }) => {
    await page.goto('/search');
    await expect(page).toHaveTitle('Search – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Search' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'How to search' })).toBeVisible();
    await expectAccessible(page, 'search before a query');
  });

  test('the header field searches every kind of document', async ({ page }) => {
    await page.goto('/guides');
    await headerField(page).fill('fast user switching');
    await headerField(page).press('Enter');

    await expect(page).toHaveURL(/\/search\?q=fast\+user\+switching$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Search results for “fast user switching”');
    const titles = await resultTitles(page);
    expect(titles).toContain('Fast user switching on shared A&E workstations');
    expect(titles).toContain('Fast user switching ran out of memory on shared A&E workstations');
    // Guides and lessons both answer, each with its kind on the result.
    const kinds = page.getByRole('navigation', { name: 'Filter results' });
    await expect(kinds.getByRole('link', { name: /^Best-practice guides \(\d+\)$/ })).toBeVisible();
    await expect(kinds.getByRole('link', { name: /^Lessons learned \(\d+\)$/ })).toBeVisible();
    // The words found are marked in the snippets.
    await expect(results(page).locator('mark').first()).toBeVisible();
    await expectAccessible(page, 'search results');
  });

  test('a facet filters the results and can be removed again', async ({ page }) => {
    const total = page.getByRole('heading', { level: 2, name: /^(\d+ results?|No results)$/ });
    await page.goto('/search?q=single+sign-on');
    const before = await total.innerText();
    expect(before).toMatch(/^\d+ results$/);

    const filters = page.getByRole('navigation', { name: 'Filter results' });
    const lessons = filters.getByRole('link', { name: /^Lessons learned \((\d+)\)$/ });
    const count = Number((await lessons.innerText()).match(/\((\d+)\)/)![1]);
    await lessons.click();

    await expect(page).toHaveURL(/kind=lesson/);
    await expect(total).toHaveText(count === 1 ? '1 result' : `${count} results`);
    await expect(filters.getByText(/^Lessons learned \(\d+\)$/)).toBeVisible();
    await expectAccessible(page, 'search filtered by kind');

    await filters.getByRole('link', { name: 'Remove filter Lessons learned' }).click();
    await expect(page).not.toHaveURL(/kind=/);
    await expect(total).toHaveText(before);
  });

  test('results can be sorted by date, newest first', async ({ page }) => {
    await page.goto('/search?q=smart+cards');
    const sort = page.getByRole('navigation', { name: 'Sort results' });
    await expect(sort.getByText('Best match')).toHaveAttribute('aria-current', 'true');
    await sort.getByRole('link', { name: 'Most recently updated' }).click();
    await expect(page).toHaveURL(/sort=date/);
    await expect(sort.getByText('Most recently updated')).toHaveAttribute('aria-current', 'true');
    const dates = await results(page).locator('time').evaluateAll((times) =>
      times.map((t) => t.getAttribute('datetime') ?? ''),
    );
    expect(dates.length).toBeGreaterThan(1);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  test('a misspelt search still finds, and a search with nothing offers a way on', async ({ page }) => {
    // One typing mistake in a long word is forgiven.
    await page.goto('/search?q=enrolmnet');
    expect(await resultTitles(page)).toContain('Proximity card enrolment at scale');

    // Too many mistakes: the page offers the word it probably meant.
    await page.goto('/search?q=proxmty');
    await expect(page.getByRole('heading', { level: 2, name: 'No results' })).toBeVisible();
    await page.getByRole('link', { name: 'proximity' }).click();
    await expect(page).toHaveURL(/\/search\?q=proximity$/);
    expect(await resultTitles(page)).toContain('Proximity card enrolment at scale');

    // A filter that leaves nothing offers to remove it.
    await page.goto('/search?q=memory+nation%3Awales');
    await expect(page.getByRole('heading', { level: 2, name: 'No results' })).toBeVisible();
    await expect(page.getByText('Check the spelling')).toBeVisible();
    await expectAccessible(page, 'search with no results');
    await page.getByRole('link', { name: 'Remove nation:wales' }).click();
    expect(await resultTitles(page)).toContain('Fast user switching ran out of memory on shared A&E workstations');
  });

  test('odd punctuation in a search is read, not refused', async ({ page }) => {
    const response = await page.goto('/search?q=%22smart+card+-+%28+*+%3A');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Search results for');
  });

  test('a document for one organisation is found only by its own staff', async ({ page }) => {
    const title = 'Emergency access and security questions policy';
    await page.goto('/search?q=security+questions+policy');
    expect(await resultTitles(page)).not.toContain(title);

    await signIn(page, users.reader);
    await page.goto('/search?q=security+questions+policy');
    expect(await resultTitles(page)).toContain(title);
  });
});

test.describe('the header search field', () => {
  test('without JavaScript it is a plain field that submits the search', { tag: NO_JS_ONLY }, async ({ page }) => {
    await page.goto('/');
    const field = headerField(page);
    await expect(field).not.toHaveAttribute('role', 'combobox');
    await expect(page.getByRole('listbox')).toHaveCount(0);
    await field.fill('badge enrolment');
    await field.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=badge\+enrolment$/);
    expect(await resultTitles(page)).toContain('Badge enrolment queues on go-live day');
  });

  test('with JavaScript it suggests documents as you type, used by keyboard alone', { tag: JS_ONLY }, async ({
    page,
  }) => {
    const field = await combobox(page, '/');
    await page.keyboard.type('fast user sw', { delay: 30 });

    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await expect(list).toBeVisible();
    await expect(field).toHaveAttribute('aria-expanded', 'true');
    const options = list.getByRole('option');
    const count = await options.count();
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThanOrEqual(8);
    await expect(options.first()).toContainText('Fast user switching');
    await expect(page.getByRole('status').filter({ hasText: 'suggestions' })).toHaveText(
      `${count} suggestions. Use the up and down arrows to choose one, then press Enter.`,
    );
    await expectAccessible(page, 'header suggestions open');

    // Down chooses the first; up from the first wraps to the last.
    await page.keyboard.press('ArrowDown');
    await expect(options.first()).toHaveAttribute('aria-selected', 'true');
    await expect(field).toHaveAttribute('aria-activedescendant', 'search-suggestion-0');
    await page.keyboard.press('ArrowUp');
    await expect(options.last()).toHaveAttribute('aria-selected', 'true');
    await expect(field).toHaveAttribute('aria-activedescendant', `search-suggestion-${count - 1}`);
    await expect(field).toBeFocused();

    // Escape closes the list and keeps what was typed; Down opens it again.
    await page.keyboard.press('Escape');
    await expect(list).toBeHidden();
    await expect(field).toHaveAttribute('aria-expanded', 'false');
    await expect(field).not.toHaveAttribute('aria-activedescendant');
    await expect(field).toHaveValue('fast user sw');
    await page.keyboard.press('ArrowDown');
    await expect(list).toBeVisible();

    // Enter opens the chosen document.
    const chosen = (await options.first().locator('.ts-search-suggestion__title').innerText()).trim();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(chosen);
    await expectAccessible(page, 'a document opened from a suggestion');
  });

  test('with JavaScript, Enter with no suggestion chosen searches everything', { tag: JS_ONLY }, async ({ page }) => {
    const field = await combobox(page, '/guides');
    await page.keyboard.type('badge enrolment', { delay: 30 });
    await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/search\?q=badge\+enrolment$/);
    expect(await resultTitles(page)).toContain('Badge enrolment queues on go-live day');
  });

  test('with JavaScript, a suggestion can be chosen with the pointer', { tag: JS_ONLY }, async ({ page }) => {
    const field = await combobox(page, '/');
    await field.fill('proximity card');
    const option = page.getByRole('option', { name: /Proximity card enrolment at scale/ });
    await option.click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Proximity card enrolment at scale');
  });

  test('with JavaScript, nothing is suggested for a single letter or for nothing found', { tag: JS_ONLY }, async ({
    page,
  }) => {
    const field = await combobox(page, '/');
    await page.keyboard.type('qqzzxxyy', { delay: 30 });
    await expect(page.getByRole('status').filter({ hasText: 'No suggestions' })).toHaveText(
      'No suggestions. Press Enter to search everything.',
    );
    await expect(field).toHaveAttribute('aria-expanded', 'false');
    await field.fill('f');
    await expect(page.getByRole('listbox', { name: 'Suggestions' })).toBeHidden();
  });
});
