// The inbox widget on its demo page: the unread count, a live notification created over REST with
// its toast, mark read in one tab dropping the count in another, infinite scroll, and the
// preferences panel changing GET /notifications/preferences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, TOKENS, launch, rest, eventually, screenshot, watchErrors } from './browser.mjs';

const USER = 'wendy';
const token = TOKENS[USER];
const badge = (page) => page.locator('herald-inbox #count');

async function openDemo(context) {
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await page.goto(`${BASE}/widget/demo#token=${token}`);
  await page.locator('herald-inbox #state', { hasText: 'live' }).waitFor({ state: 'attached' });
  return { page, errors };
}

const create = (title, extra = {}) => rest('POST', '/api/v1/notifications',
  { recipients: [USER], type: 'comment', title, message: `${title} body`, ...extra });

test('the widget counts, receives live, and read state follows to another tab', async () => {
  // 23 unread: more than one page (20), so the list must scroll to show the oldest.
  for (let i = 1; i <= 23; i++) await create(`Earlier ${i}`);
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    const one = await openDemo(context);
    const two = await openDemo(context);
    for (const tab of [one, two]) await eventually('the count of 23', async () => (await badge(tab.page).textContent()) === '23');
    assert.equal(await one.page.locator('herald-inbox #bell').getAttribute('aria-label'), 'Notifications, 23 unread');

    // The dropdown pages in the rest as it scrolls.
    await one.page.locator('herald-inbox #bell').click();
    await eventually('the first page', async () => (await one.page.locator('herald-inbox .item').count()) === 20);
    await one.page.locator('herald-inbox #list').evaluate((l) => { l.scrollTop = l.scrollHeight; });
    await eventually('all 23 after scrolling', async () => (await one.page.locator('herald-inbox .item').count()) === 23);
    assert.equal(await one.page.locator('herald-inbox .item', { hasText: 'Earlier 1 body' }).count(), 1, 'the oldest is listed');

    const created = await create('Live one', { priority: 'high' });
    const id = created.ids[0];
    await eventually('the live count in both tabs', async () =>
      (await badge(one.page).textContent()) === '24' && (await badge(two.page).textContent()) === '24');
    await one.page.locator('herald-inbox .toast', { hasText: 'Live one' }).waitFor();
    const item = one.page.locator(`herald-inbox .item[data-id="${id}"]`);
    assert.match(await item.getAttribute('class'), /unread/);
    await screenshot(one.page, 'widget.png');

    // Keyboard: the first item is the new one; Enter marks it read.
    await one.page.locator('herald-inbox #list .item').first().focus();
    await one.page.keyboard.press('Enter');
    await eventually('the count dropping in the other tab', async () => (await badge(two.page).textContent()) === '23');
    assert.equal(await badge(one.page).textContent(), '23');
    assert.doesNotMatch(await item.getAttribute('class'), /unread/);
    const stored = await rest('GET', `/api/v1/notifications/${id}?userId=${USER}`);
    assert.ok(stored.readAt, 'the server has it read');

    // Mark all read from the second tab: the first tab's badge disappears.
    await two.page.locator('herald-inbox #bell').click();
    await two.page.locator('herald-inbox #mark-all').click();
    await eventually('no unread left in the first tab', async () => await badge(one.page).isHidden());
    assert.equal((await rest('GET', `/api/v1/notifications?userId=${USER}&limit=1`)).unreadCount, 0);
    assert.deepEqual([...one.errors, ...two.errors], []);
  } finally {
    await browser.close();
  }
});

test('the preferences panel changes GET /notifications/preferences', async () => {
  const browser = await launch();
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const { page, errors } = await openDemo(context);
    await page.locator('herald-inbox #bell').click();
    await page.locator('herald-inbox #show-prefs').click();
    const email = page.getByRole('checkbox', { name: 'Email for All types' });
    await email.waitFor();
    assert.equal(await email.isChecked(), true);
    await email.uncheck();
    const mine = () => rest('GET', '/api/v1/notifications/preferences', null, token);
    await eventually('email off', async () => (await mine()).channels.email === false);

    // A type's switch, its digest and quiet hours.
    const pushForComment = page.getByRole('checkbox', { name: 'Push for comment' });
    await pushForComment.uncheck();
    await eventually('comment push off', async () => ((await mine()).types.comment || {}).push === false);
    await page.getByRole('combobox', { name: 'Digest for comment' }).selectOption('daily');
    await eventually('a daily comment digest', async () => ((await mine()).digest.comment || {}).frequency === 'daily');
    await page.getByRole('textbox', { name: 'Time zone' }).fill('Europe/Paris');
    await page.locator('herald-inbox input[name=quiet-start]').fill('21:30');
    await page.locator('herald-inbox input[name=quiet-end]').fill('06:45');
    await page.locator('herald-inbox button[name=quiet-save]').click();
    await eventually('quiet hours', async () => {
      const q = (await mine()).quietHours;
      return q && q.start === '21:30' && q.end === '06:45' && q.timezone === 'Europe/Paris';
    });
    await page.locator('herald-inbox .prefs-state', { hasText: 'Saved' }).waitFor();
    await screenshot(page, 'widget-preferences.png');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a token provider is asked again when the server refuses its token', async () => {
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    watchErrors(page, errors);
    await page.goto(`${BASE}/widget/demo`);
    // The first token has expired: the socket's TOKEN_EXPIRED and the REST 401 both ask again.
    await page.evaluate(([expired, good]) => {
      window.asked = 0;
      document.getElementById('inbox').tokenProvider = async () => (window.asked++ === 0 ? expired : good);
    }, [TOKENS['wendy-expired'], token]);
    await page.locator('herald-inbox #state', { hasText: 'live' }).waitFor({ state: 'attached' });
    assert.ok(await page.evaluate(() => window.asked) >= 2, 'the provider was asked again');
    await create('After refresh');
    await page.locator('herald-inbox .toast', { hasText: 'After refresh' }).waitFor();
    // Only the refused attempt's 401 may appear; nothing else went wrong.
    assert.deepEqual(errors.filter((e) => !e.startsWith('401 ')), []);
  } finally {
    await browser.close();
  }
});
