// Token refresh on a live socket: the widget's first token lives a few seconds; the server's
// `token:expiring` (TOKEN_EXPIRING_NOTICE_SECONDS is small in BrowserEndToEndTest) makes the widget
// ask its token provider and hand the new token over with `auth:refresh`, so the same socket stays
// connected past the first token's exp and still receives live notifications. A refresh the server
// refuses (FORBIDDEN: a token of another team) falls back to a new connection with the new token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { BASE, launch, rest, eventually, watchErrors } from './browser.mjs';

const SECRET = process.env.HERALD_JWT_SECRET;

/** An HS256 token as Herald's TokenIssuer makes them, living `seconds`. */
function mint(user, seconds, team = 'team-web') {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user, user_id: user, team_id: team, iat: now,
    exp: now + seconds, jti: randomUUID() })}`;
  return { token: `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`, exp: (now + seconds) * 1000 };
}

/** Opens the demo page with a provider minting here, in Node, at each call: `tokens(n)` → [seconds, team]. */
async function openWithProvider(browser, user, tokens) {
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  watchErrors(page, errors);
  const issued = [];
  await page.exposeFunction('mintToken', () => {
    const t = mint(user, ...tokens(issued.length));
    issued.push(t);
    return t.token;
  });
  await page.goto(`${BASE}/widget/demo`);
  await page.evaluate(() => {
    const inbox = document.getElementById('inbox');
    // Every status line the widget shows, in order (each lasts only until the next).
    window.states = [];
    const state = inbox.shadowRoot.getElementById('state');
    // Setting textContent replaces the text node: each record's added node keeps that line, even
    // when several lines are set in one task (the observer runs once, after them).
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) window.states.push(n.textContent);
    }).observe(state, { childList: true });
    inbox.tokenProvider = () => window.mintToken();
  });
  await page.locator('herald-inbox #state', { hasText: 'live' }).waitFor({ state: 'attached' });
  return { page, errors, issued };
}

const socketsOf = async (user) => (await rest('GET', `/api/v1/realtime/users/${user}`)).socketIds || [];

test('the widget stays connected past its first token\'s expiry by refreshing it live', async () => {
  assert.ok(SECRET, 'HERALD_JWT_SECRET is set');
  const browser = await launch();
  try {
    // The first token lives 8 s, the next one an hour.
    const { page, errors, issued } = await openWithProvider(browser, 'tess', (n) => [n === 0 ? 8 : 3600]);
    const first = await eventually('one socket for the user', async () => {
      const ids = await socketsOf('tess');
      return ids.length === 1 && ids;
    });

    await eventually('the provider asked again on token:expiring', async () => issued.length === 2, 15_000);
    const firstExpiry = issued[0].exp;
    // Past the first token's exp (the server disconnects at exp itself), with a margin.
    await eventually('the first token expired', async () => Date.now() > firstExpiry + 2_000, 20_000);
    assert.deepEqual(await socketsOf('tess'), first, 'the same socket, never reconnected');
    assert.equal(issued.length, 2, 'no other token was needed');
    assert.equal(await page.locator('herald-inbox #state').textContent(), 'live');

    await rest('POST', '/api/v1/notifications', { recipients: ['tess'], type: 'comment', title: 'After expiry', message: 'still here' });
    await page.locator('herald-inbox .toast', { hasText: 'After expiry' }).waitFor();
    assert.deepEqual(await socketsOf('tess'), first);
    assert.equal((await page.evaluate(() => window.states)).filter((t) => t !== 'live').length, 0, 'never left live');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test('a refresh the server refuses falls back to a new connection with the new token', async () => {
  const browser = await launch();
  try {
    // The second token names another team: auth:refresh answers FORBIDDEN, the widget reconnects.
    const { page, errors, issued } = await openWithProvider(browser, 'theo', (n) => (n === 0 ? [8] : [3600, 'team-other']));
    const first = await eventually('one socket for the user', async () => {
      const ids = await socketsOf('theo');
      return ids.length === 1 && ids;
    });
    await eventually('the provider asked again on token:expiring', async () => issued.length === 2, 15_000);
    const second = await eventually('a new socket, the old one gone', async () => {
      const ids = await socketsOf('theo');
      return ids.length === 1 && ids[0] !== first[0] && ids;
    });
    await eventually('the first token expired', async () => Date.now() > issued[0].exp + 2_000, 20_000);
    assert.deepEqual(await socketsOf('theo'), second, 'the new connection outlives the first token');
    await page.locator('herald-inbox #state', { hasText: 'live' }).waitFor({ state: 'attached' });
    await rest('POST', '/api/v1/notifications', { recipients: ['theo'], type: 'comment', title: 'After fallback', message: 'here' });
    await page.locator('herald-inbox .toast', { hasText: 'After fallback' }).waitFor();
    // The reconnection came from the refused refresh, not from the server ending the session at exp.
    assert.ok((await page.evaluate(() => window.states)).includes('token refresh refused (FORBIDDEN): reconnecting'),
      'the widget said the refresh was refused');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
