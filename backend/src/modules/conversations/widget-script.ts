/**
 * The website widget, as the browser runs it: plain ES2017, no framework, no
 * dependencies, drawn inside a shadow root so the host page's CSS neither
 * reaches it nor is touched by it. Served per public key by
 * WidgetScriptController with the key and the API address written in.
 */
const SOURCE = String.raw`(function () {
  'use strict';
  var CONFIG = __CONFIG__;
  if (window.__meridianWidget && window.__meridianWidget[CONFIG.key]) return;
  window.__meridianWidget = window.__meridianWidget || {};
  window.__meridianWidget[CONFIG.key] = true;
  var api = CONFIG.apiBase + '/api/public/widget/' + encodeURIComponent(CONFIG.key);
  var storeKey = 'meridian-widget:' + CONFIG.key;
  // readAt: the newest message the visitor has seen with the panel open (replies after it are unread).
  var state = { open: false, token: null, cursor: null, formToken: null, seen: {}, settings: null, readAt: '', unread: 0, closed: false };
  // The live stream, and polling (every 20 s) while the stream is not live.
  var live = { abort: null, ready: false, attempt: 0, retry: null, poll: null, stopped: false };
  var POLL_MS = 20000;
  try {
    var saved = JSON.parse(localStorage.getItem(storeKey) || 'null');
    if (saved && saved.token) { state.token = saved.token; state.readAt = saved.readAt || ''; }
  } catch (e) {}
  function remember() {
    try { localStorage.setItem(storeKey, JSON.stringify({ token: state.token, readAt: state.readAt })); } catch (e) {}
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }
  function request(method, path, body) {
    var headers = { 'content-type': 'application/json' };
    if (state.token) headers['x-widget-visitor'] = state.token;
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined, credentials: 'omit', mode: 'cors' })
      .then(function (res) {
        return res.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) {}
          if (!res.ok) { var err = new Error((data && data.detail) || ('Error ' + res.status)); err.status = res.status; err.problem = data; throw err; }
          return data;
        });
      });
  }

  var host = el('div', { id: 'meridian-widget', 'data-key': CONFIG.key });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = el('style', { text: [
    ':host{all:initial}',
    '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
    '.launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;cursor:pointer;background:var(--accent);color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000;display:flex;align-items:center;justify-content:center}',
    '.launcher svg{width:28px;height:28px;fill:currentColor}',
    '.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#ba1a1a;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff;display:none}',
    '.badge.on{display:block}',
    '.note{align-self:center;font-size:12px;color:#5d5f67;background:#f1f0f4;border-radius:10px;padding:4px 10px;text-align:center}',
    '.panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;color:#1b1b1f;border-radius:16px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483000;display:none;flex-direction:column;overflow:hidden}',
    '.panel.open{display:flex}',
    '@media (max-width:480px){.panel{right:8px;left:8px;width:auto;bottom:84px;height:calc(100vh - 100px)}}',
    '.head{background:var(--accent);color:#fff;padding:14px 16px;font-size:15px;font-weight:600;display:flex;justify-content:space-between;align-items:center}',
    '.head button{background:transparent;border:0;color:#fff;font-size:20px;cursor:pointer;line-height:1}',
    '.body{flex:1;overflow:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px;font-size:14px}',
    '.greeting{color:#44474f;line-height:1.4}',
    'form{display:flex;flex-direction:column;gap:8px}',
    'label{font-size:13px;color:#44474f;display:flex;flex-direction:column;gap:4px}',
    'input,textarea{font-size:14px;padding:8px 10px;border:1px solid #c4c6d0;border-radius:8px;color:#1b1b1f;background:#fff;width:100%}',
    'textarea{resize:vertical;min-height:64px}',
    '.consent{flex-direction:row;align-items:flex-start;gap:8px}',
    '.consent input{width:auto;margin-top:2px}',
    '.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}',
    '.send{background:var(--accent);color:#fff;border:0;border-radius:20px;padding:9px 16px;font-size:14px;cursor:pointer;align-self:flex-end}',
    '.send[disabled]{opacity:.6;cursor:default}',
    '.error{color:#ba1a1a;font-size:13px}',
    '.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word;line-height:1.4}',
    '.msg.in{align-self:flex-end;background:var(--accent);color:#fff;border-bottom-right-radius:4px}',
    '.msg.out{align-self:flex-start;background:#eef0f7;color:#1b1b1f;border-bottom-left-radius:4px}',
    '.who{font-size:11px;color:#5d5f67;margin-bottom:2px}',
    '.compose{display:flex;gap:6px;padding:10px;border-top:1px solid #e1e2ec}',
    '.compose input{flex:1}',
    '.foot{font-size:11px;color:#74777f;text-align:center;padding:4px 0 8px}'
  ].join('\n') });
  var launcher = el('button', { class: 'launcher', type: 'button', 'aria-label': 'Chat with us', 'aria-expanded': 'false' });
  launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
  var badge = el('span', { class: 'badge', 'aria-hidden': 'true' });
  launcher.appendChild(badge);
  var body = el('div', { class: 'body', role: 'log', 'aria-live': 'polite' });
  var compose = el('form', { class: 'compose' });
  var panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': 'Chat' }, [
    el('div', { class: 'head' }, [el('span', { text: 'Chat with us' }), el('button', { type: 'button', 'aria-label': 'Close', text: '\u00d7', onclick: toggle })]),
    body,
    compose,
    el('div', { class: 'foot', text: 'Answers may come from our help pages.' })
  ]);
  root.appendChild(style);
  root.appendChild(panel);
  root.appendChild(launcher);
  launcher.addEventListener('click', toggle);

  function toggle() {
    state.open = !state.open;
    panel.classList.toggle('open', state.open);
    launcher.setAttribute('aria-expanded', String(state.open));
    if (state.open) { markRead(); start(); }
  }
  function markRead() {
    state.unread = 0;
    showBadge();
    var bubbles = body.querySelectorAll('.msg');
    var last = bubbles.length ? bubbles[bubbles.length - 1].getAttribute('data-at') : '';
    if (last && last > state.readAt) { state.readAt = last; remember(); }
  }
  function showBadge() {
    badge.textContent = state.unread > 9 ? '9+' : String(state.unread);
    badge.classList.toggle('on', state.unread > 0);
    launcher.setAttribute('aria-label', state.unread > 0 ? 'Chat with us (' + state.unread + ' new ' + (state.unread === 1 ? 'reply' : 'replies') + ')' : 'Chat with us');
  }
  function start() {
    if (state.settings) { if (state.token) connect(); return render(); }
    request('GET', '/config').then(function (cfg) {
      state.settings = cfg;
      state.formToken = cfg.formToken;
      host.style.setProperty('--accent', cfg.accentColor);
      render();
      if (state.token) connect();
    }).catch(function (err) { body.textContent = ''; body.appendChild(el('p', { class: 'error', text: err.message })); });
  }
  function render() {
    if (state.token) return renderChat();
    body.textContent = '';
    compose.style.display = 'none';
    var error = el('p', { class: 'error', role: 'alert' });
    var name = el('input', { name: 'name', required: 'required', autocomplete: 'name', maxlength: '200' });
    var email = el('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: '320' });
    var phone = el('input', { name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: '40' });
    var message = el('textarea', { name: 'message', required: 'required', maxlength: '2000' });
    var consent = el('input', { name: 'consent', type: 'checkbox', required: 'required' });
    var honeypot = el('input', { name: 'website', tabindex: '-1', autocomplete: 'off' });
    var send = el('button', { class: 'send', type: 'submit', text: 'Send' });
    var form = el('form', { novalidate: 'novalidate' }, [
      el('label', { text: 'Name' }, [name]),
      el('label', { text: 'Email' }, [email]),
      el('label', { text: 'Phone (with country code)' }, [phone]),
      el('label', { text: 'Your question' }, [message]),
      el('label', { class: 'consent' }, [consent, el('span', { text: 'I agree that you store my details to answer me.' })]),
      el('div', { class: 'hp', 'aria-hidden': 'true' }, [el('label', { text: 'Website' }, [honeypot])]),
      error,
      send
    ]);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      error.textContent = '';
      if (!name.value.trim() || !message.value.trim()) { error.textContent = 'Please give your name and your question.'; return; }
      if (!email.value.trim() && !phone.value.trim()) { error.textContent = 'Please give an email or a phone number so we can answer.'; return; }
      if (!consent.checked) { error.textContent = 'Please tick the box so we may store your details.'; return; }
      send.disabled = true;
      request('POST', '/conversations', {
        name: name.value, email: email.value || null, phone: phone.value || null, message: message.value,
        consent: true, formToken: state.formToken, website: honeypot.value, pageUrl: location.href
      }).then(function (res) {
        state.token = res.visitorToken;
        renderChat();
        show(res.messages);
        state.cursor = res.nextCursor;
        markRead();
        remember();
        live.stopped = false;
        connect();
      }).catch(function (err) {
        send.disabled = false;
        var fields = err.problem && err.problem.errors;
        error.textContent = fields && fields.length ? fields.map(function (f) { return f.field + ' ' + f.reason; }).join('; ') : err.message;
      });
    });
    body.appendChild(el('p', { class: 'greeting', text: state.settings.greeting }));
    body.appendChild(form);
  }
  function renderChat() {
    if (body.getAttribute('data-view') === 'chat') return;
    body.setAttribute('data-view', 'chat');
    body.textContent = '';
    compose.textContent = '';
    compose.style.display = 'flex';
    var input = el('input', { name: 'text', 'aria-label': 'Message', maxlength: '2000', placeholder: 'Write a message' });
    var send = el('button', { class: 'send', type: 'submit', text: 'Send' });
    compose.appendChild(input);
    compose.appendChild(send);
    compose.onsubmit = function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      send.disabled = true;
      request('POST', '/messages', { text: text }).then(function (res) {
        input.value = '';
        send.disabled = false;
        show(res.items);
      }).catch(function (err) { send.disabled = false; failed(err); });
    };
  }
  function failed(err) {
    if (err.status === 401) {
      stopLive();
      state.token = null; state.cursor = null; state.seen = {}; state.readAt = ''; state.unread = 0; showBadge();
      try { localStorage.removeItem(storeKey); } catch (e) {}
      body.removeAttribute('data-view');
      if (state.settings) render();
      return;
    }
    // The key was replaced or the widget switched off (404), or this site is no longer allowed (403): nothing to retry.
    if (err.status === 404 || err.status === 403) stopLive();
    if (state.open) body.appendChild(el('p', { class: 'error', role: 'alert', text: err.message }));
  }
  function show(messages) {
    renderChat();
    (messages || []).forEach(function (m) {
      if (state.seen[m.id]) return;
      state.seen[m.id] = true;
      var bubble = el('div', { class: 'msg ' + m.direction, 'data-kind': m.kind, 'data-at': m.createdAt });
      if (m.direction === 'out' && m.authorLabel) bubble.appendChild(el('div', { class: 'who', text: m.authorLabel }));
      bubble.appendChild(document.createTextNode(m.body));
      body.insertBefore(bubble, note.parentNode === body ? note : null);
      if (state.open) { if (m.createdAt > state.readAt) { state.readAt = m.createdAt; remember(); } }
      else if (m.direction === 'out' && m.createdAt > state.readAt) { state.unread++; showBadge(); }
    });
    body.scrollTop = body.scrollHeight;
  }
  var note = el('p', { class: 'note', role: 'status', text: 'This conversation was closed. Write again if you need anything.' });
  function showStatus(status) {
    state.closed = status === 'closed';
    if (state.closed) { body.appendChild(note); body.scrollTop = body.scrollHeight; }
    else if (note.parentNode) note.parentNode.removeChild(note);
  }

  // Replies arrive on a server-sent event stream, read with fetch because EventSource cannot send
  // the visitor header (the token stays out of URLs and so out of access logs). Each message event
  // carries its cursor as id: a reconnect sends it back as Last-Event-ID and resumes there.
  function connect() {
    if (!state.token || live.abort || live.stopped) return;
    if (live.retry) { clearTimeout(live.retry); live.retry = null; }
    if (typeof AbortController === 'undefined' || typeof TextDecoder === 'undefined') return startPolling();
    var abort = new AbortController();
    live.abort = abort;
    var headers = { accept: 'text/event-stream', 'x-widget-visitor': state.token };
    if (state.cursor) headers['last-event-id'] = state.cursor;
    fetch(api + '/stream', { headers: headers, credentials: 'omit', mode: 'cors', cache: 'no-store', signal: abort.signal })
      .then(function (res) {
        if (!res.ok || !res.body || !res.body.getReader) {
          return res.text().then(function (text) {
            var data = null;
            try { data = text ? JSON.parse(text) : null; } catch (e) {}
            var err = new Error((data && data.detail) || ('Error ' + res.status));
            err.status = res.status;
            err.retryAfter = Number(res.headers.get('retry-after')) || 0;
            throw err;
          });
        }
        return readEvents(res.body.getReader(), abort);
      })
      .then(function () { dropped(abort, null); }, function (err) { dropped(abort, err); });
  }
  function readEvents(reader, abort) {
    var decoder = new TextDecoder();
    var buffer = '';
    var ev = { id: null, event: 'message', data: '' };
    function line(text) {
      if (text === '') {
        if (ev.data) dispatch(ev);
        ev = { id: null, event: 'message', data: '' };
        return;
      }
      if (text.charAt(0) === ':') return;
      var colon = text.indexOf(':');
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') ev.id = value;
      else if (field === 'event') ev.event = value;
      else if (field === 'data') ev.data += (ev.data ? '\n' : '') + value;
    }
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done || live.abort !== abort) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        var lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop();
        lines.forEach(line);
        return pump();
      });
    }
    return pump();
  }
  function dispatch(ev) {
    var data;
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    if (ev.event === 'message') { show([data]); if (ev.id) state.cursor = ev.id; }
    else if (ev.event === 'status') showStatus(data.status);
    else if (ev.event === 'ready') {
      live.ready = true; live.attempt = 0; stopPolling();
      // A conversation from before unread counts were kept: what it holds so far counts as seen.
      if (!state.readAt) markRead();
    }
  }
  function dropped(abort, err) {
    if (live.abort !== abort) return;
    live.abort = null;
    live.ready = false;
    if (err && err.status === 401) return failed(err);
    if (err && (err.status === 404 || err.status === 403)) return failed(err);
    if (live.stopped || !state.token) return;
    startPolling();
    // 1 s, 2 s, 4 s ... up to a minute, with jitter; at least what a 429 asked for.
    var delay = Math.min(60000, 1000 * Math.pow(2, live.attempt++)) * (0.75 + Math.random() / 2);
    if (err && err.retryAfter) delay = Math.max(delay, err.retryAfter * 1000);
    live.retry = setTimeout(function () { live.retry = null; connect(); }, delay);
  }
  function stopLive() {
    live.stopped = true;
    stopPolling();
    if (live.retry) { clearTimeout(live.retry); live.retry = null; }
    var abort = live.abort;
    live.abort = null;
    if (abort) abort.abort();
  }
  function pollOnce() {
    if (!state.token) return stopPolling();
    request('GET', '/messages' + (state.cursor ? '?after=' + encodeURIComponent(state.cursor) : '')).then(function (res) {
      show(res.items);
      state.cursor = res.nextCursor || state.cursor;
    }).catch(failed);
  }
  function startPolling() {
    if (live.poll || !state.token) return;
    pollOnce();
    live.poll = setInterval(pollOnce, POLL_MS);
  }
  function stopPolling() { if (live.poll) { clearInterval(live.poll); live.poll = null; } }

  host.style.setProperty('--accent', '#3f51b5');
  (document.body || document.documentElement).appendChild(host);
  // A returning visitor: their conversation, and the replies that came since they last looked.
  if (state.token) connect();
})();
`;

export interface WidgetBootConfig {
  key: string;
  apiBase: string;
}

export function widgetScript(config: WidgetBootConfig): string {
  // JSON of two plain strings, with '<' escaped so it can never close a script element.
  const json = JSON.stringify({ key: config.key, apiBase: config.apiBase }).replace(/</g, '\\u003c');
  return SOURCE.replace('__CONFIG__', json);
}
