// The preferences panel: channels × types switches, a digest per type and quiet hours, on
// GET/PATCH /api/v1/notifications/preferences. Each change is sent at once as a PATCH of just that
// field (the server merges it), and the panel redraws from the whole document the server answers.
const CHANNELS = [['inApp', 'In-app'], ['email', 'Email'], ['push', 'Push'], ['sms', 'SMS'], ['webhook', 'Webhook']];
const FREQUENCIES = ['instant', 'hourly', 'daily', 'weekly'];
const ANY = '*';
const PATH = '/api/v1/notifications/preferences';

export class PreferencesPanel {
  /**
   * @param root the element the panel draws into
   * @param api (path, init) => Promise of the parsed JSON answer
   * @param seenTypes () => the notification types the inbox has shown, offered as rows
   */
  constructor(root, api, seenTypes) {
    this.root = root;
    this.api = api;
    this.seenTypes = seenTypes;
    this.prefs = null;
  }

  async load() {
    try {
      this.draw(await this.api(PATH));
    } catch (e) {
      this.root.textContent = `Preferences unavailable: ${e.message}`;
    }
  }

  async patch(part) {
    const status = this.root.querySelector('.prefs-state');
    try {
      this.draw(await this.api(PATH, { method: 'PATCH', body: JSON.stringify(part) }));
      this.root.querySelector('.prefs-state').textContent = 'Saved';
    } catch (e) {
      if (status) status.textContent = `Not saved: ${e.message}`;
    }
  }

  draw(prefs) {
    this.prefs = prefs;
    const types = [...new Set([...Object.keys(prefs.types || {}), ...Object.keys(prefs.digest || {}).filter((t) => t !== ANY),
      ...this.seenTypes()])].sort();
    const table = el('table');
    const head = el('tr', {}, el('th', { scope: 'col' }, 'Type'));
    for (const [, label] of CHANNELS) head.append(el('th', { scope: 'col' }, label));
    head.append(el('th', { scope: 'col' }, 'Digest'));
    table.append(el('thead', {}, head));
    const body = el('tbody');
    body.append(this.row('All types', null, types));
    for (const t of types) body.append(this.row(t, t, types));
    table.append(body);
    this.root.replaceChildren(el('fieldset', {}, el('legend', {}, 'Channels'), table), this.quietHours(),
      this.addType(), el('div', { class: 'prefs-state', role: 'status', 'aria-live': 'polite' }));
  }

  row(label, type) {
    const tr = el('tr', {}, el('th', { scope: 'row' }, label));
    for (const [channel, channelLabel] of CHANNELS) {
      const on = type === null ? this.prefs.channels[channel] !== false
        : (this.prefs.types[type] || {})[channel] !== false;
      const box = el('input', { type: 'checkbox', 'aria-label': `${channelLabel} for ${label}`, 'data-type': type || ANY, 'data-channel': channel });
      box.checked = on;
      box.addEventListener('change', () => this.patch(type === null
        ? { channels: { [channel]: box.checked } }
        : { types: { [type]: { [channel]: box.checked } } }));
      tr.append(el('td', {}, box));
    }
    const key = type || ANY;
    const rule = (this.prefs.digest || {})[key] || { frequency: 'instant' };
    const select = el('select', { 'aria-label': `Digest for ${label}`, 'data-digest': key });
    for (const f of FREQUENCIES) select.append(el('option', { value: f }, f));
    select.value = rule.frequency;
    select.addEventListener('change', () => {
      const f = select.value;
      this.patch({ digest: { [key]: f === 'weekly' ? { frequency: f, day: 'monday' } : { frequency: f } } });
    });
    tr.append(el('td', {}, select));
    return tr;
  }

  quietHours() {
    const q = this.prefs.quietHours;
    const start = el('input', { type: 'time', 'aria-label': 'Quiet hours start', name: 'quiet-start' });
    const end = el('input', { type: 'time', 'aria-label': 'Quiet hours end', name: 'quiet-end' });
    const zone = el('input', { type: 'text', 'aria-label': 'Time zone', name: 'quiet-zone', size: '14' });
    start.value = q ? q.start : '22:00';
    end.value = q ? q.end : '07:00';
    zone.value = q ? q.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const save = el('button', { type: 'button', name: 'quiet-save' }, q ? 'Update' : 'Turn on');
    save.addEventListener('click', () => this.patch({ quietHours: { start: start.value, end: end.value, timezone: zone.value } }));
    const parts = [el('legend', {}, 'Quiet hours'), start, ' to ', end, ' ', zone, ' ', save];
    if (q) {
      const off = el('button', { type: 'button', name: 'quiet-off' }, 'Turn off');
      off.addEventListener('click', () => this.patch({ quietHours: null }));
      parts.push(' ', off);
    }
    return el('fieldset', {}, ...parts);
  }

  /** A type the inbox has not shown yet can be named, to switch it off before it arrives. */
  addType() {
    const name = el('input', { type: 'text', 'aria-label': 'Notification type', name: 'new-type', size: '12', placeholder: 'type' });
    const add = el('button', { type: 'button' }, 'Add type');
    add.addEventListener('click', () => {
      const t = name.value.trim();
      if (t) this.patch({ types: { [t]: { inApp: true } } });
    });
    return el('fieldset', {}, el('legend', {}, 'Another type'), name, ' ', add);
  }
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}
