// The admin's view: counts by status and connector, the users who need to reconnect (keyset
// pages of the org's connections), and one user's status history. Only owners and admins whose
// token carries the `admin` scope see it; the API refuses everyone else anyway (403/404), so this
// page hides nothing that matters, it only avoids offering what would fail.
const PAGE_SIZE = 25;
const STATUS_LABEL = { connected: 'Connected', needs_reauth: 'Needs re-auth', revoked: 'Access revoked', disabled: 'Disabled' };
const label = (s) => STATUS_LABEL[s] || s;

export function createAdminView({ api, el, when, nameOf, problemCopy, problemText, say, session }) {
  const $ = (id) => document.getElementById(id);
  const state = { cursor: null, historyUser: null, historyCursor: null, emails: {} };

  async function json(path) {
    const res = await api(path);
    if (!res.ok) throw new Error(await problemText(res));
    return res.json();
  }

  const who = (userId) => (userId === session.userId ? `${state.emails[userId] || 'You'} (you)` : state.emails[userId] || userId);

  // Emails make the list readable; the member list is auth-server's and optional here: without
  // it (older server, or no access) the page shows user ids.
  async function loadEmails() {
    try {
      const res = await api(`/api/orgs/${session.orgId}/members`);
      if (!res.ok) return;
      const body = await res.json();
      const list = Array.isArray(body) ? body : body.items || body.members || [];
      for (const m of list) if (m && m.email) state.emails[m.userId || m.id] = m.email;
      // an account still on the password it was created with (the bootstrap admin): say so until it is changed
      const flagged = list.filter((m) => m && m.passwordChangeRequired).map((m) => m.email || m.userId);
      const notice = $('admin-bootstrap-password');
      notice.hidden = flagged.length === 0;
      notice.textContent = flagged.length === 0 ? ''
        : `Still using the password they were created with (change it under your account): ${flagged.join(', ')}.`;
    } catch (e) { /* ids it is */ }
  }

  async function loadSummary() {
    const s = await json(`/api/orgs/${session.orgId}/connections/summary`);
    const statuses = Object.keys(s.byStatus);
    $('admin-counts').replaceChildren(
      el('li', { className: 'count-total' }, el('span', { className: 'n', textContent: String(s.total) }), 'Connections'),
      ...statuses.map((st) => el('li', { className: `count-${st}`, dataset: { status: st } },
        el('span', { className: 'n', textContent: String(s.byStatus[st]) }), label(st))));
    $('admin-by-connector-head').replaceChildren(el('th', { scope: 'col', textContent: 'Connector' }),
      ...statuses.map((st) => el('th', { scope: 'col', textContent: label(st) })), el('th', { scope: 'col', textContent: 'Total' }));
    const connectors = Object.keys(s.byConnector).sort();
    $('admin-by-connector-rows').replaceChildren(...connectors.map((c) => {
      const counts = s.byConnector[c];
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      return el('tr', { dataset: { connector: c } }, el('th', { scope: 'row', textContent: nameOf(c) }),
        ...statuses.map((st) => el('td', { textContent: String(counts[st] || 0) })), el('td', { textContent: String(total) }));
    }));
    const select = $('admin-connector');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', textContent: 'All connectors' }),
      ...connectors.map((c) => el('option', { value: c, textContent: nameOf(c), selected: c === chosen })));
  }

  async function loadPage(append) {
    const q = new URLSearchParams({ status: 'needs_reauth', limit: String(PAGE_SIZE) });
    if ($('admin-connector').value) q.set('connector', $('admin-connector').value);
    if (append && state.cursor) q.set('cursor', state.cursor);
    const page = await json(`/api/orgs/${session.orgId}/connections?${q}`);
    state.cursor = page.nextCursor;
    const rows = page.items.map((c) => el('tr', { dataset: { user: c.userId, connector: c.connector } },
      el('th', { scope: 'row', className: state.emails[c.userId] ? '' : 'mono', textContent: who(c.userId) }),
      el('td', { textContent: nameOf(c.connector) }),
      el('td', { textContent: problemCopy(c.errorCode) + (c.errorCode ? ` (${c.errorCode})` : '') }),
      el('td', { textContent: when(c.lastFailureAt) }),
      el('td', { textContent: when(c.lastSuccessAt) }),
      el('td', {}, el('button', { type: 'button', textContent: 'History', ariaLabel: `History of ${who(c.userId)}`,
        onclick: () => showHistory(c.userId, false) }))));
    if (append) $('admin-rows').append(...rows); else $('admin-rows').replaceChildren(...rows);
    $('admin-empty').hidden = $('admin-rows').children.length > 0;
    $('admin-more').hidden = !state.cursor;
  }

  async function showHistory(userId, append) {
    try {
      if (!append) { state.historyUser = userId; state.historyCursor = null; }
      const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (append && state.historyCursor) q.set('cursor', state.historyCursor);
      const page = await json(`/api/connectors/${state.historyUser}/history?${q}`);
      state.historyCursor = page.nextCursor;
      const rows = page.items.map((h) => el('tr', {},
        el('td', { textContent: when(h.recordedAt) }),
        el('td', { textContent: nameOf(h.connector) }),
        el('td', { textContent: `${h.fromStatus ? label(h.fromStatus) : 'New'} → ${label(h.toStatus)}` }),
        el('td', { textContent: h.errorCode || '' })));
      if (append) $('admin-history-rows').append(...rows); else $('admin-history-rows').replaceChildren(...rows);
      $('admin-history-title').textContent = `History of ${who(state.historyUser)}`;
      $('admin-history-empty').hidden = $('admin-history-rows').children.length > 0;
      $('admin-history-more').hidden = !state.historyCursor;
      $('admin-history').hidden = false;
      if (!append) $('admin-history').scrollIntoView({ block: 'nearest' });
    } catch (e) {
      say(e.message);
    }
  }

  async function refresh() {
    try {
      await loadEmails();
      await Promise.all([loadSummary(), loadPage(false)]);
    } catch (e) {
      say(e.message);
    }
  }

  $('admin-refresh').addEventListener('click', refresh);
  $('admin-connector').addEventListener('change', () => loadPage(false).catch((e) => say(e.message)));
  $('admin-more').addEventListener('click', () => loadPage(true).catch((e) => say(e.message)));
  $('admin-history-more').addEventListener('click', () => showHistory(state.historyUser, true));

  return { refresh };
}
