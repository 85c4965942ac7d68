// Linkguard dashboard: a public OAuth client (authorization code + PKCE S256), no build step.
// Token handling: the access token lives only in memory; the rotating refresh token is kept in
// sessionStorage (this tab only, gone when the tab closes) so a reload does not force a new
// sign-in. Rotation with reuse detection on the server makes a stolen refresh token useless
// after its next legitimate use; refreshes are single-flight here so two polls never present
// the same refresh token twice (which the server would rightly treat as theft).

const CLIENT_ID = 'linkguard-dashboard';
const REDIRECT_URI = `${location.origin}/app/callback`;
// `admin` is always asked for: auth-server grants it only to owners and admins (and the API checks
// the role as well), so one sign-in serves both and the admin view appears when it was granted.
// account:write is for first-party clients only: deleting one's own account, changing one's password.
const SCOPE = 'connectors:read profiles:write automation:write admin account:write';
const POLL_MS = 60_000;
const MAX_BACKOFF_MS = 10 * 60_000;
const RT_KEY = 'linkguard.refresh_token';
const PKCE_KEY = 'linkguard.pkce';
const INTENT_KEY = 'linkguard.after_login';

const ERROR_COPY = {
  invalid_grant: 'access was revoked or expired',
  invalid_client: "the app's credentials were rejected",
  unauthorized_client: 'the app is no longer allowed to connect',
  access_denied: 'access was denied',
  bad_refresh_token: 'access was revoked or expired',
  temporarily_unavailable: 'the provider has failed for days',
  no_refresh_token: 'its access expired and cannot be renewed',
  linkguard_cannot_refresh: 'Linkguard cannot refresh this connection: this provider is not set up on the server (ask your administrator)',
  linkguard_undecryptable: 'its stored credential can no longer be read',
  token_revoked: 'access was revoked at the provider',
  access_revoked: 'access was revoked at the provider',
  grant_revoked: 'access was revoked at the provider',
  account_revoked: 'access was revoked at the provider',
  revoked: 'access was revoked at the provider',
  app_uninstalled: 'the app was uninstalled at the provider',
};
// Statuses that need the user to reconnect: needs_reauth (the grant stopped working) and revoked
// (someone took it back at the provider). Both show the banner and a Reconnect button.
const NEEDS_RECONNECT = new Set(['needs_reauth', 'revoked']);
const STATUS_TEXT = { needs_reauth: 'Needs re-auth', revoked: 'Access revoked', connected: 'Connected', disabled: 'Disabled' };

import { createAdminView } from './admin.js';

const ADMIN_PATH = '/app/admin';
const $ = (id) => document.getElementById(id);
const session = { accessToken: null, expiresAt: 0, userId: null, orgId: null, isAdmin: false, refreshing: null };
let adminView = null;
const view = { etag: null, status: null, automation: null, catalog: [], names: {}, pollTimer: null, failures: 0 };

// ---------- OAuth ----------
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const randomString = () => b64url(crypto.getRandomValues(new Uint8Array(32)));

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({ response_type: 'code', client_id: CLIENT_ID, redirect_uri: REDIRECT_URI,
    scope: SCOPE, state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`/oauth/authorize?${q}`);
}

async function tokenRequest(params) {
  const res = await fetch('/oauth/token', { method: 'POST', body: new URLSearchParams({ client_id: CLIENT_ID, ...params }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw Object.assign(new Error(body.error_description || body.error || `token endpoint ${res.status}`), { oauth: body.error, status: res.status });
  acceptTokens(body);
}

function acceptTokens(t) {
  session.accessToken = t.access_token;
  session.expiresAt = Date.now() + (t.expires_in || 600) * 1000;
  const claims = JSON.parse(atob(t.access_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  session.userId = claims.sub;
  session.orgId = claims.org_id;
  session.isAdmin = ['owner', 'admin'].includes(claims.role) && (claims.scope || '').split(' ').includes('admin');
  if (t.refresh_token) sessionStorage.setItem(RT_KEY, t.refresh_token);
}

async function handleCallback() {
  const p = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
  sessionStorage.removeItem(PKCE_KEY);
  if (p.get('error')) throw new Error(`Sign-in failed: ${p.get('error_description') || p.get('error')}`);
  if (!saved || p.get('state') !== saved.state) throw new Error('Sign-in failed: the response did not match this browser tab. Please try again.');
  await tokenRequest({ grant_type: 'authorization_code', code: p.get('code'), redirect_uri: REDIRECT_URI, code_verifier: saved.verifier });
  const after = sessionStorage.getItem(INTENT_KEY) || '/app/';
  sessionStorage.removeItem(INTENT_KEY);
  history.replaceState(null, '', after);
}

function refreshTokens() {
  // Single flight: every caller waits on the same refresh.
  if (!session.refreshing) {
    const rt = sessionStorage.getItem(RT_KEY);
    session.refreshing = (rt ? tokenRequest({ grant_type: 'refresh_token', refresh_token: rt }) : Promise.reject(new Error('signed out')))
      .finally(() => { session.refreshing = null; });
  }
  return session.refreshing;
}

async function signOut() {
  const rt = sessionStorage.getItem(RT_KEY);
  sessionStorage.removeItem(RT_KEY);
  session.accessToken = null;
  clearTimeout(view.pollTimer);
  if (rt) {
    await fetch('/oauth/revoke', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: CLIENT_ID, token: rt, token_type_hint: 'refresh_token' }) }).catch(() => {});
  }
  showSignedOut();
}

// ---------- API ----------
class ApiUnreachable extends Error {}

async function api(path, { method = 'GET', body, headers = {} } = {}, retried = false) {
  if (!session.accessToken || Date.now() > session.expiresAt - 30_000) await refreshTokens();
  let res;
  try {
    res = await fetch(path, { method, headers: { Authorization: `Bearer ${session.accessToken}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined });
  } catch (e) {
    throw new ApiUnreachable('network');
  }
  if (res.status === 401 && !retried) {
    await refreshTokens();
    return api(path, { method, body, headers }, true);
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) throw new ApiUnreachable(String(res.status));
  return res;
}

async function problemText(res) {
  const p = await res.json().catch(() => null);
  return (p && (p.detail || p.title)) || `Request failed (${res.status})`;
}

// ---------- status polling ----------
async function poll() {
  clearTimeout(view.pollTimer);
  try {
    const headers = view.etag ? { 'If-None-Match': view.etag } : {};
    const res = await api(`/api/connectors/${session.userId}/status`, { headers });
    if (res.status === 200) {
      view.etag = res.headers.get('ETag');
      view.status = await res.json();
    } else if (res.status !== 304) {
      throw new Error(await problemText(res));
    }
    const auto = await api(`/api/users/${session.userId}/automation-state`);
    if (auto.ok) view.automation = await auto.json();
    view.failures = 0;
    $('offline-banner').hidden = true;
    $('last-checked').textContent = `Last checked ${new Date().toLocaleTimeString()}.`;
    render();
    schedule(POLL_MS);
  } catch (e) {
    if (e.message === 'signed out' || e.oauth === 'invalid_grant') { showSignedOut('Your session ended. Please sign in again.'); return; }
    view.failures += 1;
    const wait = Math.min(POLL_MS * 2 ** (view.failures - 1), MAX_BACKOFF_MS) * (0.8 + Math.random() * 0.4);
    const banner = $('offline-banner');
    banner.hidden = false;
    banner.textContent = e instanceof ApiUnreachable
      ? `Linkguard can't be reached right now. Showing the last known state; retrying in ${Math.round(wait / 1000)} s.`
      : `Couldn't load your connections (${e.message}). Retrying in ${Math.round(wait / 1000)} s.`;
    schedule(wait);
  }
}

function schedule(ms) {
  clearTimeout(view.pollTimer);
  view.pollTimer = setTimeout(poll, ms);
}

// ---------- rendering ----------
const nameOf = (key) => view.names[key] || key.charAt(0).toUpperCase() + key.slice(1);
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const problemCopy = (code) => ERROR_COPY[code] || 'it needs to be reconnected';

function el(tag, { dataset, ...props } = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset); // dataset is read-only: fill it, never assign it
  for (const c of children) node.append(c);
  return node;
}

function render() {
  const connectors = Object.entries((view.status && view.status.connectors) || {}).sort(([a], [b]) => a.localeCompare(b));
  const rows = $('connector-rows');
  rows.replaceChildren(...connectors.map(([key, c]) => el('tr', { dataset: { connector: key } },
    el('th', { scope: 'row', textContent: nameOf(key) }),
    el('td', {}, el('span', { className: `status status-${c.status}`, textContent: STATUS_TEXT[c.status] || c.status })),
    el('td', { textContent: when(c.lastSuccessAt) }),
    el('td', { textContent: when(c.lastFailureAt) }),
    el('td', { textContent: NEEDS_RECONNECT.has(c.status) ? problemCopy(c.errorCode) : (c.errorCode ? `last error: ${c.errorCode}` : '') }),
    el('td', {}, NEEDS_RECONNECT.has(c.status) ? el('button', { type: 'button', className: 'reconnect', textContent: 'Reconnect', onclick: () => connect(key) }) : ''))));
  $('no-connectors').hidden = connectors.length > 0;

  const broken = connectors.filter(([, c]) => NEEDS_RECONNECT.has(c.status));
  const amber = $('reauth-banner');
  amber.hidden = broken.length === 0;
  amber.replaceChildren(...(broken.length === 0 ? [] : [el('ul', {}, ...broken.map(([key, c]) => el('li', {},
    el('p', { textContent: `${nameOf(key)} disconnected — ${problemCopy(c.errorCode)}.` }),
    el('button', { type: 'button', className: 'reconnect', textContent: `Reconnect ${nameOf(key)}`, onclick: () => connect(key) }))))]));

  const a = view.automation;
  const red = $('pause-banner');
  red.hidden = !(a && a.effectivePaused);
  if (a && a.effectivePaused) {
    const byOperator = a.pausedBy === 'operator';
    const reason = byOperator ? a.operatorReason : a.pausedReason;
    red.replaceChildren(el('p', { textContent: byOperator
      ? `Automation is paused by the operator${reason ? `: ${reason}` : '.'}`
      : `You paused automation${a.pausedAt ? ` on ${when(a.pausedAt)}` : ''}${reason ? `: ${reason}` : '.'}` }),
    ...(byOperator ? [] : [el('button', { type: 'button', id: 'resume', textContent: 'Resume automation', onclick: () => setPaused(false) })]));
  }
  $('pause').hidden = !!(a && a.userPaused);

  // Providers without client credentials in this deployment are listed but cannot be started:
  // the connect link would only end on a "not set up" page.
  $('catalog').replaceChildren(...view.catalog.map((p) => el('li', { dataset: { provider: p.key } },
    el('span', {}, p.name, ...(p.configured ? [] : [el('span', { className: 'note', textContent: 'Not set up on this server' })])),
    el('button', { type: 'button', textContent: 'Connect', disabled: !p.configured, onclick: () => connect(p.key), ariaLabel: `Connect ${p.name}` }))));
}

// ---------- actions ----------
async function connect(connectorKey) {
  say(`Starting the connection to ${nameOf(connectorKey)}…`);
  try {
    // A per-tenant provider (Zendesk, Shopify, Salesforce) needs e.g. the subdomain before the redirect.
    const needs = (view.catalog.find((p) => p.key === connectorKey) || {}).connectionParams || {};
    const connectionParams = {};
    for (const [param, label] of Object.entries(needs)) {
      const value = window.prompt(label);
      if (value === null || !value.trim()) { say('Connection cancelled.'); return; }
      connectionParams[param] = value.trim();
    }
    const body = { connectorKey, profileKind: 'oauth_account', displayName: nameOf(connectorKey) };
    if (Object.keys(connectionParams).length) body.connectionParams = connectionParams;
    const res = await api('/api/auth-profiles', { method: 'POST', body });
    if (res.status === 409) {
      const p = await res.json();
      const existing = p.existing;
      // The pending one is resumed, unless it is for another tenant than the one just entered.
      if (existing && existing.id && !Object.keys(connectionParams).length) return startExisting(existing.id);
      throw new Error(p.detail || 'A connection is already pending.');
    }
    if (!res.ok) throw new Error(await problemText(res));
    location.assign((await res.json()).connectUrl);
  } catch (e) {
    say(e instanceof ApiUnreachable ? "Linkguard can't be reached right now; try again in a moment." : e.message);
  }
}

async function startExisting(profileId) {
  const res = await api(`/api/auth-profiles/${profileId}/reconnect`, { method: 'POST' });
  if (!res.ok) throw new Error(await problemText(res));
  location.assign((await res.json()).connectUrl);
}

async function setPaused(paused, reason) {
  try {
    const res = await api(`/api/users/${session.userId}/automation-pause`, { method: 'PUT', body: reason ? { paused, reason } : { paused } });
    if (!res.ok) throw new Error(await problemText(res));
    say(paused ? 'Automation paused.' : 'Automation resumed.');
    await poll();
  } catch (e) {
    say(e instanceof ApiUnreachable ? "Linkguard can't be reached right now; try again in a moment." : e.message);
  }
}

async function loadCatalog() {
  try {
    const res = await api('/api/providers');
    if (!res.ok) return;
    const list = await res.json();
    view.catalog = (Array.isArray(list) ? list : []).map((p) => ({ key: p.key, name: p.name || p.key, configured: !!p.configured,
      connectionParams: p.connectionParams || {} }))
      .sort((a, b) => (b.configured - a.configured) || a.name.localeCompare(b.name));
    for (const p of view.catalog) view.names[p.key] = p.name;
  } catch (e) {
    view.catalog = [];
  }
}

async function loadMe() {
  try {
    const res = await api('/api/me');
    if (res.ok) {
      const me = await res.json();
      $('who').textContent = (me.user && me.user.email) || me.email || '';
    }
  } catch (e) { /* the header can wait for the next poll */ }
}

function say(text) { $('message').textContent = text; }

function showSignedOut(text) {
  $('signed-out').hidden = false;
  $('signed-in').hidden = true;
  $('admin-view').hidden = true;
  $('nav-admin').hidden = true;
  $('nav-home').hidden = true;
  $('signout').hidden = true;
  ['reauth-banner', 'pause-banner', 'offline-banner'].forEach((id) => { $(id).hidden = true; });
  $('who').textContent = '';
  say(text || '');
}

// One page, two views: the user's own connections, and for owners/admins the org's (/app/admin).
function showView() {
  const admin = location.pathname === ADMIN_PATH && session.isAdmin;
  if (location.pathname === ADMIN_PATH && !session.isAdmin) say('The admin view is for owners and admins of the organisation.');
  $('signed-in').hidden = admin;
  $('admin-view').hidden = !admin;
  $('nav-admin').hidden = !session.isAdmin || admin;
  $('nav-home').hidden = !admin;
  if (admin) {
    adminView = adminView || createAdminView({ api, el, when, nameOf, problemCopy, problemText, say, session });
    adminView.refresh();
  }
}

function navigate(event, path) {
  event.preventDefault();
  say('');
  history.pushState(null, '', path);
  showView();
}

async function showSignedIn() {
  $('signed-out').hidden = true;
  $('signout').hidden = false;
  showView();
  const params = new URLSearchParams(location.search);
  if (params.get('connected')) say(`${nameOf(params.get('connected'))} connected.`);
  await Promise.all([loadMe(), loadCatalog()]);
  const m = location.pathname.match(/^\/reconnect\/([a-z0-9_-]+)$/i);
  await poll();
  if (m) {
    history.replaceState(null, '', '/app/');
    await connect(m[1]);
  }
}

// ---------- wiring ----------
window.addEventListener('DOMContentLoaded', async () => {
  $('signin').addEventListener('click', signIn);
  $('signout').addEventListener('click', signOut);
  $('refresh').addEventListener('click', poll);
  $('pause').addEventListener('click', () => { $('pause-reason').value = ''; $('pause-dialog').showModal(); });
  $('pause-dialog').addEventListener('close', () => {
    if ($('pause-dialog').returnValue === 'confirm') setPaused(true, $('pause-reason').value.trim() || undefined);
  });
  // Poll on navigation back to the tab, not only on the timer.
  document.addEventListener('visibilitychange', () => { if (!document.hidden && session.accessToken) poll(); });
  window.addEventListener('popstate', () => { if (session.accessToken) { showView(); poll(); } });
  $('nav-admin').addEventListener('click', (e) => navigate(e, ADMIN_PATH));
  $('nav-home').addEventListener('click', (e) => navigate(e, '/app/'));

  try {
    if (location.pathname === '/app/callback') await handleCallback();
    if (!sessionStorage.getItem(RT_KEY) && !session.accessToken) {
      if (location.pathname.startsWith('/reconnect/') || location.pathname === ADMIN_PATH) sessionStorage.setItem(INTENT_KEY, location.pathname);
      showSignedOut();
      return;
    }
    if (!session.accessToken) await refreshTokens();
    await showSignedIn();
  } catch (e) {
    showSignedOut(e.message === 'signed out' ? '' : e.message);
  }
});
