import { defineConfig } from '@playwright/test';

// The server is started by run.sh, which exports its address; the tests never start one.
const baseURL = process.env.TRUSTSHARE_URL;
if (!baseURL) {
  throw new Error('TRUSTSHARE_URL is not set: run the suite with end2end/run.sh');
}

// Debian's Chromium, not a browser downloaded by Playwright (downloads do not work here).
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: 'tests',
  // A 2-core machine: one browser at a time keeps the server's password hashing and the
  // browser from starving each other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    headless: true,
    launchOptions,
    locale: 'en-GB',
    trace: 'off',
    screenshot: 'off',
    video: 'off',
  },
  // Every test runs in both projects, with and without JavaScript, unless it is tagged
  // @javascript-only or @no-javascript-only.
  projects: [
    {
      name: 'javascript',
      use: { javaScriptEnabled: true },
      // Tests tagged for the other mode only (see tests/support.ts).
      grepInvert: /@no-javascript-only/,
    },
    {
      name: 'no-javascript',
      use: { javaScriptEnabled: false },
      grepInvert: /@javascript-only/,
    },
  ],
});
