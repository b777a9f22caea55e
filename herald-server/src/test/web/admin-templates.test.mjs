// The admin console's templates page on the templates API (issue 10): create one, edit it, preview
// it with variables. BrowserEndToEndTest runs this file only when the server has that API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, launch, screenshot, watchErrors, signIn } from './browser.mjs';

test('the console edits and previews a template', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = [];
    watchErrors(page, errors);
    await signIn(page, API_KEY);
    await page.locator('#connections td').first().waitFor();
    await page.getByRole('link', { name: 'Templates' }).click();
    const key = `console-${Date.now()}`;
    await page.locator('#t-key').fill(key);
    await page.locator('#t-channel').selectOption('email');
    await page.locator('#t-subject').fill('Hello {{ name }}');
    await page.locator('#t-body').fill('Dear {{ name }}, welcome.');
    await page.locator('#t-variables').fill('name');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('#flash', { hasText: `Template ${key} saved.` }).waitFor();
    await page.locator('#templates td', { hasText: key }).waitFor();

    await page.locator('#t-body').fill('Dear {{ name }}, welcome back.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#flash', { hasText: `Template ${key} saved.` }).waitFor();
    await page.locator('#t-preview-vars').fill('{"name": "Ada"}');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('#preview pre[data-part=subject]', { hasText: 'Hello Ada' }).waitFor();
    await page.locator('#preview pre[data-part=body]', { hasText: 'Dear Ada, welcome back.' }).waitFor();
    await screenshot(page, 'admin-templates.png');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
