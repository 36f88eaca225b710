import { accountNav, expect, expectAccessible, signIn, submitSignIn, test, testPassword, users } from './support';

test.describe('signing in and out', () => {
  test('a reader signs in, sees their name in the header and signs out', async ({ page }) => {
    await page.goto('/');
    await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'home (signed out)');

    await accountNav(page).getByRole('link', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login\?next=\/$/);
    await expect(page).toHaveTitle('Sign in – Trustshare');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in to Trustshare' })).toBeVisible();
    await expectAccessible(page, 'login');

    await submitSignIn(page, users.reader.email, testPassword());

    await expect(page).toHaveURL(/\/$/);
    await expect(accountNav(page)).toContainText('Isla Placeholder (NHS Fife)');
    await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toHaveCount(0);
    await expectAccessible(page, 'home (signed in)');

    await accountNav(page).getByRole('button', { name: 'Sign out' }).click();

    await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(accountNav(page)).not.toContainText('Isla Placeholder');
    await expect(accountNav(page).getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    // The session is really gone, not just the header: people are hidden again.
    await page.goto('/orgs/nhs-fife');
    await expect(page.getByRole('table', { name: 'People' })).toHaveCount(0);
  });

  test('signing in from a page returns to that page', async ({ page }) => {
    await page.goto('/orgs/nhs-fife');
    await accountNav(page).getByRole('link', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/login\?next=\/orgs\/nhs-fife$/);

    await submitSignIn(page, users.editor.email, testPassword());

    await expect(page).toHaveURL(/\/orgs\/nhs-fife$/);
    await expect(accountNav(page)).toContainText('Callum Sampleton (NHS Fife)');
    await expect(page.getByRole('table', { name: 'People' })).toBeVisible();
  });

  test('the sign-in page says who is signed in instead of showing the form', async ({ page }) => {
    await signIn(page, users.publisher);
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1, name: 'You are signed in' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(
      `You are signed in as Morag Testwell (${users.publisher.email}), NHS Fife.`,
    );
    await expect(page.getByLabel('Email address')).toHaveCount(0);
    await expectAccessible(page, 'login (signed in)');
  });
});

test.describe('failed sign-in', () => {
  test('a wrong password shows the error summary, keeps the typed email and links to the field', async ({
    page,
  }) => {
    await page.goto('/login');
    // A real account with the wrong password: the answer must not tell which part was wrong.
    await submitSignIn(page, users.otherOrgReader.email, 'not-the-right-password-123');

    await expect(page).toHaveURL(/\/login\?.*error=invalid/);
    await expect(page).toHaveTitle('Error: Sign in – Trustshare');
    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    const summaryLink = summary.getByRole('link', { name: /Enter a correct email address and password/ });
    await expect(summaryLink).toHaveAttribute('href', '#email');

    const email = page.getByLabel('Email address');
    await expect(email).toHaveValue(users.otherOrgReader.email);
    await expect(email).toHaveAccessibleDescription('Error: The email address or password is not correct');
    // The password is never sent back.
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(accountNav(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page, 'login with a wrong password');

    await summaryLink.click();
    await expect(page).toHaveURL(/#email$/);
    await expect(email).toBeFocused();
  });

  test('an unknown account gets the same answer as a wrong password', async ({ page }) => {
    await page.goto('/login');
    await submitSignIn(page, 'nobody.atall@fife.nhs.example', 'any-password-at-all-42');

    await expect(page.getByRole('alert').getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(page.getByRole('alert').getByRole('link')).toHaveText([
      // Lock-outs hold per account and client address (issue 7), and the message says so.
      'Enter a correct email address and password. After several wrong passwords, signing in to the account from your network is paused for 15 minutes.',
    ]);
    await expect(page.getByLabel('Email address')).toHaveValue('nobody.atall@fife.nhs.example');
    await expectAccessible(page, 'login with an unknown account');
  });

  test('an empty form asks for both fields, each error linking to its field', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const summary = page.getByRole('alert');
    await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
    await expect(summary.getByRole('link')).toHaveText(['Enter your email address', 'Enter your password']);
    await expect(summary.getByRole('link', { name: 'Enter your email address' })).toHaveAttribute('href', '#email');
    await expect(summary.getByRole('link', { name: 'Enter your password' })).toHaveAttribute('href', '#password');

    const email = page.getByLabel('Email address');
    const password = page.getByLabel('Password', { exact: true });
    await expect(email).toHaveAccessibleDescription('Error: Enter your email address');
    await expect(password).toHaveAccessibleDescription('Error: Enter your password');
    await expectAccessible(page, 'login with empty fields');

    await summary.getByRole('link', { name: 'Enter your password' }).click();
    await expect(page).toHaveURL(/#password$/);
    await expect(password).toBeFocused();

    await summary.getByRole('link', { name: 'Enter your email address' }).click();
    await expect(page).toHaveURL(/#email$/);
    await expect(email).toBeFocused();
  });
});
