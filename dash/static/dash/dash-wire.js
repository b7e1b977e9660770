/*
 * dash-wire: live model events in the Django admin, over Server-Sent Events.
 *
 * Reads its configuration from <script id="dash-wire-config">, shows a toast
 * per event and a banner where an event makes the page on screen stale, and
 * lets project scripts react through window.DashWire.on(). No build step.
 */
(function () {
  'use strict';

  const TOAST_MS = 6000;
  const MAX_TOASTS = 5;
  const RETRY_BASE_MS = 1000;
  const RETRY_CAP_MS = 60000;
  const PROBE_TIMEOUT_MS = 10000;
  const REASON_LIMIT = 300;
  const SEEN_LIMIT = 200;

  // Marks strings for makemessages; they are translated where they are used.
  const gettext_noop = (text) => text;
  const SUMMARIES = {
    created: gettext_noop('%(who)s created %(kind)s “%(name)s”'),
    updated: gettext_noop('%(who)s updated %(kind)s “%(name)s”'),
    deleted: gettext_noop('%(who)s deleted %(kind)s “%(name)s”'),
  };

  const handlers = [];
  const banners = new Map();
  const fieldsChangedHere = new Set();
  const seen = new Set();
  const connection = {state: 'connecting', reason: '', attempts: 0};
  let config = null;
  let toastRegion = null;
  let bannerRegion = null;

  // The admin's jsi18n catalog defines window.gettext on the pages that load it.
  function gettext(text) {
    return typeof window.gettext === 'function' ? window.gettext(text) : text;
  }

  function interpolate(template, values) {
    if (typeof window.interpolate === 'function') {
      return window.interpolate(template, values, true);
    }
    return template.replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));
  }

  function parse(json) {
    try {
      return JSON.parse(json);
    } catch (error) {
      return null;
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setState(state, reason) {
    connection.state = state;
    connection.reason = reason || '';
    document.documentElement.dataset.dashWire = state;
  }

  function toast(text) {
    const node = el('div', 'dash-wire-toast');
    const close = el('button', 'dash-wire-close', '×');
    let timer = 0;
    const pause = () => window.clearTimeout(timer);
    const start = () => {
      pause();
      timer = window.setTimeout(() => node.remove(), TOAST_MS);
    };

    close.type = 'button';
    close.setAttribute('aria-label', gettext('Dismiss'));
    close.addEventListener('click', () => {
      pause();
      node.remove();
    });
    // Pointing at or tabbing to a toast holds it (WCAG 2.2.1, timing).
    node.addEventListener('mouseenter', pause);
    node.addEventListener('focusin', pause);
    node.addEventListener('mouseleave', start);
    node.addEventListener('focusout', start);
    node.append(el('p', 'dash-wire-toast-text', text), close);
    toastRegion.append(node);
    while (toastRegion.childElementCount > MAX_TOASTS) {
      toastRegion.firstElementChild.remove();
    }
    start();
  }

  // One banner per key, rewritten in place, so a page never stacks copies.
  function banner(key, variant, text, linkText) {
    if (!bannerRegion) {
      bannerRegion = el('div', 'dash-wire-banners');
      (document.getElementById('content-start') || document.body).prepend(bannerRegion);
    }
    if (!banners.has(key)) {
      const node = el('div', '');
      node.setAttribute('role', variant === 'info' ? 'status' : 'alert');
      banners.set(key, bannerRegion.appendChild(node));
    }
    const node = banners.get(key);
    node.className = `dash-wire-banner dash-wire-banner--${variant}`;
    node.replaceChildren(text);
    if (linkText) {
      const link = el('a', 'dash-wire-reload', linkText);
      // A GET of the page as it is: never a resubmitted POST, never a bare #hash.
      link.href = window.location.pathname + window.location.search;
      node.append(' ', link);
    }
  }

  function showModelEvent(payload) {
    const fields = Object.keys(payload.changes || {});
    const values = {
      who: payload.causer ? payload.causer.name : gettext('Someone'),
      kind: payload.verbose_name || payload.model,
      name: payload.object_repr || String(payload.pk),
      fields: fields.join(', '),
    };
    const summary = payload.action === 'updated' && fields.length
      ? gettext('%(who)s updated %(kind)s “%(name)s”: %(fields)s')
      : gettext(SUMMARIES[payload.action]);
    toast(interpolate(summary, values));

    const page = config.page;
    // A save that changed nothing leaves nothing on screen stale.
    if (!page || page.model !== payload.model) return;
    if (payload.action === 'updated' && !fields.length) return;
    if (page.view === 'changelist') {
      banner('changelist', 'info', `${gettext('Rows changed')} —`, gettext('reload'));
      return;
    }
    const causer = payload.causer;
    const byMe = causer && config.user && String(causer.id) === String(config.user.id);
    if (page.view !== 'change' || page.pk !== String(payload.pk) || byMe) return;
    if (payload.action === 'deleted') {
      const text = gettext('%(who)s deleted this %(kind)s.');
      banner('change', 'error', interpolate(text, values));
    } else if (payload.action === 'updated') {
      fields.forEach((field) => fieldsChangedHere.add(field));
      values.fields = Array.from(fieldsChangedHere).join(', ');
      const text = gettext(
        '%(who)s changed this %(kind)s while you were editing: %(fields)s. ' +
        'Reload to see the changes.'
      );
      banner('change', 'warning', interpolate(text, values), gettext('Reload'));
    }
  }

  function receive(data) {
    const message = parse(data);
    if (!message || typeof message.name !== 'string') return;
    // The server may send an event twice (a replay after a reconnect, its
    // storage watcher); the message id tells.
    if (message.id !== undefined) {
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value);
    }
    const payload = message.payload = message.payload || {};

    if (
      typeof payload.model === 'string' &&
      Object.hasOwn(SUMMARIES, payload.action) &&
      message.name === `${payload.model}.${payload.action}`
    ) {
      showModelEvent(payload);
    } else if (typeof payload.message === 'string') {
      toast(payload.message);
    }
    for (const {pattern, fn} of handlers.slice()) {
      if (!pattern.test(message.name)) continue;
      try {
        fn(message);
      } catch (error) {
        console.error('dash-wire: a DashWire.on() handler failed', error);
      }
    }
  }

  function connect() {
    const stream = new EventSource(config.streamUrl);
    setState('connecting');
    // Not 'open': the headers arrive before the server has subscribed the
    // stream to its channels, and an event sent in between would be lost.
    stream.addEventListener('stream-open', () => {
      connection.attempts = 0;
      setState('open');
    });
    stream.addEventListener('message', (event) => receive(event.data));
    // django-eventstream ends the stream after this event and refuses to
    // resume from its id ("error"), so the browser must not reconnect itself.
    stream.addEventListener('stream-error', (event) => {
      stream.close();
      const error = parse(event.data) || {};
      if (error.condition === 'internal-error') retry();
      // The server closes a stream when the user's access ends or changes
      // (sign-out, lost permissions); asking again tells which it was.
      else if (error.condition === 'forbidden') probe();
      else turnOff(error.text || error.condition || '');
    });
    stream.addEventListener('error', () => {
      // CONNECTING: the browser retries by itself after a network drop.
      // CLOSED: it gave up on an answer that was not a 200 event stream.
      if (stream.readyState === EventSource.CLOSED) probe();
      else setState('connecting');
    });
  }

  // Note: a new EventSource starts afresh, so events sent while it was closed
  // are not replayed; only the browser's own reconnects send Last-Event-ID.
  function retry() {
    const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** connection.attempts);
    connection.attempts += 1;
    setState('connecting');
    window.setTimeout(connect, delay / 2 + (Math.random() * delay) / 2);
  }

  function turnOff(reason) {
    setState('off', reason);
    const text = interpolate(gettext('Live updates are off: %(reason)s'), {reason});
    banner('connection', 'warning', text);
  }

  // EventSource hides why it gave up; ask once more to read status and reason.
  async function probe() {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), PROBE_TIMEOUT_MS);
    setState('connecting');
    try {
      const response = await fetch(config.streamUrl, {
        cache: 'no-store',
        signal: controller.signal,
      });
      const {ok, status} = response;
      const type = response.headers.get('Content-Type') || '';
      if (ok && type.startsWith('text/event-stream')) return retry();
      if (!ok && (status < 400 || status >= 500 || status === 408 || status === 429)) {
        return retry();
      }
      const body = type.startsWith('text/plain') ? (await response.text()).trim() : '';
      const fallback = ok
        ? gettext('the server did not answer with an event stream.')
        : interpolate(gettext('the server answered %(status)s.'), {status});
      turnOff(body.slice(0, REASON_LIMIT) || fallback);
    } catch (error) {
      retry(); // Offline, timed out, or the server is restarting.
    } finally {
      window.clearTimeout(timer);
      controller.abort(); // Stop reading a stream whose status was all we wanted.
    }
  }

  /**
   * Call fn(message) for each message whose name matches nameOrPattern, where
   * "*" matches any run of characters ("library.*", "*.deleted"). Messages are
   * {id, name, payload, timestamp}. Return a function that removes fn again.
   */
  function on(nameOrPattern, fn) {
    if (typeof nameOrPattern !== 'string' || typeof fn !== 'function') {
      throw new TypeError('DashWire.on() takes a name or pattern and a function.');
    }
    const parts = nameOrPattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    const entry = {pattern: new RegExp(`^${parts.join('.*')}$`), fn};
    handlers.push(entry);
    return () => {
      const index = handlers.indexOf(entry);
      if (index !== -1) handlers.splice(index, 1);
    };
  }

  window.DashWire = Object.freeze({
    on,
    /** A copy of the connection's state: "open", "connecting" or "off". */
    get connection() {
      return {...connection};
    },
  });

  const configNode = document.getElementById('dash-wire-config');
  config = configNode && parse(configNode.textContent);
  if (!config || typeof config.streamUrl !== 'string' || !window.EventSource) {
    setState('off', 'no configuration, or a browser without EventSource');
    return;
  }
  toastRegion = el('div', 'dash-wire-toasts');
  toastRegion.setAttribute('role', 'status');
  toastRegion.setAttribute('aria-live', 'polite');
  // role=status implies aria-atomic=true, which would reread every toast.
  toastRegion.setAttribute('aria-atomic', 'false');
  document.body.append(toastRegion);
  connect();
})();
