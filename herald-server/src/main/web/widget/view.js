// The widget's shadow DOM. Every colour and size is a CSS variable with a default, so a page themes
// it from outside: herald-inbox { --herald-accent: #0a7; --herald-panel-width: 24rem; }
export const STYLE = `
:host { position: relative; display: inline-block; font: var(--herald-font, 14px/1.4 system-ui, sans-serif);
  color: var(--herald-text, #1d2430); }
button { font: inherit; cursor: pointer; }
#bell { position: relative; background: var(--herald-bell-bg, transparent); border: 0; padding: .4rem;
  border-radius: 50%; color: inherit; }
#bell:focus-visible, button:focus-visible, .item:focus-visible { outline: 2px solid var(--herald-accent, #2563eb); outline-offset: 2px; }
#bell svg { width: var(--herald-bell-size, 1.5rem); height: var(--herald-bell-size, 1.5rem); display: block; }
#count { position: absolute; top: 0; right: 0; min-width: 1.1rem; padding: 0 .25rem; border-radius: .6rem;
  background: var(--herald-badge-bg, #dc2626); color: var(--herald-badge-text, #fff); font-size: .7rem; line-height: 1.1rem; text-align: center; }
#panel { position: absolute; right: 0; top: 100%; z-index: var(--herald-z, 1000); width: var(--herald-panel-width, 25rem); max-width: calc(100vw - 1rem);
  background: var(--herald-panel-bg, #fff); border: 1px solid var(--herald-border, #d6dae1); border-radius: var(--herald-radius, .5rem);
  box-shadow: 0 8px 24px rgba(0,0,0,.12); }
header { display: flex; align-items: center; gap: .5rem; padding: .5rem .75rem; border-bottom: 1px solid var(--herald-border, #d6dae1); }
header h2 { font-size: 1rem; margin: 0; flex: 1; }
header button { background: none; border: 0; color: var(--herald-accent, #2563eb); padding: .2rem .3rem; }
header button:disabled { color: var(--herald-muted, #7b8494); cursor: default; }
#list { list-style: none; margin: 0; padding: 0; max-height: var(--herald-list-height, 24rem); overflow-y: auto; }
.item { padding: .55rem .75rem; border-bottom: 1px solid var(--herald-border, #eceef2); cursor: pointer; position: relative; }
.item.unread { background: var(--herald-unread-bg, #eff4ff); }
.item.unread .title { font-weight: 600; }
.message { color: var(--herald-muted, #4b5565); }
time { font-size: .75rem; color: var(--herald-muted, #7b8494); }
.mark-read { position: absolute; right: .5rem; top: .5rem; font-size: .75rem; background: none; border: 0; color: var(--herald-accent, #2563eb); }
#empty { padding: 1rem .75rem; color: var(--herald-muted, #7b8494); }
#state { padding: .3rem .75rem; font-size: .75rem; color: var(--herald-muted, #7b8494); }
#state.problem { color: var(--herald-error, #b91c1c); }
#prefs { padding: .5rem .75rem; border-bottom: 1px solid var(--herald-border, #d6dae1); overflow-x: auto; }
#prefs select { font: inherit; max-width: 5.2rem; }
#prefs table { border-collapse: collapse; width: 100%; font-size: .8rem; }
#prefs th, #prefs td { padding: .15rem; text-align: center; }
#prefs th:first-child, #prefs td:first-child { text-align: left; }
#prefs fieldset { border: 0; padding: 0; margin: .5rem 0; }
#prefs legend { font-weight: 600; }
#toasts { position: fixed; right: 1rem; bottom: 1rem; display: flex; flex-direction: column; gap: .5rem; z-index: var(--herald-z, 1000); }
.toast { background: var(--herald-toast-bg, #1d2430); color: var(--herald-toast-text, #fff); padding: .6rem .9rem;
  border-radius: var(--herald-radius, .5rem); box-shadow: 0 4px 12px rgba(0,0,0,.2); max-width: 20rem; }
[hidden] { display: none !important; }
`;

export const TEMPLATE = `
<button id="bell" type="button" aria-haspopup="true" aria-expanded="false" aria-controls="panel" aria-label="Notifications">
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
    <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 01-3.4 0"/></svg>
  <span id="count" hidden aria-hidden="true">0</span>
</button>
<div id="panel" role="dialog" aria-label="Notifications" hidden>
  <header>
    <h2>Notifications</h2>
    <button id="mark-all" type="button" disabled>Mark all read</button>
    <button id="show-prefs" type="button" aria-expanded="false" aria-controls="prefs">Preferences</button>
  </header>
  <section id="prefs" aria-label="Notification preferences" hidden></section>
  <ul id="list" role="menu" aria-label="Inbox"></ul>
  <div id="empty">No notifications yet.</div>
  <div id="state" role="status" aria-live="polite">connecting…</div>
</div>
<div id="toasts" aria-live="polite"></div>
`;
