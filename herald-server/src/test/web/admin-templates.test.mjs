// The admin console's templates page on the templates API (herald-api TemplatesHttpService):
// create one, edit it, preview it with variables, delete it; the server's copy follows each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY, launch, rest, status, screenshot, watchErrors, signIn } from './browser.mjs';

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
    await page.locator('#preview', { hasText: 'version 2' }).waitFor();
    const stored = await rest('GET', `/api/v1/admin/templates/${key}`);
    assert.equal(stored.version, 2);
    assert.deepEqual(stored.variants.map((v) => [v.channel, v.locale, v.subject, v.body, v.variables]),
      [['email', 'default', 'Hello {{ name }}', 'Dear {{ name }}, welcome back.', ['name']]]);
    await screenshot(page, 'admin-templates.png');

    page.once('dialog', (d) => d.accept());
    await page.locator(`#templates button[data-delete="${key}"]`).click();
    await page.locator('#flash', { hasText: `Template ${key} (email, default) deleted.` }).waitFor();
    assert.equal(await page.locator('#templates td', { hasText: key }).count(), 0);
    assert.equal(await status(`/api/v1/admin/templates/${key}`), 404);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
