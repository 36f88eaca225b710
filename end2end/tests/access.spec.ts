// Access-management configurations in the browser: editing NHS Fife's configuration with a
// mistake in it, seeing the error where it is, fixing it and seeing the scorecard change; a
// publisher approving it; another organisation reading it; uploading a file. Each run toggles
// the lock time of Fife's ward kiosks between 180 s (WS-01 passes) and 900 s (it fails), so the
// two projects, which share one server, each see the scorecard change.

import type { Locator, Page } from '@playwright/test';
import { expect, expectAccessible, signIn, switchUser, test, users } from './support';

const PATH = '/access/nhs-fife';
const ABOUT = 'About this access-management configuration';

/** The one-time message at the top of the page after an action. */
function notice(page: Page): Locator {
  return page.getByRole('status').locator('p');
}

/** The YAML text area of the editor. */
function yamlField(page: Page): Locator {
  return page.getByLabel('Configuration (YAML)');
}

/** The result cell of a rule's row in the scorecard. */
function result(page: Page, code: string): Locator {
  return page.locator(`#rule-${code}`).getByRole('cell').nth(2);
}

/** The Ward kiosks' lock time in the text, its line (from 1), and the text with another value. */
function lockTime(yaml: string): { seconds: number; line: number; withValue: (v: string) => string } {
  const lines = yaml.split(/\r?\n/);
  const index = lines.findIndex((l) => /^\s+inactivity_lock_s: \d+/.test(l));
  expect(index, 'the first computer policy has a lock time').toBeGreaterThanOrEqual(0);
  const seconds = Number(/inactivity_lock_s: (\d+)/.exec(lines[index])![1]);
  return {
    seconds,
    line: index + 1,
    withValue: (v: string) =>
      lines.map((l, i) => (i === index ? l.replace(/inactivity_lock_s: \d+/, `inactivity_lock_s: ${v}`) : l)).join('\n'),
  };
}

test.describe('access-management configurations', () => {
  test('an editor fixes a mistake, sees the scorecard change, and a publisher publishes it', async ({ page }) => {
    test.slow();
    await signIn(page, users.editor);
    await page.goto(`${PATH}/edit`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Edit: /);
    const typed = await yamlField(page).inputValue();
    const lock = lockTime(typed);
    const next = lock.seconds === 180 ? 900 : 180;
    const outcome = next === 180 ? 'Pass' : 'Fail';

    // A mistake: the lock time as words. Nothing is saved; the error names line, column and field.
    await yamlField(page).fill(lock.withValue('soon'));
    await page.getByLabel("Owner's email address").fill(users.editor.email);
    await page.getByLabel('Review by', { exact: true }).fill('2031-03-31');
    await page.getByRole('button', { name: 'Save draft', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${PATH}/edit$`));
    await expect(page).toHaveTitle(/^Error: /);
    const message = new RegExp(
      `^Line ${lock.line}, column \\d+, computer_policies\\[0\\]\\.inactivity_lock_s: expected a whole number, found text$`,
    );
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary.getByRole('link', { name: message })).toHaveAttribute('href', '#configuration');
    const beside = page.locator('#configuration-error');
    await expect(beside.getByRole('listitem')).toHaveText([message]);
    await expect(yamlField(page)).toHaveValue(/inactivity_lock_s: soon/);
    await expectAccessible(page, 'configuration editor with an error');

    // Fixed, and sent for review: the new revision's scorecard shows the rule's new result.
    await yamlField(page).fill(lock.withValue(String(next)));
    await page.getByRole('button', { name: 'Save and send for review' }).click();
    await expect(page).toHaveURL(new RegExp(`${PATH}$`));
    await expect(notice(page)).toHaveText('Saved and sent for review');
    await page.getByRole('link', { name: 'Read and review the newer revision' }).click();
    await expect(page).toHaveURL(new RegExp(`${PATH}/history/\\d+$`));
    await expect(result(page, 'WS-01')).toHaveText(outcome);
    const revision = page.url();

    // Nobody approves their own change: a publisher does.
    await expect(page.getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);
    await switchUser(page, users.publisher);
    await page.goto(revision);
    await expect(result(page, 'WS-01')).toHaveText(outcome);
    await expectAccessible(page, 'configuration revision in review (publisher)');
    await page
      .getByRole('complementary', { name: ABOUT })
      .getByRole('button', { name: 'Approve and publish' })
      .click();
    await expect(notice(page)).toHaveText('Published');

    // Published: another organisation reads it, in plain words, with its scorecard.
    await switchUser(page, users.otherOrgReader);
    const response = await page.goto('/orgs/nhs-fife/access');
    expect(response?.status()).toBe(200);
    const article = page.getByRole('article');
    await expect(article.getByRole('heading', { level: 2, name: 'Scorecard' })).toBeVisible();
    await expect(result(page, 'WS-01')).toHaveText(outcome);
    const ws01 = page.locator('#rule-WS-01');
    await expect(ws01.getByRole('cell').nth(1)).toHaveText('Must');
    await expect(ws01.getByRole('cell').nth(3)).toContainText(`Ward kiosks (clinical area): locks after ${next} s`);
    await expect(ws01.getByRole('link', { name: 'Read the guide for WS-01' })).toHaveAttribute(
      'href',
      '/guides/walk-away-security-inactivity-timeouts',
    );
    await expect(article.getByRole('heading', { level: 2, name: 'Computer policies' })).toBeVisible();
    await expect(article.getByRole('heading', { level: 3, name: 'Ward kiosks' })).toBeVisible();
    await expect(article).not.toContainText('inactivity_lock_s');
    await expect(page.getByRole('link', { name: 'Download as YAML' })).toHaveAttribute('href', `${PATH}/export.yaml`);
    await expectAccessible(page, 'configuration with its scorecard (another organisation)');

    // Its own organisation has none: a clear message, with status 404.
    const none = await page.goto('/orgs/nhs-tayside/access');
    expect(none?.status()).toBe(404);
    await expect(
      page.getByRole('heading', { level: 1, name: 'No access-management configuration shared with you' }),
    ).toBeVisible();
    await expectAccessible(page, 'no configuration shared (404)');
  });

  test('an uploaded file is checked like typed text and saved as a draft when it reads', async ({ page }) => {
    await signIn(page, users.editor);
    await page.goto(`${PATH}/edit`);
    const current = await yamlField(page).inputValue();
    await page.getByLabel("Owner's email address").fill(users.editor.email);
    await page.getByLabel('Review by', { exact: true }).fill('2031-03-31');

    const upload = page.getByLabel('Or upload a file (optional)');
    await upload.setInputFiles({
      name: 'nhs-fife.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('schema_version: 1\norganisation: nhs-fife\nspine:\n  enabled: maybe\n'),
    });
    await page.getByRole('button', { name: 'Upload file and save draft' }).click();
    await expect(page).toHaveURL(new RegExp(`${PATH}/edit$`));
    await expect(page.locator('#configuration-error').getByRole('listitem')).toHaveText([
      /^Line 4, column 12, spine\.enabled: expected true or false/,
    ]);
    await expect(yamlField(page)).toHaveValue(/enabled: maybe/);
    await expectAccessible(page, 'configuration editor after a file that does not read');

    await page.getByLabel("Owner's email address").fill(users.editor.email);
    await page.getByLabel('Review by', { exact: true }).fill('2031-03-31');
    await page.getByLabel('Or upload a file (optional)').setInputFiles({
      name: 'nhs-fife.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(current),
    });
    await page.getByRole('button', { name: 'Upload file and save draft' }).click();
    await expect(page).toHaveURL(new RegExp(`${PATH}$`));
    await expect(notice(page)).toHaveText('Draft saved');
  });

  test('two organisations compared side by side, differences marked in words, chosen with a form', async ({ page }) => {
    await signIn(page, users.otherOrgReader);
    await page.goto('/access/compare');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compare access-management configurations');
    const form = page.locator('form.ts-filter');
    await form.getByLabel('NHS Fife').check();
    await form.getByLabel('NHS Lothian').check();
    await form.getByRole('button', { name: 'Compare' }).click();
    await expect(page).toHaveURL(/\/access\/compare\?orgs=nhs-fife&orgs=nhs-lothian$/);

    const settings = page.getByRole('region', { name: 'Key settings' });
    await expect(settings.getByRole('columnheader', { name: 'NHS Fife' })).toBeVisible();
    await expect(settings.getByRole('columnheader', { name: 'NHS Lothian' })).toBeVisible();
    const training = page.locator('#setting-training-coverage');
    await expect(training.getByRole('rowheader')).toContainText('Differs');
    await expect(training.getByRole('rowheader')).toContainText(/Median \d+/);
    await expect(training.getByRole('cell').first()).toContainText(/above the median|at the median|below the median/);
    await expect(page.getByRole('heading', { level: 2, name: 'Administrator access' })).toBeVisible();
    // The other organisation's reader adopts nothing: they do not edit.
    await expect(page.getByRole('button', { name: /^Adopt this setting/ })).toHaveCount(0);
    await expectAccessible(page, 'configurations compared');

    // An organisation whose configuration is not shared reads like one that does not exist.
    await page.goto('/access/compare?orgs=leeds-teaching-hospitals,no-such-trust');
    const missing = page.getByRole('status').filter({ hasText: 'No access-management configuration is shared with you for' });
    await expect(missing.getByRole('listitem')).toHaveText(['leeds-teaching-hospitals', 'no-such-trust']);
    await expectAccessible(page, 'comparison with organisations not shared');
  });

  test('a publisher waives a failing rule, sees it on the scorecard, and withdraws it', async ({ page }) => {
    await signIn(page, users.publisher);
    await page.goto('/orgs/nhs-fife/access');
    // A failing rule other than WS-01, which the first test toggles.
    const waive = page.getByRole('link', { name: /^Waive this rule \((?!WS-01)[A-Z]+-\d\d\)$/ }).first();
    const code = /rule=([A-Z]+-\d\d)#waive$/.exec((await waive.getAttribute('href')) ?? '')![1];
    await waive.click();
    await expect(page).toHaveURL(new RegExp(`/orgs/nhs-fife/access/waivers\\?rule=${code}#waive$`));
    await expect(page.getByLabel('Rule')).toHaveValue(code);

    // A mistake first: the last day too far ahead. The summary names it; what was typed is kept.
    const justification = `Browser test ${test.info().project.name}: accepted until the next review.`;
    await page.getByLabel('Justification').fill(justification);
    await page.getByLabel('Last day of the waiver').fill('2099-01-01');
    await page.getByRole('button', { name: 'Waive the rule' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await expect(summary.getByRole('link', { name: /days ahead/ })).toHaveAttribute('href', '#waiver-until');
    await expect(page.getByLabel('Justification')).toHaveValue(justification);
    await expectAccessible(page, 'waiver form with an error');

    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Rule').selectOption(code);
    await page.getByLabel('Last day of the waiver').fill(until);
    await page.getByRole('button', { name: 'Waive the rule' }).click();
    await expect(page).toHaveURL(new RegExp(`/orgs/nhs-fife/access#rule-${code}$`));
    await expect(notice(page)).toHaveText(`${code} is waived until ${until}`);
    await expect(result(page, code)).toContainText('Waived');
    await expect(result(page, code)).toContainText(`Waived until ${until} by ${users.publisher.name}: ${justification}`);
    await expectAccessible(page, 'scorecard with a waiver');

    // Withdrawn: the rule fails again.
    await page.getByRole('link', { name: 'Waive a failing rule or withdraw a waiver' }).click();
    await page.getByRole('button', { name: `Withdraw the waiver of ${code}` }).click();
    await expect(notice(page)).toHaveText(`The waiver of ${code} is withdrawn`);
    await expectAccessible(page, 'waivers page');
    await page.goto('/orgs/nhs-fife/access');
    await expect(result(page, code)).toHaveText('Fail');
    await expect(page.locator(`#rule-${code}`).getByRole('link', { name: `Waive this rule (${code})` })).toBeVisible();
  });

  test("a guide shows a member their own organisation's result for a rule, linked to the rule and its lessons", async ({ page }) => {
    // Visitors who are not signed in see the rule and are asked to sign in.
    await page.goto('/guides/walk-away-security-inactivity-timeouts');
    const section = page.locator('.ts-prose li').filter({ hasText: 'WS-01' });
    await expect(section).toContainText("sign in to see your organisation's result");
    await expectAccessible(page, 'guide with live references, signed out');

    await signIn(page, users.reader);
    await page.goto('/orgs/nhs-fife/access');
    const fifeResult = (await result(page, 'WS-01').locator('strong').first().innerText()).trim();
    await page.goto('/guides/walk-away-security-inactivity-timeouts');
    await expect(section.getByRole('link', { name: 'NHS Fife' })).toHaveAttribute('href', '/orgs/nhs-fife/access#rule-WS-01');
    await expect(section.locator('strong')).toHaveText(fifeResult);
    await expectAccessible(page, 'guide with live references, signed in');

    // The rule's page, from the reference; then the catalogue with Fife's results.
    await section.getByRole('link', { name: /^WS-01 / }).click();
    await expect(page).toHaveURL(/\/access\/rules\/WS-01$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^WS-01 /);
    await expect(page.getByRole('link', { name: 'NHS Fife', exact: true })).toBeVisible();
    await expectAccessible(page, 'a rule');
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    await expect(page).toHaveURL(/\/access\/rules$/);
    await expect(page.getByRole('table').getByRole('caption')).toHaveText("Rules of the catalogue, with NHS Fife's results");
    await expectAccessible(page, 'the rule catalogue');

    // A lesson names the rules it concerns; each rule's page lists it.
    await page.getByRole('link', { name: /^ADM-01 / }).click();
    const lesson = page.getByRole('link', { name: 'SSO admin consoles reachable from everyday desktops' });
    await expect(lesson).toBeVisible();
    await lesson.click();
    await expect(page.getByRole('heading', { name: 'Rules this lesson concerns' })).toBeVisible();
    await expect(page.getByRole('link', { name: /^ADM-02 / })).toHaveAttribute('href', '/access/rules/ADM-02');
  });
});
