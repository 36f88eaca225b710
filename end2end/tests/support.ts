// Shared fixtures and helpers for the browser tests: every test imports `test` and `expect`
// from here, so every page it opens is watched for script errors and requests to other hosts.

import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';

export { expect };

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** The demo users run.sh gives a password to, by what the tests need them for. */
export const users = {
  /** Reader at NHS Fife. */
  reader: {
    email: process.env.TRUSTSHARE_READER_EMAIL ?? 'isla.placeholder@fife.nhs.example',
    name: 'Isla Placeholder',
    org: 'NHS Fife',
  },
  /** Editor at NHS Fife. */
  editor: {
    email: process.env.TRUSTSHARE_EDITOR_EMAIL ?? 'callum.sampleton@fife.nhs.example',
    name: 'Callum Sampleton',
    org: 'NHS Fife',
  },
  /** Publisher at NHS Fife. */
  publisher: {
    email: process.env.TRUSTSHARE_PUBLISHER_EMAIL ?? 'morag.testwell@fife.nhs.example',
    name: 'Morag Testwell',
    org: 'NHS Fife',
  },
  /** Reader at NHS Tayside, another organisation. */
  otherOrgReader: {
    email: process.env.TRUSTSHARE_OTHER_ORG_READER_EMAIL ?? 'duncan.trialford@tayside.nhs.example',
    name: 'Duncan Trialford',
    org: 'NHS Tayside',
  },
} as const;

export type TestUser = (typeof users)[keyof typeof users];

export function testPassword(): string {
  const password = process.env.TRUSTSHARE_TEST_PASSWORD;
  if (!password) {
    throw new Error('TRUSTSHARE_TEST_PASSWORD is not set: run the suite with end2end/run.sh');
  }
  return password;
}

/** Tags that limit a test to one project; the config leaves them out of the other. */
export const JS_ONLY = '@javascript-only';
export const NO_JS_ONLY = '@no-javascript-only';

/** The Content-Security-Policy of the document each page shows, from its response. */
const documentPolicies = new WeakMap<Page, string>();

/** What the page guard saw while a test ran. */
export interface PageGuard {
  /** Uncaught exceptions and console errors, in order. */
  errors: string[];
  /** Requests to any origin but the server's. */
  foreignRequests: string[];
  /** Every response for a URL under /pkg/ (the stylesheet and the islands bundle). */
  bundleResponses: { url: string; status: number }[];
}

function serverOrigin(testInfo: TestInfo): string {
  const baseURL = testInfo.project.use.baseURL;
  if (!baseURL) throw new Error('baseURL is not configured');
  return new URL(baseURL).origin;
}

/**
 * Watches a page for uncaught exceptions, console errors and requests to other hosts, and
 * fails the test at its end if there were any.
 */
function guardPage(page: Page, origin: string): PageGuard {
  const guard: PageGuard = { errors: [], foreignRequests: [], bundleResponses: [] };
  page.on('pageerror', (error) => guard.errors.push(`uncaught exception: ${error.stack ?? error.message}`));
  // Documents that answered with an error status on purpose (the tests check the status).
  const failedDocuments = new Set<string>();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    // Chromium logs every document that answers 4xx, such as a deliberate 404 page; that is
    // not a script error. Failed scripts, styles or wasm are still reported.
    if (
      failedDocuments.has(where) &&
      /^Failed to load resource: the server responded with a status of 4\d\d\b/.test(message.text())
    ) {
      return;
    }
    guard.errors.push(`console error${where ? ` (${where})` : ''}: ${message.text()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      guard.foreignRequests.push(url);
      return;
    }
    // data: and blob: URLs never leave the browser.
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return;
    if (parsed.origin !== origin) guard.foreignRequests.push(url);
  });
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      if (response.status() >= 400) failedDocuments.add(response.url());
      const policy = response.headers()['content-security-policy'];
      if (policy) documentPolicies.set(page, policy);
      else documentPolicies.delete(page);
    }
    const url = new URL(response.url());
    if (url.origin === origin && url.pathname.startsWith('/pkg/')) {
      guard.bundleResponses.push({ url: url.pathname, status: response.status() });
    }
  });
  return guard;
}

export const test = base.extend<{ pageGuard: PageGuard }>({
  pageGuard: [
    async ({ page }, use, testInfo) => {
      const guard = guardPage(page, serverOrigin(testInfo));
      await use(guard);
      expect(guard.foreignRequests, 'requests went to hosts other than the Trustshare server').toEqual([]);
      expect(guard.errors, 'the page reported script errors').toEqual([]);
    },
    { auto: true },
  ],
});

/** The WCAG levels every page must meet. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Runs axe on the page as it is now and fails, listing each violation readably, unless
 * there are none.
 */
export async function expectAccessible(page: Page, what?: string): Promise<void> {
  const label = what ?? new URL(page.url()).pathname + new URL(page.url()).search;
  await test.step(`accessibility check: ${label}`, async () => {
    const results = await runAxe(page);
    const report = results.violations
      .map((v) => {
        const nodes = v.nodes
          .map((n) => {
            const summary = (n.failureSummary ?? '').replace(/\n/g, '\n        ');
            return `    - ${n.target.join(' ')}\n      ${n.html}\n        ${summary}`;
          })
          .join('\n');
        return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
      })
      .join('\n');
    expect(
      results.violations.length,
      `axe found ${results.violations.length} accessibility violation(s) on ${label}:\n${report}\n`,
    ).toBe(0);
  });
}

/**
 * Runs axe on the page. In the no-javascript project Chromium refuses every script in the
 * page, axe's included, so axe runs on a copy: the page's current HTML served, under the
 * page's own security policy with every page script forbidden, to a page in a separate
 * scripted browser context, with the stylesheet and images still fetched from the server.
 */
async function runAxe(page: Page): Promise<AxeResults> {
  const axe = (target: Page) => new AxeBuilder({ page: target }).withTags(WCAG_TAGS).analyze();
  const use = test.info().project.use;
  if (use.javaScriptEnabled !== false) return axe(page);

  const html = await page.content();
  const policy = withoutPageScripts(documentPolicies.get(page));
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser to open the copy of the page in');
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
    locale: use.locale,
  });
  try {
    const copy = await context.newPage();
    await copy.route('**/*', (route) =>
      route.request().isNavigationRequest()
        ? route.fulfill({
            status: 200,
            contentType: 'text/html; charset=utf-8',
            headers: { 'content-security-policy': policy },
            body: html,
          })
        : route.continue(),
    );
    await copy.goto(page.url());
    return await axe(copy);
  } finally {
    await context.close();
  }
}

/** A Content-Security-Policy like `policy` but allowing no script at all. */
function withoutPageScripts(policy: string | undefined): string {
  const directives = (policy ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^script-src(-elem|-attr)?(\s|$)/i.test(d));
  return [...directives, "script-src 'none'"].join('; ');
}

/** The account area of the header. */
export function accountNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Account' });
}

/** Fills and submits the sign-in form on the current page (which must be /login). */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Signs in through the form, starting at /login (optionally with ?next=), and waits until the
 * header shows the user's name.
 */
export async function signIn(page: Page, user: TestUser, options: { next?: string } = {}): Promise<void> {
  await test.step(`sign in as ${user.email}`, async () => {
    const path = options.next ? `/login?next=${encodeURIComponent(options.next)}` : '/login';
    await page.goto(path);
    await submitSignIn(page, user.email, testPassword());
    await expect(accountNav(page)).toContainText(`${user.name} (${user.org})`);
  });
}

/**
 * Forgets whoever is signed in on this page's browser context (its cookies), so the next
 * request is anonymous, without visiting a page.
 */
export async function signOutQuietly(page: Page): Promise<void> {
  await page.context().clearCookies();
}

/** Signs in as another user in the same page: the previous session's cookies are dropped first. */
export async function switchUser(page: Page, user: TestUser): Promise<void> {
  await signOutQuietly(page);
  await signIn(page, user);
}

/**
 * A suffix unique to this run of this test in this project, usable in titles and web
 * addresses (lower-case letters, digits and hyphens): the two projects share one server, and
 * a PostgreSQL database may outlive a run.
 */
export function uniqueSuffix(testInfo: TestInfo): string {
  const random = Math.floor(Math.random() * 36 ** 3).toString(36);
  return `${testInfo.project.name}-${Date.now().toString(36)}${random}`;
}
