// The Herald admin console: plain JS on the public REST API, nothing the console can do that a
// script with the same credential cannot. The credential lives in memory, and in sessionStorage
// only when the operator asks (gone with the tab); never in localStorage.
(() => {
  'use strict';
  const KEY = 'herald.admin.credential';
  const $ = (id) => document.getElementById(id);
  let credential = sessionStorage.getItem(KEY);
  let deadBefore = null;
  let editing = null; // the template being edited: {key, channel, locale}

  class ApiError extends Error {
    constructor(status, code, message) { super(message); this.status = status; this.code = code; }
  }

  async function api(path, init = {}) {
    const headers = { Authorization: `Bearer ${credential}` };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { ...init, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const err = (body && body.error) || {};
      if (res.status === 401 && path !== '/api/v1/admin/stats') signOut('Signed out: the server refused the credential.');
      throw new ApiError(res.status, err.code || `HTTP_${res.status}`, err.message || `HTTP ${res.status}`);
    }
    return body;
  }

  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'onclick') e.addEventListener('click', v); else e.setAttribute(k, v);
    }
    for (const c of children) e.append(c instanceof Node ? c : String(c ?? ''));
    return e;
  }

  /** Fills a table: header cells, then rows of cells (a Node or text; numbers right-aligned). */
  function table(target, head, rows, empty = 'Nothing here.') {
    const t = $(target);
    t.replaceChildren();
    if (rows.length === 0) {
      t.append(el('tbody', {}, el('tr', {}, el('td', { class: 'note' }, empty))));
      return;
    }
    t.append(el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))));
    const body = el('tbody');
    for (const r of rows) body.append(el('tr', {}, ...r.map((c) => el('td', typeof c === 'number' ? { class: 'num' } : {}, c))));
    t.append(body);
  }

  function flash(text, bad = false) {
    const f = $('flash');
    f.textContent = text;
    f.classList.toggle('bad', bad);
  }

  function signOut(message) {
    credential = null;
    sessionStorage.removeItem(KEY);
    $('console').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
  }

  async function signIn(value, remember) {
    credential = value;
    try {
      await api('/api/v1/admin/stats');
    } catch (e) {
      credential = null;
      $('login-error').textContent = e.status === 403 ? 'This credential is valid but has no admin rights (needs role admin or a service key).'
        : e.status === 401 ? `Refused: ${e.message}` : `Cannot reach Herald: ${e.message}`;
      return;
    }
    if (remember) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY);
    $('login-error').textContent = '';
    $('credential').value = '';
    $('login').hidden = true;
    $('console').hidden = false;
    show();
  }

  // Pages --------------------------------------------------------------------------------------

  const pages = {
    async overview() {
      const s = await api('/api/v1/admin/stats');
      table('connections', ['', 'Count'], [['Total', s.connections.total], ['WebSocket', s.connections.websocket],
        ['Polling', s.connections.polling], ['Dead letters', s.deadLetters]]);
      table('queue', ['Priority', 'Due', 'Oldest due'], Object.entries(s.queue).map(([p, q]) => [p, q.due, age(q.oldestDueAgeMs)]));
      const statuses = [...new Set(Object.values(s.deliveries).flatMap((c) => Object.keys(c)))].sort();
      table('by-channel', ['Channel', ...statuses], Object.entries(s.deliveries).map(([c, by]) => [c, ...statuses.map((st) => by[st] || 0)]),
        'No out-of-app delivery yet.');
      try {
        const r = await api('/api/v1/realtime/stats');
        table('by-transport', ['Transport', 'Connections'], Object.entries(r.connectionsByTransport).map(([k, v]) => [k, v]), 'No connection.');
        table('by-team', ['Team', 'Connections'], Object.entries(r.connectionsByTeam).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v]), 'No team connected.');
        $('team-note').textContent = '';
      } catch (e) {
        table('by-transport', ['Transport', 'Connections'], [['websocket', s.connections.websocket], ['polling', s.connections.polling]]);
        table('by-team', [], []);
        $('team-note').textContent = e.status === 403 ? 'Counts by team need a service API key (GET /api/v1/realtime/stats).' : e.message;
      }
    },

    async rooms() {
      try {
        const r = await api('/api/v1/realtime/stats');
        table('rooms', ['Room', 'Sockets'], Object.entries(r.connectionsByTeam).sort((a, b) => b[1] - a[1]).map(([k, v]) => [`team:${k}`, v]),
          'No team room has a socket.');
      } catch (e) {
        table('rooms', [], [], e.status === 403 ? 'Room sizes need a service API key (GET /api/v1/realtime/stats).' : e.message);
      }
    },

    async dead(more = false) {
      if (!more) ingestDead().catch((err) => flash(err.message, true));
      const q = new URLSearchParams({ status: $('dead-status').value, limit: '50' });
      if ($('dead-channel').value) q.set('channel', $('dead-channel').value);
      if (more && deadBefore) q.set('before', deadBefore);
      const r = await api(`/api/v1/admin/deliveries?${q}`);
      deadBefore = r.nextBefore;
      $('dead-more').hidden = !deadBefore;
      const rows = r.deliveries.map((d) => [d.updatedAt, d.channel, d.recipientId, d.type, d.attempts, d.reason || '',
        el('a', { href: `#log/${d.notificationId}` }, d.notificationId.slice(0, 8)), d.status,
        el('button', { type: 'button', 'data-replay': d.id, onclick: (ev) => replay(d, ev.target) }, 'Replay')]);
      if (more) {
        const body = $('dead').querySelector('tbody');
        for (const r2 of rows) body.append(el('tr', {}, ...r2.map((c) => el('td', typeof c === 'number' ? { class: 'num' } : {}, c))));
      } else {
        table('dead', ['Updated', 'Channel', 'Recipient', 'Type', 'Attempts', 'Reason', 'Notification', 'Status', ''], rows,
          `No ${$('dead-status').value} delivery.`);
      }
    },

    /** GET /api/v1/admin/templates → {templates: [{key, channel, locale, subject, body, html, variables, version, updatedAt}]}. */
    async templates() {
      const { templates } = await api('/api/v1/admin/templates');
      table('templates', ['Key', 'Channel', 'Locale', 'Version', 'Variables', 'Updated', ''], templates.map((t) => [t.key, t.channel,
        t.locale, t.version, t.variables.join(', '), t.updatedAt || '',
        el('span', {}, el('button', { type: 'button', 'data-edit': t.key, onclick: () => edit(t) }, 'Edit'), ' ',
          el('button', { type: 'button', 'data-delete': t.key, onclick: () => deleteTemplate(t) }, 'Delete'))]),
      'No template yet.');
    },

    async log(id) {
      if (id) $('log-id').value = id;
      const nid = $('log-id').value.trim();
      if (!nid) return;
      const r = await api(`/api/v1/notifications/${encodeURIComponent(nid)}/deliveries`);
      const box = $('log');
      box.replaceChildren();
      if (r.deliveries.length === 0) box.append(el('p', { class: 'note' }, 'No out-of-app delivery for this notification.'));
      for (const d of r.deliveries) {
        box.append(el('h3', {}, `${d.channel} to ${d.recipientId}: ${d.status}${d.reason ? ` (${d.reason})` : ''}`));
        const t = el('table', { id: `log-${d.id}` });
        box.append(t);
        table(t.id, ['Attempt', 'At', 'Outcome', 'Provider', 'Latency', 'Error'],
          (d.history || []).map((a) => [a.attempt, a.at, a.outcome, a.provider || '', `${a.latencyMs} ms`, a.error || '']),
          'No attempt yet.');
      }
    },

    async send() {},
  };

  async function replay(d, button) {
    button.disabled = true;
    try {
      const again = await api(`/api/v1/admin/deliveries/${encodeURIComponent(d.id)}/replay`, { method: 'POST' });
      button.closest('tr').children[7].textContent = again.status;
      button.textContent = 'Replayed';
      flash(`Delivery ${d.id} is ${again.status} again.`);
    } catch (e) {
      button.disabled = false;
      flash(`Replay refused: ${e.message}`, true);
    }
  }

  function edit(t) {
    editing = t ? { key: t.key, channel: t.channel, locale: t.locale } : null;
    $('template-legend').textContent = t ? `Edit ${t.key} (${t.channel}, ${t.locale}, version ${t.version})` : 'New template';
    $('t-save').textContent = t ? 'Save' : 'Create';
    $('t-key').value = t ? t.key : '';
    $('t-key').readOnly = !!t;
    $('t-channel').value = t ? t.channel : 'email';
    $('t-channel').disabled = !!t; // a variant is (key, channel, locale): another one is a new template
    $('t-locale').value = t ? t.locale : 'default';
    $('t-locale').readOnly = !!t;
    $('t-subject').value = (t && t.subject) || '';
    $('t-body').value = (t && t.body) || '';
    $('t-html').value = (t && t.html) || '';
    $('t-variables').value = ((t && t.variables) || []).join(', ');
  }

  /** The variant's fields as POST and PUT take them: {channel, locale, subject, body, html, variables}. */
  function variantFields() {
    const optional = (v) => (v === '' ? null : v);
    return { channel: $('t-channel').value, locale: $('t-locale').value.trim() || 'default', subject: optional($('t-subject').value),
      body: $('t-body').value, html: optional($('t-html').value),
      variables: $('t-variables').value.split(',').map((v) => v.trim()).filter(Boolean) };
  }

  /** POST /api/v1/admin/templates {key, …} (201; 409 if the variant exists) or PUT …/{key} {channel, locale, …}. */
  async function saveTemplate(e) {
    e.preventDefault();
    const key = editing ? editing.key : $('t-key').value.trim();
    try {
      const saved = editing
        ? await api(`/api/v1/admin/templates/${encodeURIComponent(key)}`, { method: 'PUT', body: variantFields() })
        : await api('/api/v1/admin/templates', { method: 'POST', body: { key, ...variantFields() } });
      edit(saved);
      await pages.templates();
      flash(`Template ${saved.key} saved.`);
    } catch (err) {
      flash(err.status === 409 ? `Template not saved: ${key} already has this channel and locale; edit it instead.`
        : `Template not saved: ${err.message}`, true);
    }
  }

  /** DELETE /api/v1/admin/templates/{key}?channel&locale: this variant only. */
  async function deleteTemplate(t) {
    if (!confirm(`Delete template ${t.key} (${t.channel}, ${t.locale})?`)) return;
    try {
      const q = new URLSearchParams({ channel: t.channel, locale: t.locale });
      await api(`/api/v1/admin/templates/${encodeURIComponent(t.key)}?${q}`, { method: 'DELETE' });
      if (editing && editing.key === t.key && editing.channel === t.channel && editing.locale === t.locale) edit(null);
      await pages.templates();
      flash(`Template ${t.key} (${t.channel}, ${t.locale}) deleted.`);
    } catch (err) {
      flash(`Not deleted: ${err.message}`, true);
    }
  }

  /** POST …/{key}/preview {locale, variables, channel} → {key, channel, locale, version, subject, body, html}. */
  async function preview() {
    const key = $('t-key').value.trim();
    let variables;
    try {
      variables = JSON.parse($('t-preview-vars').value || '{}');
    } catch {
      return flash('Preview variables must be a JSON object.', true);
    }
    try {
      const { channel, locale } = variantFields();
      const r = await api(`/api/v1/admin/templates/${encodeURIComponent(key)}/preview`, { method: 'POST',
        body: { locale, variables, channel } });
      const out = $('preview');
      out.replaceChildren(el('p', { class: 'note' }, `${r.key} version ${r.version}, ${r.channel}, locale ${r.locale}`));
      for (const part of ['subject', 'body', 'html']) {
        if (r[part] === null || r[part] === undefined) continue;
        out.append(el('h4', {}, part), el('pre', { 'data-part': part }, r[part]));
      }
    } catch (err) {
      flash(`Preview failed: ${err.message}`, true);
    }
  }

  async function sendTest(e) {
    e.preventDefault();
    const channels = [...document.querySelectorAll('input[name=channel]:checked')].map((c) => c.value);
    const body = { recipients: [$('s-user').value.trim()], type: $('s-type').value.trim(), title: $('s-title').value };
    if ($('s-message').value) body.message = $('s-message').value;
    if (channels.length) body.channels = channels;
    try {
      const r = await api('/api/v1/notifications', { method: 'POST', body });
      $('send-result').textContent = JSON.stringify(r, null, 2);
      flash(`Sent: ${r.ids.join(', ')}`);
    } catch (err) {
      $('send-result').textContent = '';
      flash(`Not sent: ${err.message}`, true);
    }
  }

  /** GET /api/v1/admin/ingest/dead-letters → {deadLetters: [{id, source, subject, messageKey, reason, receivedAt, body}]}. */
  async function ingestDead() {
    const q = new URLSearchParams({ limit: '50' });
    if ($('ingest-dead-source').value) q.set('source', $('ingest-dead-source').value);
    const { deadLetters } = await api(`/api/v1/admin/ingest/dead-letters?${q}`);
    table('ingest-dead', ['Received', 'Source', 'Subject', 'Key', 'Reason', 'Body'], deadLetters.map((d) => [d.receivedAt, d.source,
      d.subject, d.messageKey || '', d.reason, el('details', {}, el('summary', {}, `${d.body.length} characters`), el('pre', {}, d.body))]),
    'No ingest dead letter.');
  }

  function age(ms) {
    if (!ms) return '—';
    if (ms < 1000) return `${ms} ms`;
    if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
    return `${Math.round(ms / 60_000)} min`;
  }

  /** The page the hash names (#dead, #log/ID); each page loads its data when shown. */
  async function show() {
    if (!credential) return;
    const [name, arg] = (location.hash.slice(1) || 'overview').split('/');
    const page = pages[name] ? name : 'overview';
    for (const s of document.querySelectorAll('[data-page]')) s.hidden = s.dataset.page !== page;
    for (const a of document.querySelectorAll('header nav a')) {
      if (a.getAttribute('href') === `#${page}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    flash('');
    try {
      await pages[page](arg);
    } catch (e) {
      flash(`${page}: ${e.message}`, true);
    }
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('credential').value.trim(), $('remember').checked);
  });
  $('logout').addEventListener('click', () => signOut());
  $('dead-form').addEventListener('submit', (e) => { e.preventDefault(); pages.dead().catch((err) => flash(err.message, true)); });
  $('ingest-dead-form').addEventListener('submit', (e) => { e.preventDefault(); ingestDead().catch((err) => flash(err.message, true)); });
  $('dead-more').addEventListener('click', () => pages.dead(true).catch((err) => flash(err.message, true)));
  $('log-form').addEventListener('submit', (e) => { e.preventDefault(); location.hash = `log/${$('log-id').value.trim()}`; });
  $('user-room-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = $('room-user').value.trim();
    try {
      const r = await api(`/api/v1/realtime/users/${encodeURIComponent(user)}`);
      table('user-room', ['Room', 'Sockets', 'Socket ids'], [[`user:${user}`, r.connectionCount, (r.socketIds || []).join(', ')]]);
    } catch (err) {
      table('user-room', [], [], err.status === 403 ? 'Needs a service API key (GET /api/v1/realtime/users/{id}).' : err.message);
    }
  });
  $('template-form').addEventListener('submit', saveTemplate);
  $('t-new').addEventListener('click', () => edit(null));
  $('t-preview').addEventListener('click', preview);
  $('send-form').addEventListener('submit', sendTest);
  for (const b of document.querySelectorAll('[data-refresh]')) b.addEventListener('click', show);
  window.addEventListener('hashchange', show);

  if (credential) signIn(credential, true); else $('credential').focus();
})();
