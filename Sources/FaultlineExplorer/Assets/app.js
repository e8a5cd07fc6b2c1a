// Faultline explorer: a framework-free client of the JSON API under /api/v1.
// Everything it shows comes from that API; the URL hash holds the view and its query,
// so every view can be shared and reloaded. Data is only ever inserted as text, never as HTML.
"use strict";
(() => {
  const API = "/api/v1";
  const HOUR = 3600;
  const RANGES = [["1h", HOUR], ["1d", 24 * HOUR], ["7d", 7 * 24 * HOUR], ["30d", 30 * 24 * HOUR]];
  const SORTS = [["count", "Count"], ["lastSeen", "Last seen"], ["firstSeen", "First seen"]];
  const STATUS_LABELS = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved", ignored: "Ignored", excluded: "Excluded" };
  const STATUS_ACTIONS = [
    ["acknowledged", "Acknowledge"], ["resolved", "Resolve"], ["ignored", "Ignore"], ["excluded", "Exclude"], ["open", "Reopen"],
  ];
  const FACET_ORDER = ["status", "service", "env", "version", "error.type", "language", "host"];
  const PAGE_SIZE = 50;
  const SVGNS = "http://www.w3.org/2000/svg";

  // ---------- small DOM helpers (text only, never innerHTML with data) ----------
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, kids);
    return el;
  }
  function svg(tag, attrs, ...kids) {
    const el = document.createElementNS(SVGNS, tag);
    setAttrs(el, attrs);
    append(el, kids);
    return el;
  }
  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "class") el.setAttribute("class", v);
      else if (k === "text") el.textContent = v;
      else if (k in el && !(el instanceof SVGElement) && typeof v !== "string") el[k] = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  function append(el, kids) {
    for (const kid of kids.flat(Infinity)) {
      if (kid === undefined || kid === null || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
  }
  const main = () => document.getElementById("main");
  function show(...nodes) {
    const m = main();
    m.replaceChildren(...nodes.flat().filter(Boolean));
  }

  // ---------- API ----------
  class ApiError extends Error {
    constructor(status, body, path) {
      const e = body && (body.error || body.reason || body.message);
      super((e && typeof e === "object" ? (e.message || e.description || e.reason) : e) || `HTTP ${status}`);
      this.status = status;
      this.body = body;
      this.path = path;
    }
  }
  // Cookies (the session) go only to this server; a 401 from anything but /session means signing in.
  async function api(path, options = {}) {
    const init = { method: options.method || "GET", headers: { Accept: "application/json" }, signal: options.signal, credentials: "same-origin" };
    if (options.body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const res = await fetch(API + path, init);
    const text = await res.text();
    let body = null;
    if (text) {
      try { body = JSON.parse(text); } catch { body = { error: text.slice(0, 300) }; }
    }
    if (res.status === 401 && !path.startsWith("/session")) showSignIn();
    if (!res.ok) throw new ApiError(res.status, body, path);
    return body;
  }

  // ---------- signing in ----------
  // With a token configured the API answers 401 until the browser holds a session cookie (HttpOnly: this
  // script never sees it). The token typed here is sent once to POST /session and not kept anywhere.
  function showSignIn(message) {
    if (document.getElementById("signin") && !message) return;
    generation += 1;
    if (controller) controller.abort();
    controller = null;
    setSignedIn(false);
    const token = h("input", { type: "password", id: "signin-token", name: "token", autocomplete: "current-password", required: true, spellcheck: "false" });
    const msg = h("p", { class: "msg", id: "signin-msg", role: "status" }, message || "");
    const submit = h("button", { class: "btn primary", type: "submit", id: "signin-submit" }, "Sign in");
    const form = h("form", { id: "signin", onsubmit: async (e) => {
      e.preventDefault();
      submit.disabled = true;
      msg.textContent = "Signing in…";
      try {
        await api("/session", { method: "POST", body: { token: token.value } });
        token.value = "";
        setSignedIn(true);
        render();
      } catch (err) {
        submit.disabled = false;
        msg.textContent = err instanceof ApiError && err.status === 401 ? "That token is not valid (or was revoked)." : `Could not sign in: ${err.message}`;
        token.select();
        ready("signin");
      }
    } }, h("label", { class: "field" }, "API token", token), submit, msg);
    document.title = "Sign in · Faultline";
    show(h("section", { class: "panel signin", "aria-labelledby": "signin-title" },
      h("h1", { id: "signin-title" }, "Sign in"),
      h("p", { class: "muted" }, "This server needs an API token: the configured api-token or one made with ", h("code", null, "faultline tokens create"), "."),
      form));
    token.focus();
    ready("signin");
  }
  function setSignedIn(on) {
    const b = document.getElementById("signout");
    if (b) b.hidden = !on;
  }
  async function signOut() {
    try { await api("/session", { method: "DELETE" }); } catch (err) { /* the cookie is cleared either way */ }
    showSignIn("Signed out.");
  }
  function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") u.set(k, v);
    // URLSearchParams writes spaces as "+"; the API reads "+" literally, so send "%20" (a real
    // plus sign is already "%2B" here).
    const s = u.toString().replace(/\+/g, "%20");
    return s ? "?" + s : "";
  }

  // ---------- normalising what the API sends (tolerant of camelCase and snake_case) ----------
  const pick = (o, ...keys) => {
    if (!o) return undefined;
    for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
    return undefined;
  };
  // Dates may come as ISO strings, Unix seconds/ms, or Foundation's seconds since 2001.
  function toDate(v) {
    if (v === undefined || v === null || v === "") return null;
    if (v instanceof Date) return v;
    if (typeof v === "string" && !/^-?\d+(\.\d+)?$/.test(v)) {
      const t = Date.parse(v);
      return Number.isNaN(t) ? null : new Date(t);
    }
    const n = Number(v);
    if (!Number.isFinite(n)) return null;
    if (n < 1e7) return new Date(n * HOUR * 1000); // hours since the epoch
    if (n < 1.5e9 && n > 3e8) return new Date((n + 978307200) * 1000); // Foundation reference date
    if (n < 1e11) return new Date(n * 1000);
    if (n < 1e14) return new Date(n);
    return new Date(n / 1e6); // nanoseconds
  }
  // Hourly counts in any of: [{hour|time|start|bucket, count}], [[t, n]], {t: n}, {start, counts:[...]}.
  function hourlyMap(raw) {
    const out = new Map();
    const add = (t, n) => {
      const d = toDate(t);
      const c = Number(n);
      if (!d || !Number.isFinite(c)) return;
      const key = Math.floor(d.getTime() / 1000 / HOUR) * HOUR;
      out.set(key, (out.get(key) || 0) + c);
    };
    if (!raw) return out;
    if (Array.isArray(raw)) {
      for (const e of raw) {
        if (Array.isArray(e)) add(e[0], e[1]);
        else if (e && typeof e === "object") add(pick(e, "hour", "time", "start", "bucket", "t", "timestamp"), pick(e, "count", "n", "c", "value"));
      }
    } else if (typeof raw === "object") {
      if (Array.isArray(raw.counts) && raw.start !== undefined) {
        const start = toDate(raw.start);
        if (start) raw.counts.forEach((n, i) => add(start.getTime() / 1000 + i * HOUR, n));
      } else {
        for (const [k, n] of Object.entries(raw)) add(k, n);
      }
    }
    return out;
  }
  function normIssue(raw) {
    const i = raw && raw.issue && typeof raw.issue === "object" ? raw.issue : raw || {};
    return {
      raw: i,
      id: pick(i, "id"),
      service: pick(i, "service"),
      env: pick(i, "env"),
      errorType: pick(i, "errorType", "error_type", "type") || "Error",
      message: pick(i, "message", "errorMessage", "error_message") || "",
      // The latest event's own message reads better than the normalised one the issue groups on.
      latestMessage: pick(i, "latestMessage", "latest_message"),
      language: pick(i, "language"),
      status: pick(i, "status") || "open",
      isRegression: !!pick(i, "isRegression", "is_regression", "regression"),
      regressedInVersion: pick(i, "regressedInVersion", "regressed_in_version"),
      resolvedInVersion: pick(i, "resolvedInVersion", "resolved_in_version"),
      count: Number(pick(i, "count") || 0),
      firstSeen: toDate(pick(i, "firstSeen", "first_seen")),
      lastSeen: toDate(pick(i, "lastSeen", "last_seen")),
      firstVersion: pick(i, "firstVersion", "first_version"),
      lastVersion: pick(i, "lastVersion", "last_version"),
      versions: pick(i, "versions") || [],
      culprit: pick(i, "culprit", "topFrame", "top_frame"),
      isNew: pick(i, "isNew", "is_new") ?? (raw && raw !== i ? pick(raw, "isNew", "is_new") : undefined),
      fingerprint: pick(i, "fingerprint"),
      hourly: hourlyMap(pick(raw, "hourlyCounts", "hourly_counts", "hourly", "distribution") || pick(i, "hourlyCounts", "hourly_counts", "hourly", "distribution")),
    };
  }
  // An event may be an ErrorEvent, a GroupedEvent ({event, stackTrace, …}) or a stored row around one.
  function normEvent(raw) {
    if (!raw) return null;
    const base = raw.event && typeof raw.event === "object" && raw.event.event ? raw.event : raw;
    const e = base.event && typeof base.event === "object" ? base.event : base;
    let st = pick(base, "stackTrace", "stack_trace") || pick(e, "stackTrace", "stack_trace") || pick(raw, "stackTrace", "stack_trace");
    // The API's EventResponse flattens the trace into `exceptions` (and `frames` of the first one).
    if (!st && (Array.isArray(e.exceptions) || Array.isArray(e.frames))) {
      // `frames` are the reported exception's frames with their enriched `source`: they replace exceptions[0]'s.
      let exceptions = e.exceptions && e.exceptions.length ? e.exceptions.slice() : [];
      if (Array.isArray(e.frames) && e.frames.length) {
        exceptions = exceptions.length ? [Object.assign({}, exceptions[0], { frames: e.frames }), ...exceptions.slice(1)] : [{ frames: e.frames }];
      }
      st = { exceptions, raw: pick(e, "errorStack", "error_stack") || "", warnings: pick(e, "warnings") || [] };
    }
    return {
      raw,
      id: pick(raw, "id", "eventID", "eventId", "event_id"),
      traceID: pick(e, "traceID", "traceId", "trace_id"),
      spanID: pick(e, "spanID", "spanId", "span_id"),
      service: pick(e, "service"),
      env: pick(e, "env"),
      version: pick(e, "version"),
      resource: pick(e, "resource"),
      operation: pick(e, "operation", "name"),
      start: toDate(pick(raw, "occurredAt", "occurred_at", "timestamp") ?? (Number(pick(e, "startNanos", "start_nanos")) > 0 ? pick(e, "startNanos", "start_nanos") : pick(raw, "receivedAt", "received_at", "time"))),
      durationNanos: pick(e, "durationNanos", "duration_nanos", "duration"),
      errorType: pick(e, "errorType", "error_type"),
      errorMessage: pick(e, "errorMessage", "error_message"),
      errorStack: pick(e, "errorStack", "error_stack"),
      language: pick(e, "language"),
      spanTags: pick(e, "spanTags", "span_tags") || {},
      hostTags: pick(e, "hostTags", "host_tags") || {},
      containerTags: pick(e, "containerTags", "container_tags") || {},
      metrics: pick(e, "metrics") || {},
      git: pick(e, "git"),
      errorSpan: pick(e, "errorSpan"),
      stackTrace: st || null,
    };
  }
  function normSource(s) {
    if (!s || typeof s !== "object") return null;
    const sc = pick(s, "suspectCommit");
    return {
      repositoryURL: pick(s, "repositoryURL", "repositoryUrl"),
      commitSHA: pick(s, "commitSHA", "commitSha"),
      path: pick(s, "path"),
      line: pick(s, "line"),
      status: pick(s, "status") || "resolved",
      reason: pick(s, "reason"),
      url: pick(s, "url", "permalink"),
      snippet: (pick(s, "snippet") || []).map((l) => ({ line: pick(l, "line", "number"), text: pick(l, "text") ?? "", highlight: !!pick(l, "highlight", "highlighted") })),
      suspect: sc ? {
        sha: pick(sc, "sha", "commit", "commitSHA", "id"),
        author: pick(sc, "author", "authorName"),
        time: toDate(pick(sc, "time", "date", "authoredAt", "when")),
        summary: pick(sc, "summary", "message", "subject"),
        url: pick(sc, "url"),
      } : null,
    };
  }
  // Facets in any of: {facets:{k:[{value,count}]}}, {k:{value:count}}, [{name|key, values:[…]}].
  function normFacets(raw) {
    const src = raw && raw.facets ? raw.facets : raw;
    const out = new Map();
    const values = (v) => {
      if (Array.isArray(v)) return v.map((x) => Array.isArray(x) ? { value: x[0], count: x[1] } : { value: pick(x, "value", "name", "key"), count: pick(x, "count", "n") }).filter((x) => x.value !== undefined);
      if (v && typeof v === "object") return Object.entries(v).map(([value, count]) => ({ value, count }));
      return [];
    };
    if (Array.isArray(src)) {
      for (const f of src) { const k = pick(f, "name", "key", "facet"); if (k) out.set(k, values(pick(f, "values", "counts"))); }
    } else if (src && typeof src === "object") {
      for (const [k, v] of Object.entries(src)) out.set(k, values(v));
    }
    for (const [k, v] of out) v.sort((a, b) => Number(b.count) - Number(a.count));
    const keys = [...out.keys()].sort((a, b) => rank(a) - rank(b));
    return keys.map((k) => [k, out.get(k)]);
  }
  const rank = (k) => { const i = FACET_ORDER.indexOf(k.replace(/^@/, "")); return i < 0 ? 99 : i; };
  const listOf = (raw, ...keys) => Array.isArray(raw) ? raw : (pick(raw, ...keys) || []);

  // ---------- formatting ----------
  const nf = new Intl.NumberFormat();
  function ago(d) {
    if (!d) return "—";
    const s = Math.round((Date.now() - d.getTime()) / 1000);
    if (s < 0) return "just now";
    if (s < 60) return `${s}s ago`;
    if (s < HOUR) return `${Math.floor(s / 60)}m ago`;
    if (s < 48 * HOUR) return `${Math.floor(s / HOUR)}h ago`;
    return `${Math.floor(s / 86400)}d ago`;
  }
  const fmtTime = (d) => d ? d.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : "—";
  const timeEl = (d) => h("time", { datetime: d ? d.toISOString() : undefined, title: fmtTime(d) }, ago(d));
  const statusEl = (s) => h("span", { class: `status ${s}` }, STATUS_LABELS[s] || s);
  function badges(issue) {
    const isNew = issue.isNew !== undefined ? !!issue.isNew : (issue.firstSeen && Date.now() - issue.firstSeen.getTime() < 2 * 86400 * 1000);
    return [
      isNew ? h("span", { class: "badge new", title: "First seen in the last 2 days" }, "new") : null,
      issue.isRegression ? h("span", { class: "badge regression", title: issue.regressedInVersion ? `Came back in ${issue.regressedInVersion}` : "Came back after being resolved" }, "regression") : null,
    ];
  }
  function frameText(f) {
    const fn = pick(f, "function");
    const mod = pick(f, "module");
    return [mod, fn].filter(Boolean).join(mod && fn ? (/[.:]$/.test(mod) ? "" : ".") : "");
  }

  // ---------- time ranges ----------
  // Returns {from, to} in seconds (to may be null = now) for the URL parameters.
  function rangeOf(p) {
    // Rounded up: an event in the current second (just before the page asked) is inside "the last 7 days".
    const now = Math.ceil(Date.now() / 1000);
    if (p.get("range") === "custom") {
      const f = toDate(p.get("from"));
      const t = toDate(p.get("to"));
      if (f) return { key: "custom", from: Math.floor(f.getTime() / 1000), to: t ? Math.floor(t.getTime() / 1000) : now };
    }
    const key = p.get("range") || "7d";
    const r = RANGES.find(([k]) => k === key) || RANGES[2];
    return { key: r[0], from: now - r[1], to: now };
  }
  const iso = (sec) => new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  // Buckets of the hourly map over the range, merged so there are at most maxBars bars.
  function buckets(hourly, range, maxBars) {
    const start = Math.floor(range.from / HOUR) * HOUR;
    const hours = Math.max(1, Math.ceil((range.to - start) / HOUR));
    const per = Math.max(1, Math.ceil(hours / maxBars));
    const n = Math.ceil(hours / per);
    const out = Array.from({ length: n }, (_, i) => ({ start: start + i * per * HOUR, hours: per, count: 0 }));
    for (const [t, c] of hourly) {
      if (t < start || t > range.to) continue;
      const i = Math.min(n - 1, Math.floor((t - start) / HOUR / per));
      out[i].count += c;
    }
    return out;
  }
  function sparkline(hourly, range) {
    const bs = buckets(hourly, range, 48);
    const max = Math.max(1, ...bs.map((b) => b.count));
    const total = bs.reduce((a, b) => a + b.count, 0);
    const w = 130, hgt = 28, bw = w / bs.length;
    return svg("svg", { class: "spark", viewBox: `0 0 ${w} ${hgt}`, role: "img", "aria-label": `${total} events in range` },
      svg("rect", { class: "base", x: 0, y: hgt - 1, width: w, height: 1 }),
      bs.map((b, i) => b.count ? svg("rect", { x: (i * bw).toFixed(2), y: (hgt - 1 - (hgt - 3) * b.count / max).toFixed(2), width: Math.max(1, bw - 0.6).toFixed(2), height: ((hgt - 3) * b.count / max).toFixed(2) }) : null));
  }
  function barChart(hourly, range) {
    const bs = buckets(hourly, range, 96);
    const max = Math.max(1, ...bs.map((b) => b.count));
    // Drawn at the panel's pixel width so labels keep their size on any screen.
    const W = Math.max(280, Math.min(1400, main().clientWidth - 36)), H = 140, L = 36, B = 18, T = 8;
    const bw = (W - L) / bs.length;
    const y = (c) => T + (H - B - T) * (1 - c / max);
    const fmtTick = (sec) => {
      const d = new Date(sec * 1000);
      return bs[0].hours >= 24 || range.to - range.from > 3 * 86400 ? d.toISOString().slice(5, 10) : d.toISOString().slice(11, 16);
    };
    const ticks = [0, Math.floor(bs.length / 2), bs.length - 1].filter((v, i, a) => a.indexOf(v) === i);
    const total = bs.reduce((a, b) => a + b.count, 0);
    return svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-label": `Impacted spans per ${bs[0].hours === 1 ? "hour" : bs[0].hours + " hours"}: ${total} in range, peak ${max}` },
      svg("line", { x1: L, x2: W, y1: H - B, y2: H - B }),
      svg("text", { x: L - 4, y: T + 8, "text-anchor": "end" }, String(max)),
      svg("text", { x: L - 4, y: H - B, "text-anchor": "end" }, "0"),
      bs.map((b, i) => b.count ? svg("rect", { class: "bar", x: (L + i * bw).toFixed(2), y: y(b.count).toFixed(2), width: Math.max(1, bw - 1).toFixed(2), height: (H - B - y(b.count)).toFixed(2) },
        svg("title", null, `${fmtTime(new Date(b.start * 1000))}: ${b.count}`)) : null),
      ticks.map((i) => svg("text", { x: (L + i * bw + bw / 2).toFixed(2), y: H - 4, "text-anchor": i === 0 ? "start" : i === bs.length - 1 ? "end" : "middle" }, fmtTick(bs[i].start))));
  }

  // ---------- routing ----------
  // #/issues?q=…&sort=…&range=…   #/issues/ID?range=…&event=N   #/services   #/repos   #/monitors   #/monitors/ID
  function parseRoute() {
    const raw = location.hash.replace(/^#/, "") || "/issues";
    const [path, query] = raw.split("?");
    const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
    return { parts, params: new URLSearchParams(query || "") };
  }
  function go(path, params, replace) {
    const s = params ? params.toString() : "";
    const hash = "#" + path + (s ? "?" + s : "");
    if (replace) history.replaceState(null, "", hash);
    else if (location.hash !== hash) { location.hash = hash; return; }
    render();
  }
  let generation = 0;
  let lastListHash = "#/issues";
  let controller = null;
  function render() {
    generation += 1;
    if (controller) controller.abort();
    controller = new AbortController();
    const gen = generation;
    const { parts, params } = parseRoute();
    const view = parts[0] || "issues";
    document.querySelectorAll("[data-nav]").forEach((a) => a.toggleAttribute("aria-current", false));
    const nav = document.querySelector(`[data-nav="${view === "repos" || view === "services" || view === "monitors" ? view : "issues"}"]`);
    if (nav) nav.setAttribute("aria-current", "page");
    document.body.dataset.ready = "";
    const ctx = { gen, signal: controller.signal, alive: () => gen === generation };
    let work;
    if (view === "repos") work = renderRepos(ctx);
    else if (view === "monitors") work = parts[1] ? renderMonitor(ctx, parts[1]) : renderMonitors(ctx);
    else if (view === "services") work = renderServices(ctx);
    else if (view === "issues" && parts[1]) work = renderIssue(ctx, parts[1], params);
    else { lastListHash = location.hash || "#/issues"; work = renderList(ctx, params); }
    work.catch((err) => {
      if (!ctx.alive() || err.name === "AbortError") return;
      if (err instanceof ApiError && err.status === 401) return; // the sign-in page is up
      show(failure(err));
      document.body.dataset.ready = "error";
    });
  }
  function failure(err) {
    const msg = err instanceof ApiError ? `${err.message} (HTTP ${err.status} from ${API}${err.path})` : `Could not reach the server: ${err.message}`;
    return h("div", { class: "notice error", role: "alert" }, msg);
  }
  function ready(name, mark) {
    document.body.dataset.ready = name;
    if (mark && performance.mark) performance.mark(mark);
  }

  // ---------- issues list ----------
  async function renderList(ctx, params) {
    const q = params.get("q") || "";
    const sort = params.get("sort") || "count";
    const range = rangeOf(params);
    document.title = q ? `${q} · Faultline` : "Issues · Faultline";

    const input = h("input", { type: "search", name: "q", value: q, "aria-label": "Search issues", placeholder: "service:checkout env:prod -status:resolved \"timeout\"", autocomplete: "off", spellcheck: "false", id: "q" });
    const errBox = h("div", { id: "qerror", hidden: true });
    const form = h("form", { class: "search", role: "search", onsubmit: (e) => { e.preventDefault(); update({ q: input.value.trim() }); } },
      input, h("button", { class: "btn primary", type: "submit" }, "Search"));
    const update = (changes) => {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) { if (v === null || v === "") p.delete(k); else p.set(k, v); }
      go("/issues", p);
    };
    const sortSel = h("select", { "aria-label": "Sort by", onchange: (e) => update({ sort: e.target.value }) },
      SORTS.map(([k, label]) => h("option", { value: k, selected: k === sort }, label)));
    const rangeSeg = h("div", { class: "seg", role: "group", "aria-label": "Time range" },
      RANGES.map(([k]) => h("button", { class: "btn", type: "button", "aria-pressed": String(range.key === k), onclick: () => update({ range: k, from: null, to: null }) }, k)),
      h("button", { class: "btn", type: "button", "aria-pressed": String(range.key === "custom"), "aria-expanded": String(range.key === "custom"), onclick: () => { customBox.hidden = !customBox.hidden; if (!customBox.hidden) fromIn.focus(); } }, "Custom"));
    const local = (sec) => { const d = new Date(sec * 1000 - new Date().getTimezoneOffset() * 60000); return d.toISOString().slice(0, 16); };
    const fromIn = h("input", { type: "datetime-local", value: local(range.from) });
    const toIn = h("input", { type: "datetime-local", value: local(range.to) });
    const customBox = h("form", { class: "custom-range", hidden: range.key !== "custom", onsubmit: (e) => {
      e.preventDefault();
      const f = new Date(fromIn.value), t = new Date(toIn.value);
      if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) { customMsg.textContent = "Choose a start before the end."; return; }
      update({ range: "custom", from: iso(f.getTime() / 1000), to: iso(t.getTime() / 1000) });
    } }, h("label", { class: "field" }, "From", fromIn), h("label", { class: "field" }, "To", toIn),
      h("button", { class: "btn", type: "submit" }, "Apply"));
    const customMsg = h("span", { class: "muted", role: "status" });
    customBox.append(customMsg);

    const facetsBox = h("details", { class: "facets", open: matchMedia("(min-width: 821px)").matches }, h("summary", null, "Filters"), h("p", { class: "muted" }, "Loading…"));
    const listBox = h("section", { "aria-label": "Issues" }, h("p", { class: "muted" }, "Loading issues…"));
    show(h("div", { class: "toolbar" }, form, h("label", { class: "field" }, "Sort", sortSel), rangeSeg), customBox, errBox,
      h("div", { class: "layout" }, facetsBox, listBox));

    const base = { q, from: iso(range.from), to: iso(range.to) };
    let page;
    try {
      // hourly=true: every row's sparkline comes with the page, so a page is one request.
      page = await api("/issues" + qs({ ...base, sort, limit: PAGE_SIZE, hourly: "true" }), { signal: ctx.signal });
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError && err.status === 400) {
        showQueryError(errBox, input, q, err);
        listBox.replaceChildren(h("p", { class: "muted" }, "Fix the query to see issues."));
        facetsBox.remove();
        ready("list-error");
        return;
      }
      throw err;
    }
    if (!ctx.alive()) return;
    const issues = listOf(page, "issues", "items", "data").map(normIssue);
    let cursor = pick(page, "nextCursor", "next_cursor", "cursor");
    const total = pick(page, "total", "totalCount", "total_count");
    const ol = h("ol", { class: "issues", id: "issue-list" });
    const head = h("div", { class: "results-head" },
      h("span", { id: "result-count" }, total !== undefined ? `${nf.format(total)} issues` : `${issues.length}${cursor ? "+" : ""} issues`),
      h("span", null, `${fmtTime(new Date(range.from * 1000))} — ${fmtTime(new Date(range.to * 1000))}`));
    const addRows = (list) => { ol.append(...list.map((i) => issueRow(i, range, params))); };
    addRows(issues);
    const more = h("div", { class: "more" });
    const moreBtn = h("button", { class: "btn", type: "button", onclick: async () => {
      moreBtn.disabled = true;
      try {
        const next = await api("/issues" + qs({ ...base, sort, limit: PAGE_SIZE, cursor, hourly: "true" }), { signal: ctx.signal });
        addRows(listOf(next, "issues", "items", "data").map(normIssue));
        cursor = pick(next, "nextCursor", "next_cursor", "cursor");
        if (!cursor) more.remove();
      } catch (e) { if (ctx.alive()) more.replaceChildren(failure(e)); }
      moreBtn.disabled = false;
    } }, "Load more");
    if (cursor) more.append(moreBtn);
    listBox.replaceChildren(head, issues.length ? ol : h("p", { class: "notice" }, q ? "No issues match this query in this time range." : "No issues in this time range."), more);
    ready("list", "faultline:list-rendered");

    // Facets after the list: they count over every matching issue, and the list comes first.
    const facets = await api("/facets" + qs(base), { signal: ctx.signal }).catch((e) => e);
    if (!ctx.alive()) return;
    if (facets instanceof Error) {
      facetsBox.replaceChildren(h("summary", null, "Filters"), h("p", { class: "muted" }, facets instanceof ApiError ? `Facets unavailable (HTTP ${facets.status}).` : "Facets unavailable."));
    } else {
      renderFacets(facetsBox, normFacets(facets), q, (nq) => update({ q: nq }));
    }
  }
  function showQueryError(box, input, q, err) {
    const b = err.body || {};
    const nested = b.error && typeof b.error === "object" ? b.error : b;
    const pos = nested.offset !== undefined ? Number(nested.offset) : Number(pick(nested, "position", "column")) - 1;
    const kids = [h("p", { id: "qerror-msg" }, err.message)];
    if (Number.isFinite(pos) && pos >= 0) kids.push(h("pre", { "aria-hidden": "true" }, q + "\n" + " ".repeat(Math.min(pos, q.length)) + "^"));
    box.replaceChildren(...kids);
    box.className = "qerror";
    box.setAttribute("role", "alert");
    box.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "qerror-msg");
    input.focus();
    if (Number.isFinite(pos) && pos >= 0) input.setSelectionRange(Math.min(pos, q.length), q.length);
  }
  // Facet terms in the query, so clicking a pressed value removes it again.
  function toggleTerm(q, key, value) {
    const v = /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
    const term = `${key}:${v}`;
    const tokens = q.match(/(?:[^\s"]+|"(?:\\.|[^"\\])*")+/g) || [];
    const i = tokens.indexOf(term);
    if (i >= 0) tokens.splice(i, 1); else tokens.push(term);
    return tokens.join(" ");
  }
  function renderFacets(box, facets, q, apply) {
    const tokens = new Set(q.match(/(?:[^\s"]+|"(?:\\.|[^"\\])*")+/g) || []);
    const kids = [h("summary", null, "Filters")];
    if (!facets.length) kids.push(h("p", { class: "muted" }, "No facets."));
    for (const [key, values] of facets) {
      if (!values.length) continue;
      kids.push(h("div", { class: "facet" }, h("h3", null, key),
        h("ul", null, values.slice(0, 12).map(({ value, count }) => {
          const v = String(value);
          const term = `${key}:${/[\s"]/.test(v) ? `"${v.replace(/"/g, '\\"')}"` : v}`;
          return h("li", null, h("button", { type: "button", "aria-pressed": String(tokens.has(term)), "data-facet": key, "data-value": v, onclick: () => apply(toggleTerm(q, key, v)) },
            h("span", { class: "v", title: v }, v), h("span", { class: "n" }, nf.format(Number(count) || 0))));
        }))));
    }
    box.replaceChildren(...kids);
  }
  function issueRow(issue, range, listParams) {
    const p = new URLSearchParams();
    for (const k of ["range", "from", "to"]) if (listParams.get(k)) p.set(k, listParams.get(k));
    const href = `#/issues/${encodeURIComponent(issue.id)}${p.toString() ? "?" + p : ""}`;
    return h("li", null, h("a", { class: "row", href, "data-issue-id": issue.id },
      h("div", { class: "what" },
        h("div", null, h("span", { class: "type" }, issue.errorType), badges(issue), h("span", { class: "meta" }, [issue.service, issue.env].filter(Boolean).join(" · "))),
        h("span", { class: "msg", title: issue.message }, issue.latestMessage || issue.message || "(no message)"),
        issue.culprit ? h("span", { class: "frame", title: issue.culprit }, issue.culprit) : null),
      h("div", { class: "sparkcell", "data-issue-id": issue.id }, sparkline(issue.hourly, range)),
      h("div", { class: "count", title: "Events" }, nf.format(issue.count)),
      h("div", { class: "seen" }, h("span", null, "last ", timeEl(issue.lastSeen)), h("br"), h("span", null, "first ", timeEl(issue.firstSeen))),
      h("div", { class: "statuscell" }, statusEl(issue.status))));
  }

  // ---------- issue page ----------
  async function renderIssue(ctx, id, params) {
    const range = rangeOf(params);
    const [detail, eventsRes, notifiedRes] = await Promise.all([
      api(`/issues/${encodeURIComponent(id)}` + qs({ from: iso(range.from), to: iso(range.to) }), { signal: ctx.signal }),
      api(`/issues/${encodeURIComponent(id)}/events` + qs({ limit: 100 }), { signal: ctx.signal }).catch((e) => e),
      api(`/issues/${encodeURIComponent(id)}/notifications`, { signal: ctx.signal }).catch((e) => e),
    ]);
    if (!ctx.alive()) return;
    const issue = normIssue(detail);
    const latest = normEvent(pick(detail, "latestEvent", "latest_event", "event") || pick(detail.issue || {}, "latestEvent", "latest_event"));
    const samples = eventsRes instanceof Error ? [] : listOf(eventsRes, "events", "items", "data").map(normEvent).filter(Boolean);
    const shownMessage = (latest && latest.errorMessage) || issue.latestMessage || issue.message;
    document.title = `${issue.errorType}: ${shownMessage} · Faultline`;

    const statusMsg = h("span", { class: "msg", role: "status", id: "status-msg" });
    const controls = h("div", { class: "seg", role: "group", "aria-label": "Change status" },
      STATUS_ACTIONS.filter(([s]) => s !== "open" || issue.status !== "open").map(([s, label]) =>
        h("button", { class: "btn", type: "button", "data-status": s, "aria-pressed": String(issue.status === s && s !== "open"), disabled: issue.status === s, onclick: async (e) => {
          controls.querySelectorAll("button").forEach((b) => { b.disabled = true; });
          statusMsg.textContent = "Saving…";
          try {
            await api(`/issues/${encodeURIComponent(id)}`, { method: "PATCH", body: { status: s } });
            if (!ctx.alive()) return;
            const focusStatus = s;
            render();
            afterRender(() => { const b = document.querySelector(`[data-status="${focusStatus}"]`) || document.querySelector("[data-status]"); if (b) b.focus(); });
          } catch (err) {
            statusMsg.textContent = `Could not change status: ${err.message}`;
            controls.querySelectorAll("button").forEach((b) => { b.disabled = b.dataset.status === issue.status; });
          }
          e.preventDefault();
        } }, label)));

    const update = (changes) => {
      const p = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) { if (v === null || v === "") p.delete(k); else p.set(k, v); }
      go(`/issues/${encodeURIComponent(id)}`, p);
    };
    const inRange = [...issue.hourly].filter(([t]) => t >= Math.floor(range.from / HOUR) * HOUR && t <= range.to).reduce((a, [, c]) => a + c, 0);
    const stat = (label, value, attrs) => h("div", attrs, h("dt", null, label), h("dd", null, value));

    const head = h("section", { class: "panel" },
      h("p", { class: "crumbs" }, h("a", { href: lastListHash }, "← Issues"), h("span", { class: "muted" }, ` / #${issue.id}`)),
      h("div", { class: "issue-head" },
        h("div", { class: "title" },
          h("h1", { id: "issue-title" }, h("span", null, issue.errorType), badges(issue).map((b) => b && [" ", b])),
          h("p", { id: "issue-message", style: "margin:0 0 4px; overflow-wrap:anywhere" }, shownMessage),
          shownMessage !== issue.message ? h("p", { class: "sub", title: "The message with its variable parts replaced: what the issue groups on" }, "grouped on: ", issue.message) : null,
          issue.culprit ? h("div", { class: "sub" }, issue.culprit) : null),
        h("div", { class: "status-control" }, h("div", null, "Status: ", h("span", { id: "issue-status" }, statusEl(issue.status))), controls, statusMsg)),
      h("dl", { class: "stats", style: "margin-top:12px" },
        stat("Events", nf.format(issue.count), { id: "issue-count" }),
        stat("In range", issue.hourly.size ? nf.format(inRange) : "—"),
        stat("First seen", h("span", null, timeEl(issue.firstSeen), h("br"), h("small", { class: "muted" }, fmtTime(issue.firstSeen)))),
        stat("Last seen", h("span", null, timeEl(issue.lastSeen), h("br"), h("small", { class: "muted" }, fmtTime(issue.lastSeen)))),
        stat("Service", [issue.service, issue.env].filter(Boolean).join(" · ") || "—"),
        stat("First version", issue.firstVersion || "—"),
        stat("Last version", issue.lastVersion || "—"),
        issue.isRegression ? stat("Regressed in", issue.regressedInVersion || "?") : null,
        issue.resolvedInVersion ? stat("Resolved in", issue.resolvedInVersion) : null,
        stat("Language", issue.language || "—")),
      issue.versions.length ? h("div", { class: "versions", "aria-label": "Versions seen" }, h("span", { class: "muted" }, "Versions:"), issue.versions.map((v) => h("code", null, v))) : null);

    const chart = h("section", { class: "panel", "aria-labelledby": "dist-h" },
      h("div", { class: "panel-head" }, h("h2", { id: "dist-h" }, "Impacted spans"),
        h("div", { class: "seg", role: "group", "aria-label": "Chart range" }, RANGES.map(([k]) => h("button", { class: "btn", type: "button", "aria-pressed": String(range.key === k), onclick: () => update({ range: k, from: null, to: null }) }, k)))),
      issue.hourly.size ? barChart(issue.hourly, range) : h("p", { class: "muted" }, "No hourly distribution in the API response."));

    // Sample events: index 0 is the issue's latest event (enriched); the rest come from /events.
    const events = [];
    if (latest) events.push(latest);
    for (const e of samples) {
      if (latest && (latest.id !== undefined ? e.id === latest.id : e.spanID === latest.spanID && e.traceID === latest.traceID)) continue;
      events.push(e);
    }
    let idx = Math.min(Math.max(0, Number(params.get("event")) || 0), Math.max(0, events.length - 1));
    const eventBox = h("section", { class: "panel", "aria-labelledby": "event-h", id: "event" });
    const drawEvent = () => {
      const ev = events[idx];
      const nav = h("div", { class: "event-nav" },
        h("button", { class: "btn", type: "button", id: "newer", disabled: idx === 0, "aria-label": "Newer event", onclick: () => step(-1) }, "‹ Newer"),
        h("span", { class: "muted", id: "event-pos" }, events.length ? `${idx + 1} of ${events.length}` : "0 of 0"),
        h("button", { class: "btn", type: "button", id: "older", disabled: idx >= events.length - 1, "aria-label": "Older event", onclick: () => step(1) }, "Older ›"));
      eventBox.replaceChildren(h("div", { class: "panel-head" }, h("h2", { id: "event-h" }, idx === 0 && latest ? "Latest event" : "Sample event"), nav),
        ...(ev ? eventView(ev) : [h("p", { class: "muted" }, "No stored event (excluded issues keep counting without storing events).")]));
    };
    const step = (d) => {
      idx = Math.min(Math.max(0, idx + d), events.length - 1);
      const p = new URLSearchParams(params);
      if (idx) p.set("event", String(idx)); else p.delete("event");
      history.replaceState(null, "", `#/issues/${encodeURIComponent(id)}${p.toString() ? "?" + p : ""}`);
      drawEvent();
      const b = document.getElementById(d < 0 ? "newer" : "older");
      if (b && !b.disabled) b.focus(); else { const o = document.getElementById(d < 0 ? "older" : "newer"); if (o) o.focus(); }
    };
    drawEvent();
    show(head, chart, seenView(detail), eventBox, notifiedView(notifiedRes), historyView(detail));
    ready("issue", "faultline:issue-rendered");
  }
  // Versions, hosts and containers the issue was seen on (IssueDetail's SeenValue lists), when sent.
  function seenView(detail) {
    const lists = [["Versions", "versions", "seen-versions"], ["Hosts", "hosts", "seen-hosts"], ["Containers", "containers", "seen-containers"]]
      .map(([title, key, id]) => [title, (pick(detail, key) || []).filter((v) => v && typeof v === "object"), id]);
    if (!lists.some(([, l]) => l.length)) return null;
    return h("section", { class: "panel", "aria-labelledby": "seen-h" }, h("h2", { id: "seen-h" }, "Seen on"),
      h("div", { class: "tags" }, lists.map(([title, list, id]) => h("div", { id }, h("h3", null, title), list.length
        ? h("table", { class: "kv" }, h("tbody", null, list.slice(0, 20).map((v) => h("tr", null, h("th", { scope: "row" }, String(pick(v, "value") ?? "")),
          h("td", null, `${nf.format(Number(pick(v, "count")) || 0)} · last `, timeEl(toDate(pick(v, "lastSeen", "last_seen"))))))))
        : h("p", { class: "muted" }, "None.")))));
  }
  function historyView(detail) {
    const changes = pick(detail, "statusHistory", "status_history") || [];
    if (!changes.length) return null;
    return h("section", { class: "panel", "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, "Status history"),
      h("ol", { id: "history", style: "margin:0; padding-left:20px" }, changes.slice().reverse().map((c) => h("li", null,
        fmtTime(toDate(pick(c, "at", "time"))), " — ", pick(c, "from") ? `${STATUS_LABELS[c.from] || c.from} → ` : "", statusEl(pick(c, "to") || "?"),
        h("span", { class: "muted" }, ` (${pick(c, "cause") || "user"}${pick(c, "version") ? `, version ${c.version}` : ""})`)))));
  }
  function eventView(ev) {
    const ids = h("dl", { class: "ids" },
      h("dt", null, "Time"), h("dd", { id: "event-time" }, fmtTime(ev.start)),
      h("dt", null, "Trace id"), h("dd", { id: "trace-id" }, ev.traceID || "—"),
      h("dt", null, "Span id"), h("dd", { id: "span-id" }, ev.spanID || "—"),
      ev.resource ? [h("dt", null, "Resource"), h("dd", null, ev.resource)] : null,
      ev.operation ? [h("dt", null, "Operation"), h("dd", null, ev.operation)] : null,
      // The request span only marked the error; a span below it (the view, the handler) carried it.
      ev.errorSpan ? [h("dt", null, "Error from"), h("dd", { id: "error-span" }, `span ${ev.errorSpan.operation || ev.errorSpan.spanID}${ev.errorSpan.resource && ev.errorSpan.resource !== ev.errorSpan.operation ? ` (${ev.errorSpan.resource})` : ""} · ${ev.errorSpan.spanID}`)] : null,
      h("dt", null, "Service"), h("dd", null, [ev.service, ev.env, ev.version].filter(Boolean).join(" · ") || "—"),
      ev.git ? [h("dt", null, "Git"), h("dd", null, [pick(ev.git, "repositoryURL"), pick(ev.git, "commitSHA")].filter(Boolean).join(" @ "))] : null);
    return [ids, stackView(ev), tagsView(ev)];
  }
  function stackView(ev) {
    const st = ev.stackTrace;
    const exceptions = st ? (pick(st, "exceptions") || []) : [];
    const box = h("div", { class: "stack", id: "stack" });
    if (!exceptions.length) {
      box.append(h("h3", null, "Stack trace"), h("pre", { class: "raw" }, (st && st.raw) || ev.errorStack || "(no stack trace)"));
      return box;
    }
    box.append(h("p", { class: "muted", style: "margin:0 0 6px; font-size:12px" }, "Most recent call first."));
    exceptions.forEach((ex) => {
      const rel = pick(ex, "relation") || "primary";
      const frames = pick(ex, "frames") || [];
      const anyInApp = frames.some((f) => f.inApp !== false && f.in_app !== false);
      const list = h("ol", { class: "frames" });
      let run = [];
      const flush = () => {
        if (!run.length) return;
        const inner = h("ol", { class: "frames" }, run.map((f) => frameView(f, false)));
        list.append(h("li", null, h("details", { class: "folded" }, h("summary", null, `${run.length} library frame${run.length > 1 ? "s" : ""}`), inner)));
        run = [];
      };
      for (const f of frames) {
        const inApp = f.inApp !== undefined ? f.inApp : f.in_app !== false;
        if (!inApp && anyInApp) { run.push(f); continue; }
        flush();
        list.append(frameView(f, inApp));
      }
      flush();
      box.append(h("div", { class: "exception" },
        h("h3", null, rel !== "primary" ? h("span", { class: "rel" }, { cause: "Caused by", context: "During handling of", suppressed: "Suppressed" }[rel] || rel) : null,
          pick(ex, "type") || ev.errorType || "Error", pick(ex, "message") ? `: ${pick(ex, "message")}` : ""),
        frames.length ? list : h("p", { class: "muted" }, "No frames.")));
    });
    const warnings = st && st.warnings;
    if (warnings && warnings.length) box.append(h("p", { class: "warnings" }, "Parser notes: " + warnings.join("; ")));
    if (st && st.raw) box.append(h("details", null, h("summary", null, "Raw stack trace"), h("pre", { class: "raw" }, st.raw)));
    return box;
  }
  const STATUS_TEXT = { resolved: "resolved", not_in_repository: "not in repository", ambiguous: "ambiguous", repository_unavailable: "repository unavailable", commit_not_found: "commit not found", line_out_of_range: "line out of range", binary_file: "binary file", source_mismatch: "source differs from the code that ran", not_allowed: "repository not allowed", no_commit: "no commit named" };
  function frameView(f, inApp) {
    const fn = frameText(f);
    const file = pick(f, "file");
    const line = pick(f, "line");
    const col = pick(f, "column");
    const src = normSource(pick(f, "source"));
    const li = h("li", { class: `frame-item ${inApp ? "in-app" : "lib"}` },
      h("div", { class: "frame-sig" }, h("span", { class: "fn" }, fn || "(unknown function)"),
        file ? h("span", { class: "loc" }, ` in ${file}${line ? `:${line}` : ""}${col ? `:${col}` : ""}`) : (line ? h("span", { class: "loc" }, ` line ${line}`) : null),
        inApp ? null : h("span", { class: "tag" }, "library")));
    if (src && src.snippet.length && src.status === "resolved") {
      li.append(h("div", { class: "code" }, h("table", null, h("tbody", null, src.snippet.map((l) =>
        h("tr", { class: l.highlight ? "hl" : undefined, "aria-current": l.highlight ? "true" : undefined }, h("td", { class: "ln" }, String(l.line ?? "")), h("td", { class: "src" }, l.text)))))));
    } else if (pick(f, "context")) {
      li.append(h("div", { class: "code" }, h("table", null, h("tbody", null,
        h("tr", { class: "hl" }, h("td", { class: "ln" }, line ? String(line) : ""), h("td", { class: "src" }, String(pick(f, "context")).trim()))))));
    }
    if (src) {
      const meta = [];
      if (src.status === "resolved") {
        // `path:line@shortsha`: the repository's path at the commit that ran (linked to the forge when known).
        const at = `${src.path || file}${src.line ? `:${src.line}` : ""}${src.commitSHA ? `@${src.commitSHA.slice(0, 7)}` : ""}`;
        meta.push(src.url ? h("a", { class: "src-at", href: src.url, rel: "noreferrer noopener", target: "_blank" }, at) : h("span", { class: "src-at" }, at));
        if (src.suspect) {
          const s = src.suspect;
          meta.push(h("span", { class: "suspect" }, "Suspect commit ",
            s.url ? h("a", { href: s.url, rel: "noreferrer noopener", target: "_blank" }, (s.sha || "").slice(0, 10)) : h("code", null, (s.sha || "").slice(0, 10)),
            s.author ? ` by ${s.author}` : "", s.time ? `, ${fmtTime(s.time).slice(0, 10)}` : "", s.summary ? ` — ${s.summary}` : ""));
        }
        if (meta.length) li.append(h("div", { class: "src-meta" }, meta));
      } else {
        const where = src.commitSHA && (src.path || file) ? ` (${src.path || file}@${src.commitSHA.slice(0, 7)})` : "";
        li.append(h("div", { class: "unresolved" }, `Code not shown${where}: ${STATUS_TEXT[src.status] || src.status}${src.reason ? ` — ${src.reason}` : ""}`));
      }
    }
    return li;
  }
  function kvTable(title, obj, id) {
    const entries = Object.entries(obj || {}).sort(([a], [b]) => a.localeCompare(b));
    return h("div", { id }, h("h3", null, title), entries.length
      ? h("table", { class: "kv" }, h("tbody", null, entries.map(([k, v]) => h("tr", null, h("th", { scope: "row" }, k), h("td", null, typeof v === "number" ? String(v) : String(v))))))
      : h("p", { class: "muted" }, "None."));
  }
  function tagsView(ev) {
    return h("div", { class: "tags", style: "margin-top:14px" },
      kvTable("Span tags", ev.spanTags, "span-tags"), kvTable("Host tags", ev.hostTags, "host-tags"),
      kvTable("Container tags", ev.containerTags, "container-tags"), kvTable("Metrics", ev.metrics, "metrics"));
  }

  // ---------- repositories ----------
  // Deployment tracking: each service's versions (newest first) with their traffic, error rate and new issues.
  async function renderServices(ctx) {
    document.title = "Services · Faultline";
    const range = rangeOf(new URLSearchParams());
    const data = await api("/services" + qs({ from: iso(range.from) }), { signal: ctx.signal });
    if (!ctx.alive()) return;
    const services = Array.isArray(data && data.services) ? data.services : [];
    const pct = (r) => `${(Number(r || 0) * 100).toFixed(2)}%`;
    const blocks = services.map((s) => {
      const name = `${s.service}${s.env ? ` · ${s.env}` : ""}`;
      const rows = (s.versions || []).map((v) => {
        const hourly = new Map((v.hourly || []).map((x) => [Math.floor(new Date(x.hour).getTime() / 1000 / HOUR) * HOUR, Number(x.errorSpans || 0)]));
        const issuesLink = `#/issues?q=${encodeURIComponent(`service:${s.service}${v.version ? ` version:${v.version}` : ""}`)}`;
        return h("tr", { "data-version": v.version || "" },
          h("td", null, h("code", null, v.version || "(no version)")),
          h("td", null, fmtTime(new Date(v.firstSeen))), h("td", null, fmtTime(new Date(v.lastSeen))),
          h("td", { class: "num" }, nf.format(v.entrySpans || 0)), h("td", { class: "num" }, nf.format(v.errorSpans || 0)),
          h("td", { class: "num error-rate" }, pct(v.errorRate)),
          h("td", { class: "num" }, v.newIssues ? h("a", { href: issuesLink }, nf.format(v.newIssues)) : "0"),
          h("td", null, sparkline(hourly, range)));
      });
      return h("section", { class: "panel", "data-service": name },
        h("h2", null, name),
        h("table", { class: "repos services" }, h("thead", null, h("tr", null,
          ["Version", "First seen", "Last seen", "Requests", "Errors", "Error rate", "New issues", "Errors, last 7 days"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", null, rows)));
    });
    show(h("h1", null, "Services"),
      services.length ? blocks : h("p", { class: "muted", id: "no-services" }, "No service traffic yet: every entry span a tracer sends, error or not, is counted here per version."));
    ready("services");
  }

  async function renderRepos(ctx) {
    document.title = "Repositories · Faultline";
    let data;
    try {
      data = await api("/repos", { signal: ctx.signal });
    } catch (err) {
      if (!ctx.alive()) return;
      if (err instanceof ApiError && (err.status === 404 || err.status === 405 || err.status === 501)) {
        show(h("h1", null, "Repositories"), h("div", { class: "notice", id: "repos-unavailable", role: "status" },
          "Repository links are not available on this server: ", h("code", null, `GET ${API}/repos`), ` answered ${err.status}. `,
          "Once source enrichment is enabled, linked services, their mirror status and last error appear here."));
        ready("repos-unavailable");
        return;
      }
      throw err;
    }
    if (!ctx.alive()) return;
    // `GET /repos` answers { links: [RepositoryLink], repositories: [RepositoryStatusRecord] }: the links
    // say which service (and version) reads which repository; the mirrors say how each repository is doing.
    const links = Array.isArray(data && data.links) ? data.links : [];
    const mirrors = Array.isArray(data && data.repositories) ? data.repositories : [];
    const pins = Array.isArray(data && data.pins) ? data.pins : [];
    const key = (r) => pick(r, "repositoryKey");
    const url = (r) => pick(r, "repositoryURL");
    const lastError = (r) => pick(r, "lastError");
    const mirrorByKey = new Map(mirrors.map((m) => [key(m), m]));
    const when = (value) => value ? new Date(value).toLocaleString() : "—";
    const rows = links.map((link) => {
      const mirror = mirrorByKey.get(key(link));
      return h("tr", { "data-link": link.service },
        h("td", null, link.service || "—"),
        h("td", null, h("code", null, url(link) || "—")),
        h("td", null, [link.version, link.ref].filter(Boolean).join(" · ") || "any"),
        h("td", { class: "mirror-state" }, mirror ? mirror.state : "not mirrored yet"),
        h("td", null, (mirror && lastError(mirror)) || "—"));
    });
    const mirrorRows = mirrors.map((mirror) => h("tr", { "data-mirror": key(mirror) },
      h("td", null, h("code", null, url(mirror) || key(mirror))),
      h("td", { class: "mirror-state" }, mirror.state || "—"),
      h("td", null, when(pick(mirror, "lastFetchAt"))),
      h("td", null, lastError(mirror) || "—"),
      h("td", null, when(pick(mirror, "nextAttemptAt")))));
    // A link by branch or tag: the commit each version was pinned to when first seen.
    const pinRows = pins.map((pin) => h("tr", { "data-pin": `${pin.service}@${pin.version || ""}` },
      h("td", null, pin.service), h("td", null, pin.version || "(no version)"), h("td", null, h("code", null, pin.ref)),
      h("td", null, h("code", { title: pin.commitSHA }, (pin.commitSHA || "").slice(0, 12))), h("td", null, when(pin.pinnedAt))));
    const msg = h("p", { role: "status", class: "muted", id: "link-msg" });
    const f = {};
    const field = (name, label, attrs) => { f[name] = h("input", { type: "text", name, ...attrs }); return h("label", { class: "field" }, label, f[name]); };
    const form = h("form", { class: "link-form", onsubmit: async (e) => {
      e.preventDefault();
      const body = { service: f.service.value.trim(), url: f.url.value.trim() };
      if (f.version.value.trim()) body.version = f.version.value.trim();
      if (f.ref.value.trim()) body.ref = f.ref.value.trim();
      if (!body.service || !body.url) { msg.textContent = "Service and repository URL are required."; return; }
      msg.textContent = "Linking…";
      try { await api("/repos", { method: "POST", body }); render(); }
      catch (err) { msg.textContent = `Could not link: ${err.message}`; }
    } },
      field("service", "Service", { required: true }), field("url", "Repository URL", { required: true, placeholder: "git@github.com:org/repo.git" }),
      field("version", "Version (optional)"), field("ref", "Branch, tag or commit (optional)"),
      h("button", { class: "btn primary", type: "submit" }, "Link"));
    show(h("h1", null, "Repositories"),
      h("section", { class: "panel" }, h("h2", null, "Linked services"), links.length
        ? h("table", { class: "repos", id: "links" }, h("thead", null, h("tr", null, ["Service", "Repository", "Version / ref", "Mirror", "Last error"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", null, rows))
        : h("p", { class: "muted" }, "No manual links. Tracers that send git.repository_url and a commit link themselves.")),
      h("section", { class: "panel" }, h("h2", null, "Mirrors"), mirrors.length
        ? h("table", { class: "repos", id: "mirrors" }, h("thead", null, h("tr", null, ["Repository", "State", "Last fetch", "Last error", "Next attempt"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", null, mirrorRows))
        : h("p", { class: "muted" }, "No repository mirrored yet.")),
      pins.length ? h("section", { class: "panel" }, h("h2", null, "Pinned versions"),
        h("table", { class: "repos", id: "pins" }, h("thead", null, h("tr", null, ["Service", "Version", "Ref", "Commit", "Pinned"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", null, pinRows))) : null,
      h("section", { class: "panel" }, h("h2", null, "Link a service to a repository"), form, msg));
    ready("repos");
  }

  // ---------- monitors ----------
  const MONITOR_KINDS = [["new_issue", "New issue"], ["regression", "Regression"], ["threshold", "Threshold"]];
  const CHANNELS = [["webhook", "Webhook"], ["slack", "Slack"], ["pagerduty", "PagerDuty"]];
  const TYPE_LABELS = { "issue.new": "new issue", "issue.regression": "regression", "monitor.threshold": "threshold", "monitor.test": "test", "issue.resolved": "resolved" };
  // Which monitors notified about an issue (GET /issues/{id}/notifications), on the issue page.
  function notifiedView(res) {
    if (!res || res instanceof Error) return null;
    const list = listOf(res, "notifications");
    if (!list.length) return null;
    return h("section", { class: "panel", "aria-labelledby": "notified-h", id: "notified" }, h("h2", { id: "notified-h" }, "Monitors that notified"),
      h("table", { class: "repos" }, h("thead", null, h("tr", null, ["Monitor", "Why", "Sent", "State"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", null, list.map((n) => h("tr", { "data-monitor": n.monitorID },
          h("td", null, h("a", { href: `#/monitors/${encodeURIComponent(n.monitorID)}` }, n.monitorName)),
          h("td", null, TYPE_LABELS[n.type] || n.type),
          h("td", null, timeEl(toDate(n.deliveredAt || n.createdAt))),
          h("td", null, n.state))))));
  }
  function monitorState(m) {
    const label = m.state === "disabled" ? "Disabled" : m.state === "muted" ? "Muted" : "Active";
    return h("span", { class: `status ${m.state === "active" ? "open" : m.state === "muted" ? "ignored" : "excluded"}`, title: m.disabledReason || (m.mutedUntil ? `until ${fmtTime(toDate(m.mutedUntil))}` : "") }, label);
  }
  function lastDelivery(d) {
    if (!d) return "—";
    return h("span", null, `${d.outcome} ${d.statusCode ?? "—"} `, timeEl(toDate(d.at)));
  }
  // The create / edit form: sends only what the user filled in (PATCH keeps the rest).
  function monitorForm(existing, onDone) {
    const f = {};
    const msg = h("p", { role: "status", class: "muted", id: "monitor-msg" });
    const input = (name, label, attrs) => { f[name] = h("input", { type: "text", name, id: `m-${name}`, ...attrs }); return h("label", { class: "field" }, label, f[name]); };
    const select = (name, label, options, value) => {
      f[name] = h("select", { name, id: `m-${name}` }, options.map(([v, t]) => h("option", { value: v, selected: v === value }, t)));
      return h("label", { class: "field" }, label, f[name]);
    };
    const m = existing || {};
    const thresholdFields = h("div", { class: "threshold-fields" },
      input("count", "More than (events)", { inputmode: "numeric", value: m.threshold ? String(m.threshold.count) : "" }),
      input("window", "Within", { placeholder: "5m", value: m.threshold ? m.threshold.window : "" }),
      select("per", "Counted per", [["issue", "issue"], ["query", "whole query"]], m.threshold ? m.threshold.per : "issue"),
      input("renotify", "Renotify after (optional)", { placeholder: "30m", value: m.renotify || "" }));
    const form = h("form", { class: "link-form", id: "monitor-form", onsubmit: async (e) => {
      e.preventDefault();
      const body = { name: f.name.value.trim(), kind: f.kind.value, query: f.query.value.trim(), channel: { type: f.channel.value } };
      if (f.url.value.trim()) body.channel.url = f.url.value.trim();
      if (f.secret.value) body.channel.secret = f.secret.value;
      if (f.routingKey.value) body.channel.routingKey = f.routingKey.value;
      if (body.kind === "threshold") {
        body.threshold = { count: Number(f.count.value), window: f.window.value.trim() || "5m", per: f.per.value };
        body.renotify = f.renotify.value.trim() || null;
      }
      msg.textContent = "Saving…";
      try {
        const res = existing
          ? await api(`/monitors/${encodeURIComponent(existing.id)}`, { method: "PATCH", body })
          : await api("/monitors", { method: "POST", body });
        onDone(res.monitor);
      } catch (err) { msg.textContent = `Could not save: ${err.message}`; }
    } },
      input("name", "Name", { required: true, value: m.name || "" }),
      select("kind", "Fires on", MONITOR_KINDS, m.kind || "new_issue"),
      input("query", "Issue query", { placeholder: "service:checkout env:prod", value: m.query || "" }),
      thresholdFields,
      select("channel", "Channel", CHANNELS, (m.channel && m.channel.type) || "webhook"),
      input("url", "URL", { placeholder: "the receiver's https URL", value: (m.channel && m.channel.type !== "slack" && m.channel.url) || "" }),
      input("secret", existing && m.channel.hasSecret ? "Signing secret (set; blank keeps it)" : "Signing secret (optional)", { type: "password", autocomplete: "off" }),
      input("routingKey", existing && m.channel.hasRoutingKey ? "PagerDuty routing key (set; blank keeps it)" : "PagerDuty routing key", { type: "password", autocomplete: "off" }),
      h("button", { class: "btn primary", type: "submit", id: "monitor-save" }, existing ? "Save" : "Create monitor"));
    const sync = () => { thresholdFields.hidden = f.kind.value !== "threshold"; };
    f.kind.addEventListener("change", sync);
    sync();
    return [form, msg];
  }
  async function renderMonitors(ctx) {
    document.title = "Monitors · Faultline";
    const data = await api("/monitors", { signal: ctx.signal });
    if (!ctx.alive()) return;
    const monitors = listOf(data, "monitors");
    const rows = monitors.map((m) => h("tr", { "data-monitor": m.id },
      h("td", null, h("a", { href: `#/monitors/${encodeURIComponent(m.id)}` }, m.name)),
      h("td", null, m.threshold ? `> ${m.threshold.count} in ${m.threshold.window} per ${m.threshold.per}` : (MONITOR_KINDS.find(([k]) => k === m.kind) || [m.kind, m.kind])[1]),
      h("td", null, h("code", null, m.query || "*")),
      h("td", null, (CHANNELS.find(([k]) => k === m.channel.type) || [m.channel.type, m.channel.type])[1]),
      h("td", { class: "monitor-state" }, monitorState(m)),
      h("td", null, m.pending ? nf.format(m.pending) : "—"),
      h("td", { class: "last-delivery" }, lastDelivery(m.lastDelivery))));
    const [form, msg] = monitorForm(null, (m) => go(`/monitors/${encodeURIComponent(m.id)}`));
    show(h("h1", null, "Monitors"),
      h("section", { class: "panel" }, h("h2", null, "Monitors"), monitors.length
        ? h("table", { class: "repos", id: "monitors" }, h("thead", null, h("tr", null, ["Name", "Fires on", "Query", "Channel", "State", "Pending", "Last delivery"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", null, rows))
        : h("p", { class: "muted" }, "No monitors yet: create one to be told about new issues, regressions and spikes.")),
      h("section", { class: "panel" }, h("h2", null, "New monitor"), form, msg));
    ready("monitors");
  }
  async function renderMonitor(ctx, id) {
    const [data, log] = await Promise.all([
      api(`/monitors/${encodeURIComponent(id)}`, { signal: ctx.signal }),
      api(`/monitors/${encodeURIComponent(id)}/deliveries` + qs({ limit: 100 }), { signal: ctx.signal }),
    ]);
    if (!ctx.alive()) return;
    const m = data.monitor;
    document.title = `${m.name} · Monitors · Faultline`;
    const msg = h("span", { class: "msg", role: "status", id: "monitor-action-msg" });
    const act = (label, attrs, fn) => h("button", { class: "btn", type: "button", ...attrs, onclick: async () => {
      msg.textContent = "…";
      try { await fn(); } catch (err) { msg.textContent = `${label} failed: ${err.message}`; }
    } }, label);
    const muted = m.state === "muted";
    const actions = h("div", { class: "seg", role: "group", "aria-label": "Monitor actions" },
      act("Send test", { id: "monitor-test" }, async () => {
        const res = await api(`/monitors/${encodeURIComponent(id)}/test`, { method: "POST" });
        msg.textContent = `Queued ${res.notification.id}`;
        setTimeout(() => { if (ctx.alive()) render(); }, 1500);
      }),
      muted
        ? act("Unmute", { id: "monitor-unmute" }, async () => { await api(`/monitors/${encodeURIComponent(id)}`, { method: "PATCH", body: { mutedUntil: null } }); render(); })
        : act("Mute 1h", { id: "monitor-mute" }, async () => {
          await api(`/monitors/${encodeURIComponent(id)}`, { method: "PATCH", body: { mutedUntil: new Date(Date.now() + HOUR * 1000).toISOString().replace(/\.\d+Z$/, "Z") } });
          render();
        }),
      act("Refresh", { id: "monitor-refresh" }, async () => render()),
      act("Delete", { id: "monitor-delete" }, async () => {
        if (!window.confirm(`Delete monitor ${m.name}?`)) { msg.textContent = ""; return; }
        await api(`/monitors/${encodeURIComponent(id)}`, { method: "DELETE" });
        go("/monitors");
      }));
    const deliveries = listOf(log, "deliveries");
    const rows = deliveries.map((d) => h("tr", { "data-delivery": d.id, "data-type": d.type, "data-outcome": d.outcome },
      h("td", null, timeEl(toDate(d.at))),
      h("td", null, TYPE_LABELS[d.type] || d.type),
      h("td", null, d.issueID ? h("a", { href: `#/issues/${encodeURIComponent(d.issueID)}` }, `#${d.issueID}`) : "—"),
      h("td", null, String(d.attempt)),
      h("td", null, d.statusCode ?? "—"),
      h("td", null, d.outcome),
      h("td", null, `${Math.round(d.latencyMillis)} ms`),
      h("td", null, d.error || ""),
      h("td", null, h("code", { title: "Notification id (the same on every retry)" }, d.notificationID))));
    const [form, formMsg] = monitorForm(m, () => render());
    show(h("p", { class: "crumbs" }, h("a", { href: "#/monitors" }, "← Monitors")),
      h("section", { class: "panel" },
        h("div", { class: "issue-head" },
          h("div", { class: "title" }, h("h1", { id: "monitor-name" }, m.name), h("p", { class: "sub" }, h("code", null, m.query || "*"), " → ", m.channel.type, m.channel.url ? [" ", h("code", null, m.channel.url)] : null)),
          h("div", { class: "status-control" }, h("div", null, "State: ", h("span", { id: "monitor-state" }, monitorState(m))), actions, msg)),
        m.disabledReason ? h("div", { class: "notice error", role: "alert" }, `Channel disabled: ${m.disabledReason}. Change the channel to enable it again.`) : null),
      h("section", { class: "panel", "aria-labelledby": "log-h" }, h("h2", { id: "log-h" }, "Delivery log"), deliveries.length
        ? h("table", { class: "repos", id: "deliveries" }, h("thead", null, h("tr", null, ["When", "Why", "Issue", "Try", "Status", "Outcome", "Latency", "Error", "Notification"].map((t) => h("th", { scope: "col" }, t)))), h("tbody", null, rows))
        : h("p", { class: "muted", id: "no-deliveries" }, "Nothing sent yet.")),
      h("section", { class: "panel" }, h("h2", null, "Edit"), form, formMsg));
    ready("monitor");
  }

  // ---------- keyboard ----------
  let pending = [];
  function afterRender(fn) { pending.push(fn); }
  new MutationObserver(() => {
    if (document.body.dataset.ready && pending.length) { const p = pending; pending = []; p.forEach((fn) => fn()); }
  }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.altKey) return;
    const t = e.target;
    const typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
    if (e.key === "Escape" && typing) { t.blur(); return; }
    if (typing) return;
    if (e.key === "/") {
      const q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    } else if (e.key === "j" || e.key === "k") {
      const rows = [...document.querySelectorAll("#issue-list a.row")];
      if (!rows.length) return;
      const i = rows.indexOf(document.activeElement);
      const n = e.key === "j" ? Math.min(rows.length - 1, i + 1) : Math.max(0, i < 0 ? 0 : i - 1);
      rows[n].focus();
      e.preventDefault();
    } else if (e.key === "u" && parseRoute().parts[1]) {
      location.hash = lastListHash;
    } else if ((e.key === "[" || e.key === "]") && document.getElementById(e.key === "[" ? "newer" : "older")) {
      document.getElementById(e.key === "[" ? "newer" : "older").click();
    }
  });

  window.addEventListener("hashchange", () => { if (!document.getElementById("signin")) render(); });
  function start() {
    const b = document.getElementById("signout");
    if (b) b.addEventListener("click", signOut);
    // Whether this browser is signed in with a session (bearer tokens are for scripts, not pages).
    api("/session").then((s) => setSignedIn(Boolean(s && s.signedIn && s.credential === "session"))).catch(() => {});
    render();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
