// Token refresh on a live socket: the widget's first token lives a few seconds; the server's
// `token:expiring` (TOKEN_EXPIRING_NOTICE_SECONDS is small in BrowserEndToEndTest) makes the widget
// ask its token provider and hand the new token over with `auth:refresh`, so the same socket stays
// connected past the first token's exp and still receives live notifications.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { BASE, launch, rest, eventually, watchErrors } from './browser.mjs';

const USER = 'tess';
const SECRET = process.env.HERALD_JWT_SECRET;

/** An HS256 token as Herald's TokenIssuer makes them, living `seconds`. */
function mint(seconds) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: USER, user_id: USER, team_id: 'team-web', iat: now,
    exp: now + seconds, jti: randomUUID() })}`;
  return { token: `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`, exp: (now + seconds) * 1000 };
}

const socketsOf = async () => (await rest('GET', `/api/v1/realtime/users/${USER}`)).socketIds || [];

test('the widget stays connected past its first token\'s expiry by refreshing it live', async () => {
  assert.ok(SECRET, 'HERALD_JWT_SECRET is set');
  const browser = await launch();
  try {
    const page = await (await browser.newContext()).newPage();
    const errors = [];
    watchErrors(page, errors);
    const issued = [];
    // The provider runs here, in Node: each call mints at that moment (the first lives 8 s).
    await page.exposeFunction('mintToken', () => {
      const t = mint(issued.length === 0 ? 8 : 3600);
      issued.push(t);
      return t.token;
    });
    await page.goto(`${BASE}/widget/demo`);
    await page.evaluate(() => { document.getElementById('inbox').tokenProvider = () => window.mintToken(); });
    await page.locator('herald-inbox #state', { hasText: 'live' }).waitFor({ state: 'attached' });
    const first = await eventually('one socket for the user', async () => {
      const ids = await socketsOf();
      return ids.length === 1 && ids;
    });

    await eventually('the provider asked again on token:expiring', async () => issued.length === 2, 15_000);
    const firstExpiry = issued[0].exp;
    // Past the first token's exp (the server disconnects at exp itself), with a margin.
    await eventually('the first token expired', async () => Date.now() > firstExpiry + 2_000, 20_000);
    assert.deepEqual(await socketsOf(), first, 'the same socket, never reconnected');
    assert.equal(issued.length, 2, 'no other token was needed');
    assert.equal(await page.locator('herald-inbox #state').textContent(), 'live');

    await rest('POST', '/api/v1/notifications', { recipients: [USER], type: 'comment', title: 'After expiry', message: 'still here' });
    await page.locator('herald-inbox .toast', { hasText: 'After expiry' }).waitFor();
    assert.deepEqual(await socketsOf(), first);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
