/*
 * rum.js: swift-rum's browser real-user-monitoring script.
 *
 * A small, dependency-free stand-in for the Grafana Faro Web SDK that speaks its wire format:
 * it POSTs JSON payloads `{meta, logs, exceptions, measurements, events, traces}` that
 * Grafana Alloy's `faro.receiver` and our `faro-collector` accept (field names as in
 * Sources/FaroModel, a port of Alloy's payload.go).
 *
 * Configuration, from this script's own tag:
 *   <script src="/static/rum.js"
 *           data-collector-url="https://collector.example.com/collect"   (required: where to POST)
 *           data-app-name="shop" data-app-version="1.2.3" data-app-environment="production"
 *           data-api-key="..."></script>                                  (optional: x-api-key header)
 * and from the page's `<meta name="traceparent" content="00-<trace id>-<span id>-<flags>">`,
 * written by the server span that rendered the page. Every item carries that trace and span
 * (`trace: {trace_id, span_id}`), and the fetch spans below continue that trace.
 *
 * What it sends:
 *   - measurements `{type: "web-vitals", values: {<vital>: n}, context}`: TTFB, FCP, LCP, CLS
 *     and INP, each at most once per page, observed with PerformanceObserver;
 *   - exceptions `{type, value, stacktrace: {frames}}` for uncaught errors and unhandled
 *     rejections, frames innermost first as Faro sends them;
 *   - logs `{message, level}` for console.error and console.warn calls;
 *   - events `{name, domain, attributes}`: `session_start`, `page_view` and the page's own;
 *   - `traces`: an OTLP/JSON client span per same-origin fetch(), whose `traceparent`
 *     header this script adds so that the server's span becomes the span's child.
 * Items are batched (one POST a second, or at 50 items) and posted with keepalive; when the
 * page is hidden the final vitals are reported and everything queued is posted at once.
 *
 * API: window.swiftRUM = {pushEvent, pushLog, pushError, flush, traceparent, session, stats}.
 * Nothing here throws into the page: failures are counted in swiftRUM.stats and otherwise ignored.
 */
(() => {
  'use strict';

  if (window.swiftRUM) return; // loaded twice: the first copy does the work

  const SDK_NAME = 'swift-rum-browser';
  const SDK_VERSION = '1.0.0';
  const BATCH_DELAY_MS = 1000; // a batch leaves this long after its first item...
  const BATCH_MAX_ITEMS = 50; // ...or as soon as it holds this many
  const PENDING_LIMIT = 500; // items queued or in flight; more are dropped
  const KEEPALIVE_LIMIT = 60000; // bytes: Chrome allows 64 KiB of keepalive bodies in flight
  const SESSION_KEY = 'swiftRUM.sessionId';

  // ---- Configuration -------------------------------------------------------------------------

  const script = document.currentScript || document.querySelector('script[data-collector-url]');
  const settings = (script && script.dataset) || {};
  const collectorURL = parseURL(settings.collectorUrl);
  const app = { name: settings.appName, version: settings.appVersion, environment: settings.appEnvironment };

  const traceparentMeta = document.querySelector('meta[name="traceparent"]');
  const pageTrace = parseTraceparent(traceparentMeta && traceparentMeta.getAttribute('content'));
  // The trace context that every item carries, or nothing when the page has none.
  const itemTrace = pageTrace ? { trace_id: pageTrace.traceId, span_id: pageTrace.spanId } : undefined;

  const session = startSession();
  const pageId = shortId();
  const browser = browserMeta();
  const stats = { sent: 0, dropped: 0, failed: 0 };

  /** A W3C traceparent (version 00, lowercase hex, ids not all zeros), or null. */
  function parseTraceparent(value) {
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec((value || '').trim());
    if (!match || /^0+$/.test(match[1]) || /^0+$/.test(match[2])) return null;
    // Only the flags W3C Trace Context defines: sampled (0x01) and random trace id (0x02).
    return { value: match[0], traceId: match[1], spanId: match[2], flags: parseInt(match[3], 16) & 0x03 };
  }

  function parseURL(text) {
    try {
      return text ? new URL(text, location.href) : null;
    } catch {
      return null;
    }
  }

  /** `bytes` random bytes as lowercase hex, never all zeros (W3C trace and span ids). */
  function randomHex(bytes) {
    const buffer = crypto.getRandomValues(new Uint8Array(bytes));
    const hex = Array.from(buffer, (byte) => byte.toString(16).padStart(2, '0')).join('');
    return /^0+$/.test(hex) ? randomHex(bytes) : hex;
  }

  /** A 10-character alphanumeric id, like Faro's session and page ids. */
  function shortId() {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from(crypto.getRandomValues(new Uint8Array(10)), (byte) => alphabet[byte % alphabet.length]).join('');
  }

  /** The tab's session: its id lives in sessionStorage, so it lasts as long as the tab. */
  function startSession() {
    try {
      const stored = sessionStorage.getItem(SESSION_KEY);
      if (stored) return { id: stored, isNew: false };
    } catch {
      // storage disabled: a session per page
    }
    const id = shortId();
    try {
      sessionStorage.setItem(SESSION_KEY, id);
    } catch {
      // storage disabled or full
    }
    return { id, isNew: true };
  }

  /** `meta.browser` as Faro fills it, from User-Agent Client Hints when present, else the User-Agent. */
  function browserMeta() {
    const userAgent = navigator.userAgent || '';
    const uaData = navigator.userAgentData;
    const fromUA = parseUserAgent(userAgent);
    const meta = {
      name: fromUA.name,
      version: fromUA.version,
      os: `${fromUA.osName} ${fromUA.osVersion}`,
      mobile: fromUA.mobile,
      userAgent,
      language: navigator.language || 'unknown',
    };
    if (uaData && Array.isArray(uaData.brands) && uaData.brands.length) {
      // Client Hints list GREASE brands ("Not A(Brand") and "Chromium" beside the real one.
      const brands = uaData.brands.filter((entry) => !/not.?a.?brand/i.test(entry.brand));
      const brand = brands.find((entry) => entry.brand !== 'Chromium') || brands[0];
      if (brand) {
        meta.name = brand.brand.replace(/^(Google|Microsoft) /, '');
        // The brand's version is the major one; the User-Agent has the (reduced) full one.
        meta.version = fromUA.version.split('.')[0] === brand.version ? fromUA.version : brand.version;
      }
      if (uaData.platform) meta.os = `${uaData.platform} ${fromUA.osVersion}`;
      meta.mobile = Boolean(uaData.mobile);
    }
    return meta;
  }

  /** Browser name and version, OS name and version, and mobile flag from a User-Agent string. */
  function parseUserAgent(userAgent) {
    const browsers = [
      ['Edge', /Edg(?:e|A|iOS)?\/([\d.]+)/],
      ['Opera', /OPR\/([\d.]+)/],
      ['Firefox', /(?:Firefox|FxiOS)\/([\d.]+)/],
      ['Chrome Headless', /HeadlessChrome\/([\d.]+)/],
      ['Chrome', /(?:Chrome|CriOS)\/([\d.]+)/],
      ['Safari', /Version\/([\d.]+).*Safari\//],
    ];
    const systems = [
      ['Windows', /Windows NT ([\d.]+)/],
      ['iOS', /(?:iPhone|iPad|iPod).*? OS ([\d_]+)/],
      ['Mac OS', /Mac OS X ([\d_.]+)/],
      ['Android', /Android ([\d.]+)/],
      ['Chromium OS', /CrOS \S+ ([\d.]+)/],
      ['Linux', /Linux ?([\w.]*)/],
    ];
    const browser = browsers.find(([, pattern]) => pattern.test(userAgent));
    const system = systems.find(([, pattern]) => pattern.test(userAgent));
    // Apple writes versions with underscores (Mac OS X 10_15_7); Linux's "version" is the CPU (x86_64).
    const systemVersion = system ? system[1].exec(userAgent)[1] : '';
    return {
      name: browser ? browser[0] : 'unknown',
      version: browser ? browser[1].exec(userAgent)[1] : 'unknown',
      osName: system ? system[0] : 'unknown',
      osVersion: /^[\d_]+$/.test(systemVersion) ? systemVersion.replace(/_/g, '.') : systemVersion || 'unknown',
      mobile: /Mobi/.test(userAgent),
    };
  }

  // ---- Queue and transport -------------------------------------------------------------------

  // The unwrapped fetch, taken before the instrumentation below replaces window.fetch, so
  // that posting telemetry never produces telemetry.
  const originalFetch = window.fetch;
  const queue = []; // {kind: 'logs' | 'exceptions' | 'measurements' | 'events' | 'spans', item}
  const inflight = new Set(); // the promises of POSTs not yet answered
  let inflightItems = 0;
  let inflightKeepaliveBytes = 0;
  let batchTimer = 0;

  function enqueue(kind, item) {
    if (!collectorURL || queue.length + inflightItems >= PENDING_LIMIT) {
      stats.dropped += 1;
      return;
    }
    queue.push({ kind, item });
    if (queue.length >= BATCH_MAX_ITEMS) {
      sendQueued();
    } else if (!batchTimer) {
      batchTimer = setTimeout(sendQueued, BATCH_DELAY_MS);
    }
  }

  /** Posts every queued item now, in as many bodies as it takes to keep each under the keepalive limit. */
  function sendQueued() {
    clearTimeout(batchTimer);
    batchTimer = 0;
    if (queue.length) {
      for (const batch of bodies(queue.splice(0))) post(batch);
    }
  }

  /**
   * JSON bodies for `items`, in order, each packed with as many items as keep it under
   * KEEPALIVE_LIMIT bytes (an item that alone is larger goes alone).
   */
  function bodies(items) {
    const encoder = new TextEncoder();
    const byteLength = (text) => encoder.encode(text).length;
    // What a body holds besides its items: meta, member names, the traces envelope.
    const envelope = byteLength(JSON.stringify(payload([]))) + 1024;
    const out = [];
    let batch = [];
    let batchBytes = envelope;
    const close = () => {
      const body = JSON.stringify(payload(batch));
      out.push({ count: batch.length, body, bytes: byteLength(body) });
    };
    for (const entry of items) {
      const itemBytes = byteLength(JSON.stringify(entry.item)) + 1;
      if (batch.length && batchBytes + itemBytes > KEEPALIVE_LIMIT) {
        close();
        batch = [];
        batchBytes = envelope;
      }
      batch.push(entry);
      batchBytes += itemBytes;
    }
    if (batch.length) close();
    return out;
  }

  function payload(items) {
    const result = { meta: meta() };
    const spans = [];
    for (const { kind, item } of items) {
      if (kind === 'spans') {
        spans.push(item);
      } else {
        (result[kind] = result[kind] || []).push(item);
      }
    }
    if (spans.length) {
      result.traces = {
        resourceSpans: [
          {
            resource: { attributes: resourceAttributes() },
            scopeSpans: [{ scope: { name: SDK_NAME, version: SDK_VERSION }, spans }],
          },
        ],
      };
    }
    return result;
  }

  function meta() {
    return {
      sdk: {
        name: SDK_NAME,
        version: SDK_VERSION,
        integrations: ['web-vitals', 'errors', 'console', 'fetch-tracing'].map((name) => ({
          name: `${SDK_NAME}:${name}`,
          version: SDK_VERSION,
        })),
      },
      app,
      session: { id: session.id, attributes: { isSampled: 'true' } },
      page: { id: pageId, url: location.href },
      browser: { ...browser, viewportWidth: String(window.innerWidth), viewportHeight: String(window.innerHeight) },
      view: { name: 'default' },
    };
  }

  function resourceAttributes() {
    return [
      stringAttribute('service.name', app.name || 'unknown_service'),
      stringAttribute('service.version', app.version || ''),
      stringAttribute('deployment.environment.name', app.environment || ''),
      stringAttribute('telemetry.sdk.name', SDK_NAME),
      stringAttribute('telemetry.sdk.language', 'webjs'),
      stringAttribute('telemetry.sdk.version', SDK_VERSION),
      stringAttribute('session.id', session.id),
    ];
  }

  /**
   * POSTs one body. Keepalive lets the request outlive the page; Chrome refuses keepalive
   * requests beyond 64 KiB of bodies in flight, so a body that would pass that goes without.
   */
  function post({ count, body, bytes }) {
    const keepalive = inflightKeepaliveBytes + bytes <= KEEPALIVE_LIMIT;
    const headers = { 'Content-Type': 'application/json', 'x-faro-session-id': session.id };
    if (settings.apiKey) headers['x-api-key'] = settings.apiKey;
    if (keepalive) inflightKeepaliveBytes += bytes;
    inflightItems += count;
    const request = new Promise((resolve) => {
      resolve(originalFetch.call(window, collectorURL.href, { method: 'POST', headers, body, keepalive, credentials: 'omit' }));
    })
      .then(
        (response) => {
          if (response.ok) stats.sent += count;
          else stats.failed += count;
        },
        () => {
          stats.failed += count;
        },
      )
      .finally(() => {
        if (keepalive) inflightKeepaliveBytes -= bytes;
        inflightItems -= count;
        inflight.delete(request);
      });
    inflight.add(request);
  }

  // ---- Items ---------------------------------------------------------------------------------

  function timestamp() {
    return new Date().toISOString(); // RFC 3339 with milliseconds, as Faro sends
  }

  function stringAttribute(key, value) {
    return { key, value: { stringValue: String(value) } };
  }

  /** Text for a logged value: strings as they are, errors as "Name: message", the rest as JSON. */
  function describe(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    try {
      const json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch {
      return String(value);
    }
  }

  function pushEvent(name, attributes = {}, domain) {
    const strings = {};
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) strings[key] = typeof value === 'string' ? value : describe(value);
    }
    enqueue('events', { name: String(name), domain, attributes: strings, timestamp: timestamp(), trace: itemTrace });
  }

  function pushLog(message, level = 'info') {
    enqueue('logs', { message: describe(message), level: String(level), timestamp: timestamp(), trace: itemTrace });
  }

  function pushError(error) {
    enqueue('exceptions', exceptionItem(error, { message: describe(error) }));
  }

  /**
   * An exception item for `error` (an Error or an object with name, message and stack), or,
   * when there is no error object (a cross-origin "Script error.", a thrown string), for
   * `details`: a message and, from an error event, the location.
   */
  function exceptionItem(error, details = {}) {
    let type = 'Error';
    let value = details.message || '';
    let frames = [];
    if (error && typeof error === 'object') {
      type = error.name || type;
      value = String(error.message === undefined ? describe(error) : error.message);
      frames = parseStack(String(error.stack || ''));
    } else {
      const match = /^(?:Uncaught )?([A-Za-z]*Error): (.*)$/s.exec(value);
      if (match) [, type, value] = match;
      if (details.filename) {
        frames = [{ filename: details.filename, function: '?', lineno: details.lineno || 0, colno: details.colno || 0 }];
      }
    }
    const item = { type, value, timestamp: timestamp(), trace: itemTrace };
    if (frames.length) item.stacktrace = { frames };
    return item;
  }

  /**
   * Stack frames, innermost first, from Chrome's `Error.stack` ("    at fn (url:line:col)",
   * "    at url:line:col") or Firefox's and Safari's ("fn@url:line:col").
   */
  function parseStack(stack) {
    const lines = stack.split('\n').filter((line) => line.length <= 1024);
    const chrome = lines.some((line) => /^\s*at /.test(line));
    const frames = [];
    for (const line of lines) {
      let functionName = '';
      let location = '';
      if (chrome) {
        const at = /^\s*at (.*?)\s*$/.exec(line);
        if (!at) continue; // the "TypeError: message" line
        const call = /^(.*?) \((.*)\)$/.exec(at[1]);
        if (call) [, functionName, location] = call;
        else location = at[1];
        // "eval at fn (url:1:2), <anonymous>:3:4": the script that called eval
        const evalCaller = /^eval at .*\((\S+:\d+:\d+)\)/.exec(location);
        if (evalCaller) location = evalCaller[1];
        location = location.replace(/^address at /, '');
      } else {
        const at = /^\s*(.*?)@(.*?)\s*$/.exec(line);
        if (!at) continue;
        [, functionName, location] = at;
      }
      const position = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(location);
      const frame = { filename: position[1], function: functionName || '?' };
      if (position[2]) frame.lineno = Number(position[2]);
      if (position[3]) frame.colno = Number(position[3]);
      if (frame.filename || functionName) frames.push(frame);
    }
    return frames;
  }

  // ---- Errors and console ----------------------------------------------------------------------

  window.addEventListener('error', (event) => {
    try {
      enqueue('exceptions', exceptionItem(event.error, event));
    } catch {
      // never throw into the page
    }
  });

  window.addEventListener('unhandledrejection', (event) => {
    try {
      const reason = event.reason;
      if (reason && typeof reason === 'object' && 'message' in reason) {
        enqueue('exceptions', exceptionItem(reason));
      } else {
        const item = exceptionItem(null, { message: `Non-Error promise rejection captured with value: ${describe(reason)}` });
        item.type = 'UnhandledRejection';
        enqueue('exceptions', item);
      }
    } catch {
      // never throw into the page
    }
  });

  for (const level of ['error', 'warn']) {
    const original = console[level];
    if (typeof original !== 'function') continue;
    console[level] = function (...args) {
      try {
        pushLog(args.map(describe).join(' '), level);
      } catch {
        // never throw into the page
      }
      return original.apply(this, args);
    };
  }

  // ---- Web vitals ----------------------------------------------------------------------------

  // As the web-vitals library does: paints after the page was first hidden do not count, and
  // times are relative to activationStart (non-zero for prerendered pages).
  const navigationEntry = (performance.getEntriesByType && performance.getEntriesByType('navigation')[0]) || null;
  const activationStart = (navigationEntry && navigationEntry.activationStart) || 0;
  const navigationType =
    document.prerendering || activationStart > 0
      ? 'prerender'
      : ((navigationEntry && navigationEntry.type) || 'navigate').replace(/_/g, '-');
  // [good up to, poor above], the web-vitals thresholds
  const thresholds = { ttfb: [800, 1800], fcp: [1800, 3000], lcp: [2500, 4000], cls: [0.1, 0.25], inp: [200, 500] };
  let firstHiddenTime = document.visibilityState === 'hidden' ? 0 : Infinity;
  const reportedVitals = new Set();
  const observers = []; // {observer, handle}

  function reportVital(name, value) {
    if (reportedVitals.has(name) || !Number.isFinite(value)) return;
    reportedVitals.add(name);
    const [good, poor] = thresholds[name];
    const rating = value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor';
    enqueue('measurements', {
      type: 'web-vitals',
      values: { [name]: value },
      timestamp: timestamp(),
      trace: itemTrace,
      context: { id: `${pageId}-${name}`, rating, navigation_type: navigationType },
    });
  }

  /** Observes buffered entries of `type` with `handle(entries)`; null where the type is not supported. */
  function observe(type, handle, options = {}) {
    const supported = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (!supported.includes(type)) return null;
    try {
      const observer = new PerformanceObserver((list) => handle(list.getEntries()));
      observer.observe({ type, buffered: true, ...options });
      observers.push({ observer, handle });
      return observer;
    } catch {
      return null;
    }
  }

  /** Hands the entries the browser has recorded but not yet delivered to their handlers. */
  function takeRecords() {
    for (const { observer, handle } of observers) handle(observer.takeRecords());
  }

  function reportTTFB(entry) {
    if (entry.responseStart > 0 && entry.responseStart <= performance.now()) {
      reportVital('ttfb', Math.max(entry.responseStart - activationStart, 0));
    }
  }

  // TTFB: the navigation entry is delivered once the page has loaded.
  observe('navigation', (entries) => entries.forEach(reportTTFB));

  // FCP
  observe('paint', (entries) => {
    for (const entry of entries) {
      if (entry.name === 'first-contentful-paint' && entry.startTime < firstHiddenTime) {
        reportVital('fcp', Math.max(entry.startTime - activationStart, 0));
      }
    }
  });

  // LCP: the last candidate before the first input (or the page being hidden) is final.
  let lcpEntry = null;
  let lcpFinal = false;
  const lcpObserver = observe('largest-contentful-paint', (entries) => {
    for (const entry of entries) {
      if (!lcpFinal && entry.startTime < firstHiddenTime) lcpEntry = entry;
    }
  });

  function finalizeLCP() {
    if (lcpFinal || !lcpObserver) return;
    takeRecords();
    lcpFinal = true;
    lcpObserver.disconnect();
    if (lcpEntry) reportVital('lcp', Math.max(lcpEntry.startTime - activationStart, 0));
  }

  for (const type of ['keydown', 'pointerdown', 'click']) {
    // after the input's own task, as web-vitals does, so that its entries are in
    window.addEventListener(type, () => setTimeout(finalizeLCP, 0), { capture: true, once: true });
  }

  // CLS: the largest session window of layout shifts (gaps under 1 s, windows under 5 s).
  let clsValue = 0;
  let windowValue = 0;
  let windowStart = 0;
  let windowEnd = 0;
  const clsObserver = observe('layout-shift', (entries) => {
    for (const entry of entries) {
      if (entry.hadRecentInput) continue;
      if (windowValue && entry.startTime - windowEnd < 1000 && entry.startTime - windowStart < 5000) {
        windowValue += entry.value;
      } else {
        windowValue = entry.value;
        windowStart = entry.startTime;
      }
      windowEnd = entry.startTime;
      clsValue = Math.max(clsValue, windowValue);
    }
  });

  // INP: the longest duration of each interaction; the value is the 98th percentile
  // approximation of web-vitals (the worst interaction, one more skipped every 50).
  const interactions = new Map(); // interactionId → longest duration, the 10 longest kept
  let interactionCount = 0;
  const handleEventEntries = (entries) => {
    for (const entry of entries) {
      if (!entry.interactionId) continue;
      const previous = interactions.get(entry.interactionId);
      if (previous === undefined) interactionCount += 1;
      interactions.set(entry.interactionId, Math.max(previous || 0, entry.duration));
      if (interactions.size > 10) {
        const shortest = [...interactions].reduce((a, b) => (b[1] < a[1] ? b : a));
        interactions.delete(shortest[0]);
      }
    }
  };
  observe('event', handleEventEntries, { durationThreshold: 16 });
  observe('first-input', handleEventEntries);

  function inpValue() {
    const durations = [...interactions.values()].sort((a, b) => b - a);
    const count = performance.interactionCount || interactionCount;
    return durations[Math.min(durations.length - 1, Math.floor(count / 50))];
  }

  /** Reports the vitals that are final: all of them once the page is hidden. */
  function reportFinalVitals(pageHidden) {
    takeRecords();
    if (navigationEntry) reportTTFB(navigationEntry); // in case the page is left before it loaded
    if (!pageHidden) return;
    finalizeLCP();
    if (clsObserver) reportVital('cls', clsValue);
    if (interactions.size) reportVital('inp', inpValue());
  }

  function onHidden(event) {
    try {
      firstHiddenTime = Math.min(firstHiddenTime, event.timeStamp);
      reportFinalVitals(true);
      sendQueued();
    } catch {
      // never throw into the page
    }
  }

  document.addEventListener('visibilitychange', (event) => {
    if (document.visibilityState === 'hidden') onHidden(event);
  }, true);
  window.addEventListener('pagehide', onHidden, true);

  // ---- Fetch tracing -------------------------------------------------------------------------

  /** Unix time in nanoseconds as a decimal string (microsecond precision), as OTLP/JSON wants it. */
  function nowUnixNanos() {
    const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
    return (micros * 1000n).toString();
  }

  /**
   * A client span for a same-origin fetch (not one to the collector), and the fetch's init with
   * a `traceparent` header that names it; null for requests that are not traced. The span keeps
   * the page's flags, so a trace the server did not sample stays unsampled (and the span is not
   * sent); without a page trace it starts a new, sampled one.
   */
  function startFetchSpan(input, init) {
    const isRequest = typeof Request === 'function' && input instanceof Request;
    const url = new URL(isRequest ? input.url : String(input), location.href);
    const isCollector = collectorURL && url.origin === collectorURL.origin && url.pathname === collectorURL.pathname;
    if (url.origin !== location.origin || isCollector) return null;
    const span = {
      traceId: pageTrace ? pageTrace.traceId : randomHex(16),
      spanId: randomHex(8),
      parentSpanId: pageTrace ? pageTrace.spanId : undefined,
      flags: pageTrace ? pageTrace.flags : 0x03,
      method: String((init && init.method) || (isRequest ? input.method : 'GET')).toUpperCase(),
      url: url.href,
      start: nowUnixNanos(),
    };
    // Headers given in init replace a Request's own, so the header set starts from whichever applies.
    const headers = new Headers((init && init.headers) || (isRequest ? input.headers : undefined));
    headers.set('traceparent', `00-${span.traceId}-${span.spanId}-0${span.flags}`);
    return { span, init: { ...init, headers } };
  }

  function endFetchSpan(span, status, failure) {
    if (!(span.flags & 0x01)) return; // not sampled: propagated, not recorded
    const attributes = [stringAttribute('http.request.method', span.method), stringAttribute('url.full', span.url)];
    if (status !== undefined) attributes.push({ key: 'http.response.status_code', value: { intValue: String(status) } });
    const failed = failure !== undefined || status >= 500;
    if (failed) attributes.push(stringAttribute('error.type', failure ? failure.name || 'Error' : String(status)));
    enqueue('spans', {
      traceId: span.traceId,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: `HTTP ${span.method}`,
      kind: 3, // SPAN_KIND_CLIENT
      startTimeUnixNano: span.start,
      endTimeUnixNano: nowUnixNanos(),
      attributes,
      status: failed ? { code: 2, message: failure ? describe(failure.message || failure) : '' } : {}, // 2: STATUS_CODE_ERROR
    });
  }

  if (typeof originalFetch === 'function') {
    window.fetch = function fetch(input, init) {
      let traced = null;
      try {
        traced = startFetchSpan(input, init);
      } catch {
        // an unusual argument: let the browser's fetch judge it, untraced
      }
      if (!traced) return originalFetch.call(window, input, init);
      return originalFetch.call(window, input, traced.init).then(
        (response) => {
          try {
            endFetchSpan(traced.span, response.status);
          } catch {
            // never throw into the page
          }
          return response;
        },
        (error) => {
          try {
            endFetchSpan(traced.span, undefined, error || new Error('fetch failed'));
          } catch {
            // never throw into the page
          }
          throw error;
        },
      );
    };
  }

  // ---- API -----------------------------------------------------------------------------------

  /** Reports the vitals final so far, posts everything queued, and resolves when every POST was answered. */
  function flush() {
    try {
      reportFinalVitals(false);
      sendQueued();
    } catch {
      // never throw into the page
    }
    return Promise.all([...inflight]).then(() => undefined);
  }

  window.swiftRUM = {
    pushEvent,
    pushLog,
    pushError,
    flush,
    traceparent: pageTrace ? pageTrace.value : null,
    session: { id: session.id },
    stats,
  };

  if (session.isNew) enqueue('events', { name: 'session_start', attributes: {}, timestamp: timestamp(), trace: itemTrace });
  pushEvent('page_view', {}, 'browser');
})();
