// What the browser tests share: Debian's chromium (never a downloaded one), the server's address
// and credentials from BrowserEndToEndTest, REST helpers that check every answer, and screenshots.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

export const BASE = process.env.HERALD_URL;
export const API_KEY = process.env.HERALD_API_KEY;
export const TOKENS = JSON.parse(process.env.HERALD_TOKENS || '{}');
const ARTIFACTS = process.env.ARTIFACTS_DIR || 'artifacts';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A REST call that must succeed; `credential` defaults to the API key. */
export async function rest(method, route, body, credential = API_KEY) {
  const res = await fetch(BASE + route, {
    method,
    headers: { Authorization: `Bearer ${credential}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function status(route, credential = API_KEY) {
  return (await fetch(BASE + route, { headers: { Authorization: `Bearer ${credential}` } })).status;
}

/** Polls `check` until it returns a truthy value (no fixed sleeps), or fails after `timeoutMs`. */
export async function eventually(what, check, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
}

/**
 * Collects what went wrong on a page: uncaught errors, console errors, and any answer >= 400 but
 * the favicon's (Herald has none). The browser's own "Failed to load resource" line is left out,
 * as the response itself is reported with its URL.
 */
export function watchErrors(page, errors) {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !new URL(r.url()).pathname.endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
  });
}

/** Signs in to the admin console with a service API key or an admin JWT. */
export async function signIn(page, credential) {
  await page.goto(`${BASE}/admin`);
  await page.getByLabel('Service API key or admin JWT').fill(credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
