// End-to-end test of the dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). Started by system-tests' DashboardBrowserSystemTest against the real
// processes; it can also run by hand against `./run.sh` (see README).
//
// The story: sign in as a new user → connect the mock provider (the connect page names the account;
// press Continue) → connected → the grant is revoked
// at the provider → token-refresher's next attempt gets invalid_grant → the amber banner with the
// right copy → Reconnect (confirm page, Continue) → banner gone, the same auth profile active again. Then pause → red banner
// → resume → gone. Then the admin view: a member's connection breaks → the owner opens "Admin view",
// sees the counts and the member in "Users who need to reconnect", and the member's history.
// Screenshots of every state go to $ARTIFACTS.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import assert from 'node:assert/strict';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`missing environment variable ${name}`);
  return v;
};
const GATEWAY = env('GATEWAY_URL', 'http://localhost:8080');
const MOCK = env('MOCK_URL', 'http://localhost:8090');
const EMAIL = env('E2E_EMAIL');
const PASSWORD = env('E2E_PASSWORD');
const CLIENT_ID = env('E2E_CLIENT_ID');
const CLIENT_SECRET = env('E2E_CLIENT_SECRET');
const ARTIFACTS = env('ARTIFACTS', 'artifacts');
const BANNER_TIMEOUT_MS = Number(env('BANNER_TIMEOUT_MS', '90000'));
const CONNECTOR = env('E2E_CONNECTOR', 'mock');
const MOCK_USER = env('E2E_MOCK_USER', 'demo');

mkdirSync(ARTIFACTS, { recursive: true });
const step = (name) => console.log(`e2e: ${name}`);

async function workerToken() {
  const res = await fetch(`${GATEWAY}/oauth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'tokens:read health:report' }),
  });
  const body = await res.text();
  assert.equal(res.status, 200, `client_credentials: ${body}`);
  return JSON.parse(body).access_token;
}

// What a worker does before each poll: ask token-refresher for a fresh provider token.
async function fetchProviderToken(profileId) {
  const res = await fetch(`${GATEWAY}/api/connections/${profileId}/access-token`, {
    method: 'POST', headers: { Authorization: `Bearer ${await workerToken()}` } });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function profiles(page) {
  // Read the user's profiles with the dashboard's own session (same-origin fetch from the page).
  return page.evaluate(async () => {
    const rt = sessionStorage.getItem('linkguard.refresh_token');
    const tok = await fetch('/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: 'linkguard-dashboard' }) }).then((r) => r.json());
    sessionStorage.setItem('linkguard.refresh_token', tok.refresh_token);
    const res = await fetch('/api/auth-profiles', { headers: { Authorization: `Bearer ${tok.access_token}` } });
    return res.json();
  });
}

// A connect link first shows whose connection it will be; only "Continue to <Provider>" goes on.
async function confirmConnect(screenshot) {
  await page.waitForURL(/\/connect\/[^/?]+$/, { timeout: 30000 });
  const account = (await page.locator('#account').innerText()).trim();
  assert.equal(account.toLowerCase(), EMAIL.toLowerCase(), 'the connect page names the signed-in account');
  await page.screenshot({ path: `${ARTIFACTS}/${screenshot}.png` });
  await page.getByRole('button', { name: /^Continue to / }).click();
}

async function until(what, fn, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
let page;
try {
  const context = await browser.newContext({ baseURL: GATEWAY, viewport: { width: 1200, height: 800 } });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log(`browser console: ${m.text()}`); });

  step('sign in');
  await page.goto('/app/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('input[type=password]').waitFor();
  await page.locator('input[name=email], input[type=email], input[name=username]').first().fill(EMAIL);
  await page.locator('input[type=password]').fill(PASSWORD);
  await page.screenshot({ path: `${ARTIFACTS}/01-login.png` });
  await page.locator('form [type=submit]').first().click();
  await page.getByRole('heading', { name: 'Your connections' }).waitFor();
  await page.screenshot({ path: `${ARTIFACTS}/02-signed-in.png` });

  step(`connect ${CONNECTOR}`);
  await page.locator(`#catalog li[data-provider="${CONNECTOR}"]`).getByRole('button', { name: /^Connect/ }).click();
  await confirmConnect('03a-connect-confirm');
  await page.waitForURL(/\/app\/\?connected=/, { timeout: 30000 }); // back from the provider
  const row = page.locator(`tr[data-connector="${CONNECTOR}"]`);
  await row.getByText('Connected').waitFor({ timeout: 30000 });
  await page.screenshot({ path: `${ARTIFACTS}/03-connected.png` });
  const [profile] = (await profiles(page)).filter((p) => (p.connectorKey || p.connector_key) === CONNECTOR);
  assert.ok(profile, 'the connected auth profile is listed');
  assert.equal(profile.status, 'active');
  const first = await fetchProviderToken(profile.id);
  assert.equal(first.status, 200, `a worker gets a provider token: ${JSON.stringify(first.body)}`);

  step('revoke the grant at the provider');
  const revoke = await fetch(`${MOCK}/control/users/${encodeURIComponent(MOCK_USER)}/revoke`, { method: 'POST' });
  assert.ok(revoke.ok, `mock revoke answered ${revoke.status}`);

  step('the next refresh gets invalid_grant → the amber banner appears');
  await until('token-refresher to report needs_reauth', async () => (await fetchProviderToken(profile.id)).status === 409, 60000);
  const banner = page.locator('#reauth-banner');
  await until('the amber banner', async () => {
    await page.getByRole('button', { name: 'Check now' }).click();
    return banner.isVisible();
  }, BANNER_TIMEOUT_MS);
  const text = await banner.innerText();
  assert.match(text, /disconnected — access was revoked or expired/i);
  assert.equal(await banner.getAttribute('role'), 'alert');
  assert.equal(await banner.locator('button', { hasText: /dismiss|close/i }).count(), 0, 'the banner cannot be dismissed');
  await page.screenshot({ path: `${ARTIFACTS}/04-needs-reauth-banner.png` });

  step('Reconnect');
  await banner.getByRole('button', { name: /^Reconnect/ }).click();
  await confirmConnect('04a-reconnect-confirm');
  await page.waitForURL(/\/app\/\?connected=/, { timeout: 30000 }); // back from the provider
  await row.getByText('Connected').waitFor({ timeout: 30000 });
  await until('the banner to disappear', async () => !(await banner.isVisible()), 30000);
  await page.screenshot({ path: `${ARTIFACTS}/05-reconnected.png` });
  const again = (await profiles(page)).filter((p) => (p.connectorKey || p.connector_key) === CONNECTOR);
  assert.equal(again.length, 1, 'still one profile for the connector');
  assert.equal(again[0].id, profile.id, 'the same profile id is active again');
  assert.equal(again[0].status, 'active');
  assert.equal((await fetchProviderToken(profile.id)).status, 200, 'workers get tokens again');

  step('pause → red banner → resume');
  await page.getByRole('button', { name: 'Pause automation' }).click();
  await page.locator('#pause-reason').fill('Going on holiday');
  await page.locator('#pause-confirm').click();
  const red = page.locator('#pause-banner');
  await red.waitFor({ state: 'visible', timeout: 15000 });
  assert.match(await red.innerText(), /You paused automation.*Going on holiday/s);
  await page.screenshot({ path: `${ARTIFACTS}/06-paused-banner.png` });
  await red.getByRole('button', { name: 'Resume automation' }).click();
  await red.waitFor({ state: 'hidden', timeout: 15000 });
  await page.screenshot({ path: `${ARTIFACTS}/07-resumed.png` });

  step('admin view: a member needs to reconnect');
  const owner = await page.evaluate(async () => {
    const rt = sessionStorage.getItem('linkguard.refresh_token');
    const tok = await fetch('/oauth/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: 'linkguard-dashboard' }) }).then((r) => r.json());
    sessionStorage.setItem('linkguard.refresh_token', tok.refresh_token);
    const claims = JSON.parse(atob(tok.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return { token: tok.access_token, orgId: claims.org_id, scope: tok.scope };
  });
  assert.match(owner.scope, /\badmin\b/, 'the owner signed in with the admin scope');
  const added = await fetch(`${GATEWAY}/api/orgs/${owner.orgId}/users`, { method: 'POST',
    headers: { Authorization: `Bearer ${owner.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `member-${Date.now()}@example.test`, password: `pw-${Math.random()}-${Date.now()}`, role: 'member' }) });
  const addedBody = await added.json();
  assert.equal(added.status, 201, `adding a member: ${JSON.stringify(addedBody)}`);
  const memberId = addedBody.userId || addedBody.id;
  const worker = await workerToken();
  for (const outcome of [{ outcome: 'success' }, { outcome: 'failure', errorCode: 'invalid_grant' }]) {
    const r = await fetch(`${GATEWAY}/api/health/reports`, { method: 'POST',
      headers: { Authorization: `Bearer ${worker}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: memberId, connector: 'github', ...outcome }) });
    assert.equal(r.status, 200, `worker report: ${await r.text()}`);
  }
  await page.getByRole('link', { name: 'Admin view' }).click();
  await page.getByRole('heading', { name: 'Who needs to reconnect?' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/app/admin');
  const memberRow = page.locator(`#admin-rows tr[data-user="${memberId}"][data-connector="github"]`);
  await memberRow.waitFor({ timeout: 15000 });
  assert.match(await memberRow.innerText(), /access was revoked or expired/);
  const broken = Number(await page.locator('#admin-counts li[data-status="needs_reauth"] .n').innerText());
  assert.ok(broken >= 1, `the needs-reauth count shows the member (${broken})`);
  assert.ok(await page.locator('#admin-by-connector-rows tr[data-connector="github"]').isVisible(), 'counts by connector');
  assert.equal(await page.locator(`#admin-rows tr[data-connector="${CONNECTOR}"]`).count(), 0,
    'the owner\'s reconnected connection is not listed');
  await memberRow.getByRole('button', { name: /^History/ }).click();
  const historyRows = page.locator('#admin-history-rows tr');
  await historyRows.first().waitFor({ timeout: 15000 });
  assert.equal(await historyRows.count(), 2);
  assert.match(await historyRows.nth(0).innerText(), /Connected → Needs re-auth/);
  assert.match(await historyRows.nth(1).innerText(), /New → Connected/);
  await page.screenshot({ path: `${ARTIFACTS}/08-admin-view.png`, fullPage: true });
  await page.getByRole('link', { name: 'Your connections' }).click();
  await page.getByRole('heading', { name: 'Your connections' }).waitFor();
  step('passed');
} catch (e) {
  if (page) await page.screenshot({ path: `${ARTIFACTS}/failure.png` }).catch(() => {});
  console.error(e);
  process.exitCode = 1;
} finally {
  await browser.close();
}
