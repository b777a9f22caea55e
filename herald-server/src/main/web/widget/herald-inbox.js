// <herald-inbox server="https://herald.example" token="JWT"></herald-inbox>
// A bell with the unread count, a dropdown inbox (paged through GET /api/v1/notifications as it is
// scrolled), mark one / all read over REST, live notifications and read state from other tabs over
// the official socket.io-client, a toast for each new one, and a preferences panel on
// /api/v1/notifications/preferences. Instead of the token attribute, a page may set
// `element.tokenProvider = async () => token`: it is asked again when the server says the token is
// expiring (`token:expiring`; the new one is handed over with `auth:refresh`, no reconnection) and
// when the server refuses the token.
import { io } from 'socket.io-client';
import { STYLE, TEMPLATE } from './view.js';
import { PreferencesPanel } from './preferences.js';

const PAGE = 20;
const AUTH_CODES = new Set(['AUTH_FAILED', 'INVALID_TOKEN', 'TOKEN_EXPIRED']);
// Server-side disconnects after which a new connection is the right answer (another node, a new token).
const RECONNECT_AFTER = new Set(['SERVER_SHUTDOWN', 'TOKEN_EXPIRED']);
const REFRESH_ACK_MS = 5_000;

export class HeraldInbox extends HTMLElement {
  static get observedAttributes() { return ['server', 'token']; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this._items = new Map();
    this._order = [];
    this._page = 0;
    this._hasMore = true;
    this._loading = false;
    this._unread = 0;
    this._token = null;
    this._provider = null;
    this._socket = null;
    this._refreshing = false;
    this._countTimer = null;
    this._lastError = null;
    this._generation = 0;
  }

  /** An async function returning a fresh token; called at start, on `token:expiring` and after a refusal. */
  set tokenProvider(fn) {
    this._provider = typeof fn === 'function' ? fn : null;
    if (this.isConnected && this._provider) this._restart();
  }
  get tokenProvider() { return this._provider; }

  get unreadCount() { return this._unread; }

  connectedCallback() {
    if (!this.shadowRoot.firstChild) this._render();
    this._restart();
  }

  disconnectedCallback() { this._stop(); }

  attributeChangedCallback(name, before, after) {
    if (before !== after && this.isConnected && this.shadowRoot.firstChild) this._restart();
  }

  get _server() { return (this.getAttribute('server') || location.origin).replace(/\/+$/, ''); }

  _render() {
    const root = this.shadowRoot;
    root.innerHTML = `<style>${STYLE}</style>${TEMPLATE}`;
    this._el = (id) => root.getElementById(id);
    this._el('bell').addEventListener('click', () => this._toggle());
    this._el('mark-all').addEventListener('click', () => this._markAllRead());
    this._el('show-prefs').addEventListener('click', () => this._togglePreferences());
    this._el('panel').addEventListener('keydown', (e) => this._keys(e));
    this._el('list').addEventListener('scroll', () => this._maybeLoadMore());
    this._prefs = new PreferencesPanel(this._el('prefs'), (path, init) => this._api(path, init),
      () => [...new Set(this._order.map((id) => this._items.get(id).type).filter(Boolean))]);
  }

  async _restart() {
    // Attributes and the provider may change in a row: only the latest restart may connect.
    const generation = ++this._generation;
    this._stop();
    this._items.clear();
    this._order = [];
    this._page = 0;
    this._hasMore = true;
    this._loading = false;
    this._token = null;
    try {
      await this._freshToken(false);
    } catch (e) {
      return this._status(`no token: ${e.message}`, true);
    }
    if (generation !== this._generation) return;
    if (!this._token) return this._status('no token: set the token attribute or tokenProvider', true);
    this._connect();
    await this._loadMore();
  }

  _stop() {
    clearTimeout(this._countTimer);
    if (this._socket) {
      this._socket.removeAllListeners();
      this._socket.disconnect();
      this._socket = null;
    }
  }

  /** The token to use: the attribute's, or the provider's (asked again when `force`). */
  async _freshToken(force) {
    if (this._provider) {
      if (force || !this._token) this._token = await this._provider();
    } else {
      this._token = this.getAttribute('token');
    }
    return this._token;
  }

  /**
   * On `token:expiring`: asks the provider for a new token and hands it to the live session with
   * `auth:refresh` (answer `{ok, expiresAt}`), so rooms and the socket stay. A refusal or no answer
   * falls back to a new connection with the new token. Without a provider there is nothing to ask:
   * the page may set a new `token` attribute, else the server disconnects at `exp`.
   */
  async _refreshLive(socket) {
    if (!this._provider || this._refreshing) return;
    this._refreshing = true;
    try {
      const token = await this._freshToken(true);
      if (socket !== this._socket || !socket.connected) return;
      let answer;
      try {
        answer = await socket.timeout(REFRESH_ACK_MS).emitWithAck('auth:refresh', { token });
      } catch {
        answer = null; // no answer in time
      }
      if (socket !== this._socket || (answer && answer.ok)) return;
      this._status(`token refresh refused (${(answer && answer.error && answer.error.code) || 'no answer'}): reconnecting`, false);
      socket.disconnect();
      socket.connect();
    } catch (e) {
      this._status(`token refresh failed: ${e.message}`, true);
    } finally {
      this._refreshing = false;
    }
  }

  _connect() {
    const socket = io(this._server, {
      path: this.getAttribute('path') || '/socket.io/',
      transports: ['websocket', 'polling'],
      // Called on every (re)connection, so a refreshed token is the one sent.
      auth: (cb) => cb({ token: this._token }),
    });
    this._socket = socket;
    socket.on('connect', () => {
      this._status('live', false);
      this._syncCount();
    });
    socket.on('connect_error', (err) => this._connectError(socket, err));
    socket.on('error', (e) => { this._lastError = e && e.code; });
    socket.on('token:expiring', () => this._refreshLive(socket));
    socket.on('disconnect', (reason) => {
      this._status('reconnecting…', false);
      if (reason === 'io server disconnect' && RECONNECT_AFTER.has(this._lastError)) {
        this._freshToken(this._lastError === 'TOKEN_EXPIRED').finally(() => socket.connect());
      } else if (reason === 'io server disconnect') {
        this._status(`disconnected by the server (${this._lastError || 'no reason'})`, true);
      }
    });
    socket.on('notification', (n) => this._arrived(n));
    socket.on('notificationStatus', (s) => this._statusChanged(s));
  }

  async _connectError(socket, err) {
    const code = err && err.data && err.data.code;
    if (socket.active) return this._status('reconnecting…', false); // a transport failure: the client retries
    if (AUTH_CODES.has(code) && this._provider) {
      try {
        await this._freshToken(true);
        return socket.connect();
      } catch (e) {
        return this._status(`token refresh failed: ${e.message}`, true);
      }
    }
    this._status(`cannot connect: ${code || err.message}`, true);
  }

  /** A REST call with the current token; a 401 asks the provider once and retries. */
  async _api(path, init = {}, retried = false) {
    const headers = { Authorization: `Bearer ${this._token}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) };
    const res = await fetch(this._server + path, { ...init, headers });
    if (res.status === 401 && this._provider && !retried) {
      await this._freshToken(true);
      return this._api(path, init, true);
    }
    const body = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new Error((body && body.error && body.error.message) || `HTTP ${res.status}`);
    return body;
  }

  async _loadMore() {
    if (this._loading || !this._hasMore) return;
    this._loading = true;
    try {
      const page = this._page + 1;
      const body = await this._api(`/api/v1/notifications?page=${page}&limit=${PAGE}`);
      this._page = page;
      this._hasMore = body.pagination.hasMore;
      for (const n of body.notifications) this._add(n, false);
      this._setUnread(body.unreadCount);
      this._renderList();
    } catch (e) {
      this._status(`inbox: ${e.message}`, true);
    } finally {
      this._loading = false;
    }
    this._maybeLoadMore();
  }

  _maybeLoadMore() {
    const list = this._el('list');
    if (this._el('panel').hidden || !this._hasMore) return;
    if (list.scrollTop + list.clientHeight >= list.scrollHeight - 40) this._loadMore();
  }

  _add(n, first) {
    if (this._items.has(n.id)) return false;
    this._items.set(n.id, n);
    if (first) this._order.unshift(n.id); else this._order.push(n.id);
    return true;
  }

  _arrived(n) {
    if (!n || !n.id || !this._add(n, true)) return;
    if (!n.readAt) this._setUnread(this._unread + 1);
    this._renderList();
    this._toast(n);
    this.dispatchEvent(new CustomEvent('herald-notification', { detail: n }));
  }

  /** Another tab (or this one) changed read state: apply it, then ask the server for the count. */
  _statusChanged(s) {
    const ids = s.notificationIds || (s.notificationId ? [s.notificationId] : []);
    for (const id of ids) {
      const n = this._items.get(id);
      if (!n) continue;
      if (s.status === 'read') n.readAt = s.readAt || new Date().toISOString();
      if (s.status === 'deleted') {
        this._items.delete(id);
        this._order = this._order.filter((x) => x !== id);
      }
    }
    this._renderList();
    clearTimeout(this._countTimer);
    this._countTimer = setTimeout(() => this._syncCount(), 100);
  }

  async _syncCount() {
    try {
      const body = await this._api('/api/v1/notifications?page=1&limit=1');
      this._setUnread(body.unreadCount);
    } catch (e) {
      this._status(`inbox: ${e.message}`, true);
    }
  }

  _setUnread(count) {
    this._unread = count;
    const badge = this._el('count');
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.hidden = count === 0;
    this._el('bell').setAttribute('aria-label', `Notifications, ${count} unread`);
    this._el('mark-all').disabled = count === 0;
  }

  async _markRead(id) {
    const n = this._items.get(id);
    if (!n || n.readAt) return;
    try {
      const updated = await this._api(`/api/v1/notifications/${encodeURIComponent(id)}/read`, { method: 'PUT' });
      n.readAt = updated.readAt;
      this._renderList();
      this._syncCount();
    } catch (e) {
      this._status(`mark read: ${e.message}`, true);
    }
  }

  async _markAllRead() {
    try {
      await this._api('/api/v1/notifications/read-all', { method: 'POST' });
      const now = new Date().toISOString();
      for (const n of this._items.values()) if (!n.readAt) n.readAt = now;
      this._renderList();
      this._syncCount();
    } catch (e) {
      this._status(`mark all read: ${e.message}`, true);
    }
  }

  _renderList() {
    const list = this._el('list');
    list.replaceChildren(...this._order.map((id) => this._itemView(this._items.get(id))));
    this._el('empty').hidden = this._order.length > 0;
  }

  _itemView(n) {
    const li = document.createElement('li');
    li.className = n.readAt ? 'item' : 'item unread';
    li.setAttribute('role', 'menuitem');
    li.tabIndex = -1;
    li.dataset.id = n.id;
    const title = document.createElement('div');
    title.className = 'title';
    title.textContent = n.title || n.type || 'Notification';
    const message = document.createElement('div');
    message.className = 'message';
    message.textContent = n.message || '';
    const time = document.createElement('time');
    time.dateTime = n.timestamp || n.createdAt || '';
    time.textContent = time.dateTime ? new Date(time.dateTime).toLocaleString() : '';
    li.append(title, message, time);
    if (!n.readAt) {
      const read = document.createElement('button');
      read.type = 'button';
      read.className = 'mark-read';
      read.textContent = 'Mark read';
      read.setAttribute('aria-label', `Mark "${title.textContent}" read`);
      read.addEventListener('click', (e) => { e.stopPropagation(); this._markRead(n.id); });
      li.append(read);
    }
    li.setAttribute('aria-label', `${n.readAt ? '' : 'Unread: '}${title.textContent}`);
    li.addEventListener('click', () => this._markRead(n.id));
    return li;
  }

  _toggle(open) {
    const panel = this._el('panel');
    const show = open === undefined ? panel.hidden : open;
    panel.hidden = !show;
    this._el('bell').setAttribute('aria-expanded', String(show));
    if (show) {
      this._maybeLoadMore();
      const first = panel.querySelector('.item, button');
      if (first) first.focus();
    }
  }

  async _togglePreferences() {
    const prefs = this._el('prefs');
    prefs.hidden = !prefs.hidden;
    this._el('show-prefs').setAttribute('aria-expanded', String(!prefs.hidden));
    if (!prefs.hidden) await this._prefs.load();
  }

  /** Arrow keys move through the items, Enter marks the focused one read, Escape closes. */
  _keys(e) {
    if (e.key === 'Escape') {
      this._toggle(false);
      this._el('bell').focus();
      return;
    }
    const items = [...this._el('list').querySelectorAll('.item')];
    const at = items.indexOf(this.shadowRoot.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = items[Math.min(items.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))];
      if (next) next.focus();
      if (e.key === 'ArrowDown' && at >= items.length - 2) this._loadMore();
    } else if (e.key === 'Enter' && at >= 0) {
      this._markRead(items[at].dataset.id);
    }
  }

  _toast(n) {
    const box = this._el('toasts');
    const t = document.createElement('div');
    t.className = 'toast';
    t.setAttribute('role', 'status');
    t.textContent = n.title || n.message || 'New notification';
    box.append(t);
    setTimeout(() => t.remove(), Number(this.getAttribute('toast-ms') || 5000));
  }

  _status(text, problem) {
    const s = this._el('state');
    s.textContent = text;
    s.classList.toggle('problem', problem);
  }
}

if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
