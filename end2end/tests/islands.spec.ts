import { accountNav, expect, expectAccessible, JS_ONLY, NO_JS_ONLY, submitSignIn, test, testPassword, users } from './support';

test.describe('the password field island', () => {
  test('with JavaScript the Show password button appears and toggles the input type', { tag: JS_ONLY }, async ({
    page,
    pageGuard,
  }) => {
    // The bundle is named after its content (scripts/fingerprint.mjs) and kept for a year.
    const bundle = page.waitForResponse((r) => /^\/pkg\/trustshare-[0-9a-f]{16}_bg\.wasm$/.test(new URL(r.url()).pathname));
    await page.goto('/login');
    expect((await bundle).status()).toBe(200);
    expect((await bundle).headers()['cache-control']).toBe('public, max-age=31536000, immutable');

    const password = page.getByLabel('Password', { exact: true });
    const toggle = page.getByRole('button', { name: 'Show password' });
    // The button only appears once the island has hydrated.
    await expect(toggle).toBeVisible();
    await expect(toggle).toHaveAttribute('aria-controls', 'password');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await expect(password).toHaveAttribute('type', 'password');

    await password.fill(testPassword());
    await toggle.click();
    const hide = page.getByRole('button', { name: 'Hide password' });
    await expect(hide).toHaveAttribute('aria-pressed', 'true');
    await expect(password).toHaveAttribute('type', 'text');
    await expect(password).toHaveValue(testPassword());
    await expectAccessible(page, 'login with the password shown');

    await hide.click();
    await expect(page.getByRole('button', { name: 'Show password' })).toHaveAttribute('aria-pressed', 'false');
    await expect(password).toHaveAttribute('type', 'password');

    // The island does not get in the way of the form.
    await page.getByLabel('Email address').fill(users.reader.email);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(accountNav(page)).toContainText('Isla Placeholder (NHS Fife)');

    // The bundle came from the server and ran without errors; the fixture also fails the test
    // on any console error or request to another host.
    expect(pageGuard.bundleResponses.filter((r) => r.status >= 400)).toEqual([]);
    expect(pageGuard.bundleResponses.map((r) => r.url)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/pkg\/trustshare-[0-9a-f]{16}\.js$/),
        expect.stringMatching(/^\/pkg\/trustshare-[0-9a-f]{16}_bg\.wasm$/),
      ]),
    );
    expect(pageGuard.errors).toEqual([]);
    expect(pageGuard.foreignRequests).toEqual([]);
  });

  test('without JavaScript the button stays hidden and sign-in still works', { tag: NO_JS_ONLY }, async ({
    page,
  }) => {
    await page.goto('/login');
    const toggle = page.getByRole('button', { name: 'Show password', includeHidden: true });
    await expect(toggle).toHaveCount(1);
    await expect(toggle).toBeHidden();
    await expect(toggle).toHaveAttribute('hidden', '');
    await expect(page.getByRole('button', { name: 'Show password' })).toHaveCount(0);
    const password = page.getByLabel('Password', { exact: true });
    await expect(password).toHaveAttribute('type', 'password');
    await expectAccessible(page, 'login without JavaScript');

    await submitSignIn(page, users.reader.email, testPassword());
    await expect(page).toHaveURL(/\/$/);
    await expect(accountNav(page)).toContainText('Isla Placeholder (NHS Fife)');
  });
});
