// Writing, reviewing and publishing documents through the browser: the editor form (with its
// errors and previews), the workflow panel, revisions, history and comparisons, and the
// review queue. Every document gets a title and web address unique to the project and run.

import type { Locator, Page } from '@playwright/test';
import {
  expect,
  expectAccessible,
  JS_ONLY,
  NO_JS_ONLY,
  signIn,
  signOutQuietly,
  switchUser,
  test,
  uniqueSuffix,
  users,
} from './support';

type Kind = 'guides' | 'plans' | 'lessons';

/** What the About panel (and the workflow under it) is called on a document of each kind. */
const ABOUT: Record<Kind, string> = {
  guides: 'About this guide',
  plans: 'About this deployment plan',
  lessons: 'About this lesson learned',
};

type VisibilityLabel = 'Public' | 'All member organisations' | 'Own organisation only';

interface MilestoneInput {
  phase: string;
  name: string;
  baseline: string;
  forecast: string;
  status?: string;
}

interface RiskInput {
  description: string;
  likelihood?: 'Low' | 'Medium' | 'High';
  impact?: 'Low' | 'Medium' | 'High';
  owner?: string;
  mitigation?: string;
}

interface PlanInput {
  initiative: string;
  product: string;
  version?: string;
  sites?: string[];
  departments?: string[];
  users?: string;
  workstations?: string;
  milestones?: MilestoneInput[];
  risks?: RiskInput[];
}

interface LessonInput {
  phase: string;
  context: string;
  whatHappened: string;
  recommendation: string;
}

interface DocInput {
  slug: string;
  title: string;
  summary: string;
  body: string;
  visibility?: VisibilityLabel;
  reviewBy?: string;
  comment?: string;
  plan?: PlanInput;
  lesson?: LessonInput;
}

/** The Markdown textarea of the editor (the island), whose label depends on the kind. */
function bodyField(page: Page, kind: Kind): Locator {
  return page.getByLabel(kind === 'lessons' ? 'Further notes (optional)' : 'Text', { exact: true });
}

/** The one-time message at the top of the page after an action. */
function notice(page: Page): Locator {
  return page.getByRole('status').locator('p');
}

function aboutPanel(page: Page, kind: Kind): Locator {
  return page.getByRole('complementary', { name: ABOUT[kind] });
}

/** A unique document of a kind with everything the form requires. */
function newDoc(kind: Kind, id: string, title: string, extra: Partial<DocInput> = {}): DocInput {
  return {
    slug: `e2e-${kind}-${id}`,
    title: `${title} (${id})`,
    summary: `Written by the browser tests (${id}).`,
    body: 'Check the badge readers every Monday morning before the first shift.',
    reviewBy: '2031-03-31',
    ...extra,
  };
}

/** Fills the editor form (new or existing document) on the current page. */
async function fillEditor(page: Page, kind: Kind, doc: DocInput, options: { isNew: boolean }): Promise<void> {
  if (options.isNew) {
    await expect(page.getByLabel('Organisation', { exact: true })).toHaveValue('nhs-fife');
    await page.getByLabel('Web address (optional)').fill(doc.slug);
  }
  await page.getByLabel('Title', { exact: true }).fill(doc.title);
  await page.getByLabel('Summary', { exact: true }).fill(doc.summary);
  if (doc.plan) await fillPlan(page, doc.plan);
  if (doc.lesson) await fillLesson(page, doc.lesson);
  await bodyField(page, kind).fill(doc.body);
  if (doc.visibility) {
    await page.getByLabel('Who can see it once published').selectOption({ label: doc.visibility });
  }
  if (doc.reviewBy !== undefined) await page.getByLabel('Review by', { exact: true }).fill(doc.reviewBy);
  if (doc.comment !== undefined) await page.getByLabel('What did you change? (optional)').fill(doc.comment);
}

async function fillPlan(page: Page, plan: PlanInput): Promise<void> {
  await page.getByLabel('Initiative', { exact: true }).fill(plan.initiative);
  await page.getByLabel('Product', { exact: true }).fill(plan.product);
  if (plan.version !== undefined) await page.getByLabel('Version', { exact: true }).fill(plan.version);
  if (plan.sites) await page.getByLabel('Sites', { exact: true }).fill(plan.sites.join('\n'));
  if (plan.departments) await page.getByLabel('Departments', { exact: true }).fill(plan.departments.join('\n'));
  if (plan.users !== undefined) await page.getByLabel('Number of users').fill(plan.users);
  if (plan.workstations !== undefined) await page.getByLabel('Number of workstations').fill(plan.workstations);
  for (const [i, m] of (plan.milestones ?? []).entries()) {
    const n = i + 1;
    await page.getByLabel(`Milestone ${n}: phase`).fill(m.phase);
    await page.getByLabel(`Milestone ${n}: name`).fill(m.name);
    await page.getByLabel(`Milestone ${n}: baseline date`).fill(m.baseline);
    await page.getByLabel(`Milestone ${n}: forecast date`).fill(m.forecast);
    if (m.status) await page.getByLabel(`Milestone ${n}: status`).selectOption({ label: m.status });
  }
  for (const [i, r] of (plan.risks ?? []).entries()) {
    const n = i + 1;
    await page.getByLabel(`Risk ${n}: description`).fill(r.description);
    if (r.likelihood) await page.getByLabel(`Risk ${n}: likelihood`).selectOption({ label: r.likelihood });
    if (r.impact) await page.getByLabel(`Risk ${n}: impact`).selectOption({ label: r.impact });
    if (r.owner !== undefined) await page.getByLabel(`Risk ${n}: owner`).fill(r.owner);
    if (r.mitigation !== undefined) await page.getByLabel(`Risk ${n}: mitigation`).fill(r.mitigation);
  }
}

async function fillLesson(page: Page, lesson: LessonInput): Promise<void> {
  await page.getByLabel('Phase', { exact: true }).selectOption({ label: lesson.phase });
  await page.getByLabel('Context', { exact: true }).fill(lesson.context);
  await page.getByLabel('What happened', { exact: true }).fill(lesson.whatHappened);
  await page.getByLabel('Recommendation', { exact: true }).fill(lesson.recommendation);
}

/**
 * As the signed-in editor: writes a new document through `/{kind}/new` and saves it with
 * "Save and send for review" (or "Save draft"), ending on its page.
 */
async function writeDocument(
  page: Page,
  kind: Kind,
  doc: DocInput,
  options: { sendForReview?: boolean; checkEditor?: boolean } = {},
): Promise<string> {
  const path = `/${kind}/${doc.slug}`;
  const sendForReview = options.sendForReview ?? true;
  await test.step(`write ${path}`, async () => {
    await page.goto(`/${kind}/new`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^New /);
    if (options.checkEditor) await expectAccessible(page, `new ${kind} editor`);
    await fillEditor(page, kind, doc, { isNew: true });
    await page.getByRole('button', { name: sendForReview ? 'Save and send for review' : 'Save draft' }).click();

    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(notice(page)).toHaveText(sendForReview ? 'Saved and sent for review' : 'Draft saved');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(doc.title);
    await expect(aboutPanel(page, kind).getByText(sendForReview ? 'In review' : 'Draft', { exact: true })).toBeVisible();
    await expectAccessible(page, `${kind} just saved (editor)`);
  });
  return path;
}

/** As the signed-in publisher, on a page showing the revision in review: approves it. */
async function approve(page: Page, kind: Kind): Promise<void> {
  await aboutPanel(page, kind).getByRole('button', { name: 'Approve and publish' }).click();
  await expect(notice(page)).toHaveText('Published');
  await expect(aboutPanel(page, kind).getByText('Published', { exact: true })).toBeVisible();
  await expect(aboutPanel(page, kind).getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);
  await expectAccessible(page, `${kind} just published (publisher)`);
}

test.describe('writing and publishing documents', () => {
  test('an editor writes a deployment plan, a publisher approves it and another organisation reads it', async ({
    page,
  }, testInfo) => {
    test.slow();
    const id = uniqueSuffix(testInfo);
    const plan = newDoc('plans', id, 'Badge reader rollout at Victoria Hospital', {
      visibility: 'All member organisations',
      body: '## Approach\n\nWe enrol staff **ward by ward**, starting with the emergency department.',
      comment: 'First version',
      plan: {
        initiative: 'Single sign-on rollout',
        product: 'Imprivata OneSign',
        version: '7.12',
        sites: ['Victoria Hospital', 'Queen Margaret Hospital'],
        departments: ['Emergency department', 'Ward 12'],
        users: '1,450',
        workstations: '320',
        milestones: [
          { phase: 'Pilot', name: 'Pilot ward live', baseline: '2026-02-02', forecast: '2026-02-02', status: 'On track' },
          // Forecast later than the baseline: slipped, though its status says planned.
          { phase: 'Rollout', name: 'Emergency department live', baseline: '2026-04-06', forecast: '2026-05-18' },
        ],
        risks: [
          {
            description: 'Legacy badges unreadable by the new readers',
            likelihood: 'High',
            impact: 'Medium',
            owner: 'Badge office',
            mitigation: 'Reissue badges before each ward goes live',
          },
        ],
      },
    });
    const path = `/plans/${plan.slug}`;

    // The editor writes it and sends it for review.
    await signIn(page, users.editor);
    await writeDocument(page, 'plans', plan, { checkEditor: true });
    await expect(page.getByText('In review: not published yet', { exact: false })).toBeVisible();
    // Nobody approves their own change, so the editor is not offered the button.
    await expect(aboutPanel(page, 'plans').getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);

    // Not published yet: another organisation cannot find it.
    await switchUser(page, users.otherOrgReader);
    const early = await page.goto(path);
    expect(early?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, 'plan in review for another organisation (404)');

    // A publisher of the same organisation approves it.
    await switchUser(page, users.publisher);
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(plan.title);
    await expectAccessible(page, 'plan in review (publisher)');
    await approve(page, 'plans');

    // A reader of another organisation finds it on the first page of the list (newest first) ...
    await switchUser(page, users.otherOrgReader);
    await page.goto('/plans');
    await expect(page.getByRole('heading', { level: 1, name: 'Deployment plans' })).toBeVisible();
    const results = page.getByRole('list', { name: /plans?$/ });
    await expect(results.getByRole('heading', { level: 3, name: plan.title })).toBeVisible();
    await expectAccessible(page, 'plans list with the new plan');

    // ... and reads it, with the timeline flagging the slipped milestone.
    await results.getByRole('link', { name: plan.title }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(plan.title);
    const about = aboutPanel(page, 'plans');
    await expect(about.getByRole('link', { name: 'NHS Fife' })).toBeVisible();
    await expect(about).toContainText('All member organisations');
    // Readers get no workflow panel.
    await expect(page.getByRole('heading', { name: 'Workflow' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);

    const article = page.getByRole('article');
    await expect(article.getByRole('heading', { level: 2, name: 'Scope' })).toBeVisible();
    const scope = article.locator('dl').first();
    await expect(scope).toContainText('Single sign-on rollout');
    await expect(scope).toContainText('Imprivata OneSign 7.12');
    await expect(scope).toContainText('Victoria Hospital, Queen Margaret Hospital');
    await expect(scope).toContainText('Emergency department, Ward 12');
    await expect(scope).toContainText('1450');
    await expect(scope).toContainText('320');

    await expect(article.getByRole('heading', { name: /1 milestone has slipped/ })).toBeVisible();
    const timeline = article.getByRole('table', { name: 'Milestones in forecast order' });
    const rows = timeline.getByRole('row');
    // A header row, then the milestones in forecast order.
    await expect(rows).toHaveCount(3);
    const onTime = rows.nth(1);
    const late = rows.nth(2);
    await expect(onTime.getByRole('cell')).toHaveText(['Pilot ward live', 'Pilot', '2026-02-02', '2026-02-02', 'On track']);
    await expect(onTime).not.toHaveClass(/ts-slipped/);
    await expect(late.getByRole('cell')).toHaveText([
      'Emergency department live',
      'Rollout',
      '2026-04-06',
      '2026-05-18',
      'Slipped',
    ]);
    await expect(late).toHaveClass(/ts-slipped/);

    const risks = article.getByRole('table', { name: 'Risks' });
    await expect(risks.getByRole('row').nth(1).getByRole('cell')).toHaveText([
      'Legacy badges unreadable by the new readers',
      'High',
      'Medium',
      'Badge office',
      'Reissue badges before each ward goes live',
    ]);
    await expect(article.getByRole('heading', { level: 2, name: 'Approach' })).toBeVisible();
    await expect(article.locator('strong', { hasText: 'ward by ward' })).toBeVisible();
    await expectAccessible(page, 'published plan (another organisation)');

    // Anonymous visitors neither find nor read it.
    await signOutQuietly(page);
    const anonymous = await page.goto(path);
    expect(anonymous?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
    await expect(page.getByText(plan.title)).toHaveCount(0);
    await expectAccessible(page, 'network plan for anonymous visitors (404)');
    await page.goto('/plans');
    await expect(page.getByRole('heading', { level: 1, name: 'Deployment plans' })).toBeVisible();
    await expect(page.getByRole('link', { name: plan.title })).toHaveCount(0);
    await expectAccessible(page, 'plans list for anonymous visitors');
  });

  test('a refused plan comes back with an error summary linking to the fields and keeps what was typed', async ({
    page,
  }, testInfo) => {
    const id = uniqueSuffix(testInfo);
    await signIn(page, users.editor);
    await page.goto('/plans/new');
    await expect(page).toHaveTitle('New deployment plan – Trustshare');
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toHaveCount(0);

    const typed = {
      summary: `A plan with mistakes in it (${id}).`,
      initiative: 'Single sign-on rollout',
      product: 'Imprivata OneSign',
      body: 'Some **text** that must survive the round trip.\n\nSecond paragraph.',
      reviewBy: '2031-02-30',
      milestoneName: 'Pilot ward live',
      badBaseline: '31/03/2026',
    };
    // No title, a review-by date that does not exist and a baseline in the wrong format.
    await page.getByLabel('Title', { exact: true }).fill('');
    await page.getByLabel('Web address (optional)').fill(`e2e-refused-${id}`);
    await page.getByLabel('Summary', { exact: true }).fill(typed.summary);
    await page.getByLabel('Initiative', { exact: true }).fill(typed.initiative);
    await page.getByLabel('Product', { exact: true }).fill(typed.product);
    await page.getByLabel('Milestone 1: phase').fill('Pilot');
    await page.getByLabel('Milestone 1: name').fill(typed.milestoneName);
    await page.getByLabel('Milestone 1: baseline date').fill(typed.badBaseline);
    await page.getByLabel('Milestone 1: forecast date').fill('2026-04-01');
    await bodyField(page, 'plans').fill(typed.body);
    await page.getByLabel('Review by', { exact: true }).fill(typed.reviewBy);
    await page.getByRole('button', { name: 'Save draft' }).click();

    await expect(page).toHaveURL(/\/plans\/new$/);
    await expect(page).toHaveTitle('Error: New deployment plan – Trustshare');
    const summary = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'There is a problem' }) });
    await expect(summary).toBeVisible();
    const titleLink = summary.getByRole('link', { name: 'Enter a title' });
    const reviewLink = summary.getByRole('link', { name: /^Review-by date: .*2031-02-30.* is not a real date/ });
    const baselineLink = summary.getByRole('link', { name: /baseline date of milestone 1/ });
    await expect(titleLink).toHaveAttribute('href', '#title');
    await expect(reviewLink).toHaveAttribute('href', '#review_by');
    await expect(baselineLink).toHaveAttribute('href', '#milestones-0-baseline');
    await expect(summary.getByRole('link')).toHaveCount(3);

    // Each error is beside its field and describes it.
    const title = page.getByLabel('Title', { exact: true });
    const reviewBy = page.getByLabel('Review by', { exact: true });
    const baseline = page.getByLabel('Milestone 1: baseline date');
    await expect(title).toHaveAccessibleDescription(/^Error:\s+Enter a title$/);
    await expect(reviewBy).toHaveAccessibleDescription(
      /^The date by which the owner checks it is still right[\s\S]*\sError:\s+Review-by date: "2031-02-30" is not a real date/,
    );
    await expect(baseline).toHaveAccessibleDescription(/^Error:\s+The baseline date of milestone 1: .*31\/03\/2026/);
    await expect(page.locator('#title-error')).toBeVisible();
    await expect(page.locator('#review_by-error')).toBeVisible();
    // Fields without a problem show none.
    await expect(page.getByLabel('Summary', { exact: true })).toHaveAccessibleDescription(
      'One or two sentences, shown in lists and search results.',
    );

    // Everything typed is still there.
    await expect(title).toHaveValue('');
    await expect(page.getByLabel('Web address (optional)')).toHaveValue(`e2e-refused-${id}`);
    await expect(page.getByLabel('Summary', { exact: true })).toHaveValue(typed.summary);
    await expect(page.getByLabel('Initiative', { exact: true })).toHaveValue(typed.initiative);
    await expect(page.getByLabel('Product', { exact: true })).toHaveValue(typed.product);
    await expect(reviewBy).toHaveValue(typed.reviewBy);
    await expect(page.getByLabel('Milestone 1: name')).toHaveValue(typed.milestoneName);
    await expect(baseline).toHaveValue(typed.badBaseline);
    await expect(page.getByLabel('Milestone 1: forecast date')).toHaveValue('2026-04-01');
    await expect(bodyField(page, 'plans')).toHaveValue(typed.body);
    await expect(page.getByLabel('Who can see it once published')).toHaveValue('network');
    await expectAccessible(page, 'plan editor with errors');

    // The summary's links lead to the fields.
    await reviewLink.click();
    await expect(page).toHaveURL(/#review_by$/);
    await expect(reviewBy).toBeFocused();
    await titleLink.click();
    await expect(page).toHaveURL(/#title$/);
    await expect(title).toBeFocused();

    // Nothing was saved.
    const response = await page.goto(`/plans/e2e-refused-${id}`);
    expect(response?.status()).toBe(404);
    await expectAccessible(page, 'refused plan (404)');
  });

  test('readers keep the published text until the new revision is approved; history compares the two', async ({
    page,
  }, testInfo) => {
    test.slow();
    const id = uniqueSuffix(testInfo);
    const oldText = 'Check the badge readers every Monday morning before the first shift.';
    const newText = 'Check the badge readers every Friday afternoon before the first shift.';
    // Own organisation only, so the guides lists of other tests and visitors do not change.
    const guide = newDoc('guides', id, 'Weekly badge reader checks', {
      visibility: 'Own organisation only',
      body: oldText,
      comment: 'First version',
    });

    await signIn(page, users.editor);
    const path = await writeDocument(page, 'guides', guide);
    await switchUser(page, users.publisher);
    await page.goto(path);
    await approve(page, 'guides');

    // The editor changes the text and sends the change for review.
    await switchUser(page, users.editor);
    await page.goto(path);
    await aboutPanel(page, 'guides').getByRole('link', { name: 'Edit', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${path}/edit$`));
    await expect(page).toHaveTitle(`Edit: ${guide.title} – Trustshare`);
    await expect(bodyField(page, 'guides')).toHaveValue(oldText);
    await expectAccessible(page, 'editor of a published guide');
    await bodyField(page, 'guides').fill(newText);
    await page.getByLabel('What did you change? (optional)').fill('Checks move to Friday');
    await page.getByRole('button', { name: 'Save and send for review' }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(notice(page)).toHaveText('Saved and sent for review');

    // Staff see the published text with a banner pointing at the revision in review.
    const article = page.getByRole('article');
    await expect(article).toContainText(oldText);
    await expect(article).not.toContainText(newText);
    await expect(article).toContainText(
      `Revision 2 by ${users.editor.name} is in review: readers still see revision 1.`,
    );
    await expectAccessible(page, 'published guide with a revision in review (editor)');

    // A reader of the organisation still sees the old text and no banner.
    await switchUser(page, users.reader);
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(guide.title);
    await expect(page.getByRole('article')).toContainText(oldText);
    await expect(page.getByRole('article')).not.toContainText(newText);
    await expect(page.getByText(/is in review/)).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Read and review the newer revision' })).toHaveCount(0);
    await expectAccessible(page, 'published guide for a reader while a change is in review');

    // The publisher follows the banner to the new revision and approves it there.
    await switchUser(page, users.publisher);
    await page.goto(path);
    // The approve button is on the revision in review, not on the published page.
    await expect(aboutPanel(page, 'guides').getByRole('button', { name: 'Approve and publish' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Read and review the newer revision' }).click();
    await expect(page).toHaveURL(new RegExp(`${path}/history/2$`));
    await expect(page).toHaveTitle(`${guide.title} (revision 2) – Trustshare`);
    await expect(page.getByRole('article')).toContainText(newText);
    await expect(page.getByRole('article')).toContainText('You are looking at revision 2.');
    await expectAccessible(page, 'revision in review (publisher)');
    await approve(page, 'guides');
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('article')).toContainText(newText);
    await expect(page.getByRole('link', { name: 'Read and review the newer revision' })).toHaveCount(0);

    // Now the reader sees the new text.
    await switchUser(page, users.reader);
    await page.goto(path);
    await expect(page.getByRole('article')).toContainText(newText);
    await expect(page.getByRole('article')).not.toContainText(oldText);
    await expectAccessible(page, 'guide after the change was approved (reader)');

    // The history lists both revisions, newest first, and compares them.
    await aboutPanel(page, 'guides').getByRole('link', { name: 'History' }).click();
    await expect(page).toHaveURL(new RegExp(`${path}/history$`));
    await expect(page).toHaveTitle(`History: ${guide.title} – Trustshare`);
    const revisions = page.getByRole('table', { name: 'Revisions' });
    const rows = revisions.getByRole('row');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(1)).toContainText('Revision 2');
    await expect(rows.nth(1)).toContainText('Current');
    await expect(rows.nth(1)).toContainText(users.editor.name);
    await expect(rows.nth(1)).toContainText('Checks move to Friday');
    await expect(rows.nth(2)).toContainText('Revision 1');
    await expect(rows.nth(2)).toContainText('Was published');
    await expect(rows.nth(2)).toContainText('First version');
    await expect(revisions.getByRole('link', { name: 'Revision 1' })).toHaveAttribute('href', `${path}/history/1`);
    await expectAccessible(page, 'history of a guide with two revisions');

    await expect(page.getByLabel('Older revision')).toHaveValue('1');
    await expect(page.getByLabel('Newer revision')).toHaveValue('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    await expect(page).toHaveURL(new RegExp(`${path}/diff\\?from=1&to=2$`));
    await expect(page).toHaveTitle(`Changes: ${guide.title} – Trustshare`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Revision 1 compared with revision 2');
    // Only the text changed.
    await expect(page.getByRole('main').getByRole('heading', { level: 2 })).toHaveText(['Text']);
    const changes = page.locator('.ts-diff');
    const removed = changes.getByRole('deletion');
    const added = changes.getByRole('insertion');
    await expect(removed).not.toHaveCount(0);
    await expect(added).not.toHaveCount(0);
    const removedText = (await removed.allInnerTexts()).join(' ');
    const addedText = (await added.allInnerTexts()).join(' ');
    expect(removedText).toMatch(/Monday/);
    expect(removedText).toMatch(/morning/);
    expect(removedText).not.toMatch(/badge|Friday/);
    expect(addedText).toMatch(/Friday/);
    expect(addedText).toMatch(/afternoon/);
    expect(addedText).not.toMatch(/badge|Monday/);
    // Unchanged words are neither inserted nor deleted.
    await expect(changes).toContainText('Check the badge readers every');
    await expect(changes).toContainText('before the first shift.');
    await expectAccessible(page, 'comparison of two revisions');

    // The old revision is still there to read.
    await page.goto(`${path}/history/1`);
    await expect(page.getByRole('article')).toContainText(oldText);
    await expectAccessible(page, 'the first revision (reader)');
  });

  test('a publisher sends a lesson back with a comment and the editor sees it', async ({ page }, testInfo) => {
    test.slow();
    const id = uniqueSuffix(testInfo);
    const lesson = newDoc('lessons', id, 'Badge enrolment needs a second table', {
      body: '',
      lesson: {
        phase: 'Rollout',
        context: 'Go-live week in the emergency department.',
        whatHappened: 'Queues at the one enrolment table held up the night shift.',
        recommendation: 'Staff two enrolment tables during go-live week.',
      },
    });
    const comment = 'Say how long the queues were and which shifts were affected.';

    await signIn(page, users.editor);
    const path = await writeDocument(page, 'lessons', lesson);

    await switchUser(page, users.publisher);
    await page.goto(path);
    const workflow = aboutPanel(page, 'lessons');
    await expect(workflow.getByRole('heading', { name: 'Workflow' })).toBeVisible();
    // Sending back needs a comment.
    await workflow.getByRole('button', { name: 'Send back to the author' }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(page.getByRole('alert')).toContainText('Say what needs to change when you send it back');
    await expect(aboutPanel(page, 'lessons').getByText('In review', { exact: true })).toBeVisible();
    await expectAccessible(page, 'lesson after a refused send-back');

    await aboutPanel(page, 'lessons').getByLabel('What needs to change').fill(comment);
    await aboutPanel(page, 'lessons').getByRole('button', { name: 'Send back to the author' }).click();
    await expect(notice(page)).toHaveText('Sent back to the author');
    await expect(aboutPanel(page, 'lessons').getByText('Draft', { exact: true })).toBeVisible();
    await expectAccessible(page, 'lesson just sent back (publisher)');

    // The editor finds the comment on the page, and can send it for review again.
    await switchUser(page, users.editor);
    await page.goto(path);
    const panel = aboutPanel(page, 'lessons');
    await expect(panel).toContainText(`Last step: sent back by ${users.publisher.name}`);
    await expect(panel).toContainText(`“${comment}”`);
    await expect(panel.getByText('Draft', { exact: true })).toBeVisible();
    await expect(page.getByRole('article')).toContainText('Draft: not published yet');
    await expect(page.getByRole('article')).toContainText('Queues at the one enrolment table held up the night shift.');
    await expect(panel.getByRole('button', { name: 'Send for review' })).toBeVisible();
    await expectAccessible(page, 'lesson sent back (editor)');

    // The history records the step with its comment too.
    await page.goto(`${path}/history`);
    await expect(page.getByRole('main').locator('.ts-events')).toContainText(`sent back by ${users.publisher.name}`);
    await expect(page.getByRole('main')).toContainText(`“${comment}”`);
    await expectAccessible(page, 'history of a lesson sent back');
  });

  test('with JavaScript the live preview renders the Markdown as it is typed', { tag: JS_ONLY }, async ({
    page,
  }) => {
    await signIn(page, users.editor);
    await page.goto('/guides/new');
    const preview = page.getByRole('region', { name: 'Live preview' });
    // The preview appears once the island has hydrated.
    await expect(preview).toBeVisible();
    await expect(preview.getByRole('heading', { name: 'Live preview' })).toBeVisible();

    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    await page.evaluate(() => {
      (window as unknown as { stillHere: boolean }).stillHere = true;
    });
    const text = bodyField(page, 'guides');
    await text.click();
    await text.pressSequentially('Some **bold** words');
    await expect(preview.locator('strong')).toHaveText('bold');
    await expect(preview).toContainText('Some bold words');
    await expect(preview).not.toContainText('**');

    // It follows further typing.
    await text.press('Enter');
    await text.press('Enter');
    await text.pressSequentially('- first item');
    await expect(preview.getByRole('listitem')).toHaveText(['first item']);

    // No form was posted and the page never reloaded.
    expect(navigations).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
    await expect(page).toHaveURL(/\/guides\/new$/);
    await expect(text).toHaveValue('Some **bold** words\n\n- first item');
    // The server-rendered preview only appears after the Preview button.
    await expect(page.getByRole('region', { name: 'Preview', exact: true })).toHaveCount(0);
    await expectAccessible(page, 'guide editor with the live preview');
  });

  test('without JavaScript the Preview button shows the server-rendered preview and keeps the text', {
    tag: NO_JS_ONLY,
  }, async ({ page }) => {
    await signIn(page, users.editor);
    await page.goto('/guides/new');
    // The live preview needs the script, so it stays hidden.
    await expect(page.getByRole('region', { name: 'Live preview' })).toHaveCount(0);

    const markdown = 'Some **bold** words\n\n- first item\n- second item';
    await page.getByLabel('Title', { exact: true }).fill('A guide being previewed');
    await page.getByLabel('Summary', { exact: true }).fill('Previewed, never saved.');
    await bodyField(page, 'guides').fill(markdown);
    await page.getByRole('button', { name: 'Preview', exact: true }).click();

    await expect(page).toHaveURL(/\/guides\/new#preview$/);
    const preview = page.getByRole('region', { name: 'Preview', exact: true });
    await expect(preview).toBeVisible();
    await expect(preview.locator('strong')).toHaveText('bold');
    await expect(preview.getByRole('listitem')).toHaveText(['first item', 'second item']);
    await expect(preview).not.toContainText('**');
    await expect(preview).toBeInViewport();
    // A preview is not a save: no errors, and everything typed is kept.
    await expect(page.getByRole('heading', { name: 'There is a problem' })).toHaveCount(0);
    await expect(page).toHaveTitle('New guide – Trustshare');
    await expect(bodyField(page, 'guides')).toHaveValue(markdown);
    await expect(page.getByLabel('Title', { exact: true })).toHaveValue('A guide being previewed');
    await expect(page.getByLabel('Summary', { exact: true })).toHaveValue('Previewed, never saved.');
    await expectAccessible(page, 'guide editor with the server preview');
  });

  test('the review page lists a document in review for a publisher of its organisation', async ({
    page,
  }, testInfo) => {
    test.slow();
    const id = uniqueSuffix(testInfo);
    const guide = newDoc('guides', id, 'Locking shared workstations at handover', {
      visibility: 'Own organisation only',
    });
    const draft = newDoc('guides', `${id}-draft`, 'Unfinished notes on kiosk mode', {
      visibility: 'Own organisation only',
    });

    await signIn(page, users.editor);
    const path = await writeDocument(page, 'guides', guide);
    const draftPath = await writeDocument(page, 'guides', draft, { sendForReview: false });

    await switchUser(page, users.publisher);
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reviews' }).click();
    await expect(page).toHaveURL(/\/review$/);
    await expect(page).toHaveTitle('Reviews and approvals – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Reviews and approvals' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('Documents of NHS Fife that need someone.');

    const waiting = page.getByRole('table', { name: 'Waiting for approval' });
    const row = waiting.getByRole('row').filter({ has: page.getByRole('link', { name: guide.title }) });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell')).toHaveText([`${guide.title} (guide)`, 'NHS Fife', 'In review', '2031-03-31']);
    await expect(waiting.getByRole('link', { name: draft.title })).toHaveCount(0);
    const drafts = page.getByRole('table', { name: 'Drafts' });
    await expect(drafts.getByRole('link', { name: draft.title })).toHaveAttribute('href', draftPath);
    await expect(drafts.getByRole('link', { name: guide.title })).toHaveCount(0);
    await expectAccessible(page, 'review queue (publisher)');

    await row.getByRole('link', { name: guide.title }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
    await expect(aboutPanel(page, 'guides').getByRole('button', { name: 'Approve and publish' })).toBeVisible();
    await expectAccessible(page, 'guide in review opened from the review queue');

    // Readers get no Reviews link, and no queue at its address.
    await switchUser(page, users.reader);
    await expect(page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reviews' })).toHaveCount(0);
    const refused = await page.goto('/review');
    expect(refused?.status()).toBe(403);
    await expect(page.getByRole('table', { name: 'Waiting for approval' })).toHaveCount(0);
    await expect(page.getByText(guide.title)).toHaveCount(0);
    await expectAccessible(page, 'review queue refused to a reader (403)');
  });
});
