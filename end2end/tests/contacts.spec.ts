// The contact directory in the browser, with and without JavaScript: anonymous visitors are sent
// to sign in, the filters and the name search, a contact's page with its vCard, and a
// publisher's CSV import: the dry run with each row's problems, then the confirmation. Every
// page is checked with axe.

import { expect, expectAccessible, signIn, test, uniqueSuffix, users } from './support';

test.describe('contacts', () => {
  test('anonymous visitors are sent to sign in and come back to the directory', async ({ page }) => {
    await page.goto('/contacts?nation=wales');
    await expect(page).toHaveURL(/\/login\?next=%2Fcontacts%3Fnation%3Dwales$/);
    await expect(page.getByText('Siân Ní Bhriain')).toHaveCount(0);
    await signIn(page, users.reader, { next: '/contacts?nation=wales' });
    await expect(page).toHaveURL(/\/contacts\?nation=wales$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Siân Ní Bhriain' })).toBeVisible();
  });

  test('the filters and the name search narrow the directory, and a contact page offers its vCard', async ({ page }) => {
    await signIn(page, users.reader);
    await page.goto('/contacts');
    await expectAccessible(page, 'contact directory');
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Registration authority manager' });
    await page.getByLabel('Nation', { exact: true }).selectOption({ label: 'Wales' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/role=registration-authority-manager/);
    await expect(page).toHaveURL(/nation=wales/);
    const results = page.locator('.ts-results .ts-result');
    await expect(results).toHaveCount(1);
    await expect(results.first()).toContainText('Gwenllïan Wyn');
    await expect(results.first()).toContainText('Not verified since');
    await expect(page.getByLabel('Role', { exact: true })).toHaveValue('registration-authority-manager');
    await expectAccessible(page, 'contact directory, filtered');

    // The name search ignores accents and apostrophes.
    await page.goto('/contacts');
    await page.getByLabel('Name', { exact: true }).fill('oneill');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator('.ts-results .ts-result')).toHaveCount(1);
    await page.getByRole('link', { name: "Aoife O'Neill" }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Aoife O'Neill");
    await expect(page.getByRole('link', { name: 'aoife.oneill@belfasttrust.hscni.example' })).toBeVisible();
    const card = page.getByRole('link', { name: 'Download contact card (vCard)' });
    await expect(card).toHaveAttribute('href', '/contacts/aoife-o-neill.vcf');
    await expectAccessible(page, 'contact page');
    const response = await page.request.get('/contacts/aoife-o-neill.vcf');
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/vcard; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('BEGIN:VCARD\r\nVERSION:4.0\r\n');
    expect(text).toContain("FN:Aoife O'Neill\r\n");
  });

  test("a publisher's CSV dry run lists each row's problems and the confirmation imports the valid rows", async ({ page }, testInfo) => {
    const suffix = uniqueSuffix(testInfo);
    const csv = [
      'name,job_title,organisation,roles,email,phone,team,initiatives,last_verified,visibility',
      `"Eilidh Ní Dhomhnaill","Lead, smartcards",nhs-fife,Trainer,eilidh-${suffix}@fife.nhs.example,01632 960901,,Smartcards,2026-10-01,network`,
      `Bad Email,,nhs-fife,Trainer,not-an-email-${suffix},,,,2026-10-01,network`,
    ].join('\n');
    await signIn(page, users.publisher);
    await page.goto('/contacts');
    await page.getByRole('link', { name: 'Import contacts from CSV' }).click();
    await expect(page).toHaveURL(/\/contacts\/import$/);
    await expectAccessible(page, 'contact import');
    await page.getByLabel('CSV text').fill(csv);
    await page.getByRole('button', { name: 'Check the file' }).click();
    const report = page.getByRole('region', { name: 'Check of the file' });
    await expect(report).toContainText('1 row can be imported; 1 row has problems. Nothing has been imported yet.');
    await expect(report.getByRole('row', { name: /Bad Email/ })).toContainText('Enter an email address in the correct format');
    await expect(report.getByRole('row', { name: /Eilidh Ní Dhomhnaill/ })).toContainText('Ready');
    // The text is kept for the confirmation.
    await expect(page.getByLabel('CSV text')).toHaveValue(csv);
    await expectAccessible(page, 'contact import, dry run');
    await page.getByRole('button', { name: 'Import 1 contact' }).click();
    await expect(page).toHaveURL(/\/contacts$/);
    await expect(page.getByText('Imported 1 contact; 1 row with problems was left out')).toBeVisible();
  });
});
