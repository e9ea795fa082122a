/**
 * Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by
 * playwright-core (Playwright's own browser download does not work here). No browser
 * is a failure that says how to install one, never a skipped test.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const INSTALL = 'apt-get update && apt-get install -y chromium';

/** Playwright starts it with --headless and a fresh, temporary --user-data-dir of its own. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install it with \`${INSTALL}\` (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed: no background traffic, updates or sync.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
