// The admin console: sign in with a service API key, see the overview, find a dead letter (a
// webhook to a port that refuses connections) with its reason, replay it, and read its log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, API_KEY, TOKENS, launch, rest, eventually, screenshot, watchErrors, signIn } from './browser.mjs';

const USER = 'dora';

test('the console lists a dead letter with its reason and replays it', async () => {
  await rest('PUT', `/api/v1/users/${USER}/contact`, { webhookUrl: process.env.REFUSING_WEBHOOK_URL });
  const created = await rest('POST', '/api/v1/notifications',
    { recipients: [USER], type: 'invoice', title: 'Invoice ready', channels: ['inApp', 'webhook'] });
  const id = created.ids[0];
  const deliveryOf = async () => (await rest('GET', `/api/v1/notifications/${id}/deliveries`)).deliveries[0];
  const dead = await eventually('a dead webhook delivery', async () => {
    const d = await deliveryOf();
    return d && d.status === 'dead' ? d : null;
  });

  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    watchErrors(page, errors);
    await signIn(page, API_KEY);
    await page.locator('#connections td', { hasText: 'WebSocket' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'not kept unless asked');
    await page.locator('#by-channel td', { hasText: 'webhook' }).waitFor();

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator('#dead tr', { has: page.locator(`button[data-replay="${dead.id}"]`) });
    await row.waitFor();
    assert.ok(dead.reason, 'the delivery has a reason');
    assert.match(await row.textContent(), new RegExp(dead.reason.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // Beside them, what ingestion could never store, with the body to fix and resend.
    const ingest = page.locator('#ingest-dead tr', { hasText: 'order-7' });
    await ingest.waitFor();
    assert.match(await ingest.textContent(), /INVALID_ARGUMENT: type: required/);
    await ingest.locator('summary').click();
    await ingest.locator('pre', { hasText: '"title":"Order 7"' }).waitFor();
    await screenshot(page, 'admin-dead-letters.png');

    await row.getByRole('button', { name: 'Replay' }).click();
    await page.locator('#flash', { hasText: `Delivery ${dead.id} is pending again.` }).waitFor();
    await screenshot(page, 'admin-replayed.png');
    // The replay really ran it again: the delivery log holds one more attempt than before.
    const logged = async () => (await rest('GET', `/api/v1/notifications/${id}/deliveries`)).deliveries[0].history.length;
    await eventually('another attempt in the log', async () => (await logged()) > dead.attempts);

    await page.goto(`${BASE}/admin#log/${id}`);
    await page.locator('#log h3', { hasText: `webhook to ${USER}` }).waitFor();
    assert.ok(await page.locator('#log td').count() > 0);

    await page.getByRole('link', { name: 'Send a test' }).click();
    await page.getByLabel('Recipient user id').fill(USER);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#flash', { hasText: 'Sent: ' }).waitFor();
    assert.equal((await rest('GET', `/api/v1/notifications?userId=${USER}&type=test`)).notifications[0].title, 'Test notification');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a user token without role admin is refused at sign-in', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await signIn(page, TOKENS.wendy);
    await page.locator('#login-error', { hasText: 'no admin rights' }).waitFor();
    assert.equal(await page.locator('#console').isHidden(), true);
  } finally {
    await browser.close();
  }
});
