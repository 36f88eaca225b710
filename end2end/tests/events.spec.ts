// Schedules in the browser, with and without JavaScript: the month grid by keyboard, the
// filters, "Add to calendar", the secret calendar link on the account page, and adding an event
// with a mistake, then fixing it. Every page is checked with axe.

import { JS_ONLY, NO_JS_ONLY, expect, expectAccessible, signIn, test, uniqueSuffix, users } from './support';

test.describe('events', () => {
  test('the month grid is a table reached by keyboard, and its months keep the filters', async ({ page }) => {
    // Most of the schedule is shared with the network's members, as a board shares it.
    await signIn(page, users.reader);
    await page.goto('/events?view=month&month=2027-01');
    await expect(page).toHaveTitle('Events – Trustshare');
    const grid = page.getByRole('table', { name: 'Events in January 2027' });
    await expect(grid).toBeVisible();
    await expect(grid.getByRole('columnheader')).toHaveText(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
    await expectAccessible(page, 'month grid');

    // The events are links in reading order: Tab goes from one to the next, Enter opens one.
    const links = grid.getByRole('link');
    expect(await links.count()).toBeGreaterThan(2);
    await links.first().focus();
    await expect(links.first()).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(links.nth(1)).toBeFocused();
    const second = await links.nth(1).getAttribute('href');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${second}$`));
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

    // Filtered by kind, the next month keeps the filter.
    await page.goto('/events?view=month&month=2027-01&kind=go-live');
    const next = page.getByRole('link', { name: /Next month/ });
    await next.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/kind=go-live/);
    await expect(page).toHaveURL(/month=2027-02/);
    const february = page.getByRole('table', { name: 'Events in February 2027' });
    await expect(february.getByRole('link', { name: /Tayside: wave 4 go-live/ })).toBeVisible();
    await expect(february.getByRole('link', { name: /training/i })).toHaveCount(0);
    await expectAccessible(page, 'month grid, filtered');
  });

  test('the filters narrow the list and the month view keeps them', async ({ page }) => {
    await page.goto('/events');
    await page.getByLabel('Kind of event').selectOption({ label: 'Training' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/kind=training/);
    const results = page.locator('.ts-results .ts-result');
    expect(await results.count()).toBeGreaterThan(0);
    for (const kind of await results.locator('.ts-meta').allTextContents()) {
      expect(kind).toContain('Training');
    }
    await expectAccessible(page, 'events list, filtered');
    await page.getByRole('link', { name: 'Month', exact: true }).click();
    await expect(page).toHaveURL(/kind=training/);
    await expect(page).toHaveURL(/view=month/);
    await expect(page.getByLabel('Kind of event')).toHaveValue('training');
  });

  test('"Add to calendar" downloads the event as iCalendar', async ({ page }) => {
    // The quarterly update meeting is shared with the network's members.
    await signIn(page, users.reader);
    await page.goto('/events');
    await page.getByRole('link', { name: /National single sign-on programme quarterly update/ }).first().click();
    const add = page.getByRole('link', { name: 'Add to calendar' });
    await expect(add).toHaveAttribute('href', /^\/events\/\d+\.ics$/);
    await expect(add).toHaveAttribute('download', '');
    await expectAccessible(page, 'event page');
    const href = await add.getAttribute('href');
    const response = await page.request.get(href!);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/calendar');
    const text = await response.text();
    expect(text).toContain('BEGIN:VCALENDAR');
    expect(text).toContain('SUMMARY:National single sign-on programme quarterly update');
    expect(text).toContain('RRULE:');
  });

  test('the account page shows a new secret calendar link once, which works without cookies', async ({ page, browser }, testInfo) => {
    await signIn(page, users.reader);
    await page.goto('/account');
    await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(users.reader.name);
    await expectAccessible(page, 'account page');
    await page.getByRole('button', { name: /Make a calendar link|Revoke and make a new link/ }).click();
    const field = page.getByLabel('Your calendar link: all the events you can see');
    await expect(field).toHaveAttribute('readonly', '');
    const url = await field.inputValue();
    expect(url).toMatch(/\/feeds\/[0-9a-f]{64}\/events\.ics$/);
    const copy = page.getByRole('button', { name: 'Copy link' }).first();
    if (testInfo.project.use.javaScriptEnabled) {
      await expect(copy).toBeVisible();
    } else {
      await expect(copy).toBeHidden();
    }
    await expectAccessible(page, 'account page with a new link');

    // A calendar app has no session: the link alone brings the events.
    const app = await browser.newContext();
    const response = await app.request.get(url);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/calendar');
    await app.close();

    // Shown once: on the next visit it is gone, and can be replaced.
    await page.goto('/account');
    await expect(page.getByLabel('Your calendar link: all the events you can see')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Revoke and make a new link' })).toBeVisible();
  });

  test(`copying the calendar link says so ${JS_ONLY}`, async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn(page, users.otherOrgReader);
    await page.goto('/account');
    await page.getByRole('button', { name: /Make a calendar link|Revoke and make a new link/ }).click();
    const url = await page.getByLabel('Your calendar link: all the events you can see').inputValue();
    await page.getByRole('button', { name: 'Copy link' }).first().click();
    await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  });

  test(`without JavaScript the link is a plain read-only field ${NO_JS_ONLY}`, async ({ page }) => {
    await signIn(page, users.publisher);
    await page.goto('/account');
    await page.getByRole('button', { name: /Make a calendar link|Revoke and make a new link/ }).click();
    await expect(page.getByLabel('Your calendar link: all the events you can see')).toHaveValue(/\/feeds\//);
    await expect(page.getByRole('button', { name: 'Copy link' })).toHaveCount(0);
  });

  test('an editor adds an event with a mistake, fixes it and sees it', async ({ page }, testInfo) => {
    const title = `Badge clinic ${uniqueSuffix(testInfo)}`;
    await signIn(page, users.editor);
    await page.goto('/events');
    await page.getByRole('link', { name: 'Add an event' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Add an event' })).toBeVisible();
    await expectAccessible(page, 'event editor');

    await page.getByLabel('Kind of event').selectOption({ label: 'Training' });
    await page.getByLabel('Start date').fill('2027-03-02');
    await page.getByLabel('Start time (optional)').fill('10:00');
    await page.getByLabel('End time (optional)').fill('09:00');
    await page.getByLabel('Where (optional)').fill('Victoria Hospital, room 4');
    await page.getByRole('button', { name: 'Save event' }).click();

    await expect(page).toHaveTitle(/^Error: Add an event/);
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary.getByRole('link', { name: 'Enter a title' })).toBeVisible();
    await expect(summary.getByRole('link', { name: /it must end after it starts/ })).toBeVisible();
    await expect(page.getByLabel('Where (optional)')).toHaveValue('Victoria Hospital, room 4');
    await expectAccessible(page, 'event editor with errors');

    await summary.getByRole('link', { name: 'Enter a title' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('End time (optional)').fill('12:00');
    await page.getByRole('button', { name: 'Save event' }).click();

    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByText('Event added')).toBeVisible();
    await expect(page.getByRole('main')).toContainText('Tuesday 2 March 2027, 10:00 to 12:00');
    await expectAccessible(page, 'the new event');
    await page.goto('/events?view=month&month=2027-03');
    await expect(page.getByRole('table', { name: 'Events in March 2027' }).getByRole('link', { name: `10:00 ${title}` })).toBeVisible();
  });
});
