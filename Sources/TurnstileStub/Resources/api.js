/* sptfy-devkit: an offline stand-in for https://challenges.cloudflare.com/turnstile/v0/api.js.
 * Honours the documented test sitekeys; see Sources/TurnstileStub. Not Cloudflare's code. */
(function () {
  "use strict";
  if (window.turnstile) return;

  var CONFIG = /*SPTFY_CONFIG*/{};
  var DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";
  var KEYS = {
    "1x00000000000000000000AA": { pass: true, visible: true },
    "1x00000000000000000000BB": { pass: true, visible: false },
    "2x00000000000000000000AB": { pass: false, visible: true },
    "2x00000000000000000000BB": { pass: false, visible: false },
    "3x00000000000000000000FF": { pass: true, visible: true, interactive: true }
  };
  // data-* attribute → render() parameter.
  var ATTRS = {
    "sitekey": "sitekey", "action": "action", "cdata": "cData", "callback": "callback",
    "error-callback": "error-callback", "expired-callback": "expired-callback",
    "timeout-callback": "timeout-callback", "before-interactive-callback": "before-interactive-callback",
    "after-interactive-callback": "after-interactive-callback", "unsupported-callback": "unsupported-callback",
    "theme": "theme", "language": "language", "tabindex": "tabindex", "size": "size", "retry": "retry",
    "retry-interval": "retry-interval", "refresh-expired": "refresh-expired", "refresh-timeout": "refresh-timeout",
    "execution": "execution", "appearance": "appearance", "response-field": "response-field",
    "response-field-name": "response-field-name", "feedback-enabled": "feedback-enabled"
  };

  var script = document.currentScript;
  var scriptURL = new URL(script && script.src ? script.src : location.href, location.href);
  var query = scriptURL.searchParams;
  // `ttl` (seconds) is a stub extension so pages and tests can watch tokens expire.
  var ttlMs = (Number(query.get("ttl")) || CONFIG.ttl || 300) * 1000;
  var mintURL = new URL(CONFIG.mintPath || "/turnstile/v0/mint", scriptURL).toString();

  var widgets = {};
  var order = [];
  var seq = 0;
  var isReady = false;
  var readyQueue = [];

  function later(fn, ms) { return setTimeout(fn, ms || 0); }
  function fnOf(v) {
    if (typeof v === "function") return v;
    if (typeof v === "string" && typeof window[v] === "function") return window[v];
    return null;
  }
  function fire(w, name, arg) {
    var fn = fnOf(w.params[name]);
    if (!fn) return false;
    try { fn.call(window, arg); } catch (e) { console.error("[turnstile stub] " + name + " threw", e); }
    return true;
  }
  function elementOf(c) { return typeof c === "string" ? document.querySelector(c) : c; }
  function find(ref) {
    if (ref === undefined || ref === null) return order.length ? widgets[order[order.length - 1]] : null;
    if (typeof ref === "string" && widgets[ref]) return widgets[ref];
    var el = elementOf(ref);
    for (var i = 0; i < order.length; i++) if (widgets[order[i]].container === el) return widgets[order[i]];
    return null;
  }
  function flag(v, dflt) {
    if (v === undefined || v === null || v === "") return dflt;
    return !(v === false || v === "false");
  }
  function paramsFromData(el) {
    var p = {};
    for (var attr in ATTRS) {
      var v = el.getAttribute("data-" + attr);
      if (v !== null) p[ATTRS[attr]] = v;
    }
    return p;
  }
  function setStatus(w, state, text) {
    w.state = state;
    w.root.setAttribute("data-state", state);
    w.label.textContent = text;
  }
  function clearTimers(w) {
    if (w.expiryTimer) clearTimeout(w.expiryTimer);
    if (w.startTimer) clearTimeout(w.startTimer);
    w.expiryTimer = w.startTimer = null;
  }
  function setToken(w, token) {
    w.token = token;
    if (w.input) w.input.value = token || "";
  }

  function obtainToken(w) {
    if (!CONFIG.strict) return Promise.resolve(DUMMY_TOKEN);
    var body = JSON.stringify({
      sitekey: w.params.sitekey, hostname: location.hostname,
      action: w.params.action || null, cdata: w.params.cData || w.params.cdata || null
    });
    // text/plain keeps the request "simple" (no CORS preflight) when the page lives on another origin.
    return fetch(mintURL, { method: "POST", headers: { "Content-Type": "text/plain" }, body: body })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok || !j.token) throw j; return j.token; }); });
  }

  function issue(w) {
    var generation = w.generation;
    obtainToken(w).then(function (token) {
      if (w.removed || generation !== w.generation) return;
      setToken(w, token);
      w.expired = false;
      setStatus(w, "success", "Success!");
      fire(w, "callback", token);
      w.expiryTimer = later(function () { expire(w, generation); }, ttlMs);
    }, function (err) {
      if (w.removed || generation !== w.generation) return;
      setStatus(w, "error", "Error");
      fire(w, "error-callback", (err && err["error-code"]) || "300010");
    });
  }

  function expire(w, generation) {
    if (w.removed || generation !== w.generation) return;
    var old = w.token;
    setToken(w, undefined);
    w.expired = true;
    setStatus(w, "expired", "Expired");
    fire(w, "expired-callback", old);
    if ((w.params["refresh-expired"] || "auto") === "auto") {
      w.generation++;
      start(w);
    }
  }

  function start(w) {
    var key = KEYS[w.params.sitekey];
    var generation = w.generation;
    if (!key) {
      setStatus(w, "error", "Invalid sitekey");
      w.startTimer = later(function () { if (generation === w.generation) fire(w, "error-callback", "110100"); });
      return;
    }
    if (!key.pass) {
      setStatus(w, "verifying", "Verifying…");
      w.startTimer = later(function () {
        if (generation !== w.generation) return;
        setStatus(w, "error", "Failure");
        fire(w, "error-callback", "600010");
      }, 30);
      return;
    }
    if (key.interactive) {
      setStatus(w, "interactive", "");
      w.root.style.display = "";
      fire(w, "before-interactive-callback");
      var box = document.createElement("label");
      var check = document.createElement("input");
      check.type = "checkbox";
      check.setAttribute("data-sptfy-turnstile-checkbox", "");
      box.appendChild(check);
      box.appendChild(document.createTextNode(" I am human"));
      w.label.appendChild(box);
      check.addEventListener("click", function () {
        if (generation !== w.generation) return;
        fire(w, "after-interactive-callback");
        setStatus(w, "verifying", "Verifying…");
        issue(w);
      });
      return;
    }
    setStatus(w, "verifying", "Verifying…");
    w.startTimer = later(function () { if (generation === w.generation) issue(w); }, 30);
  }

  function render(container, params) {
    var el = elementOf(container);
    if (!el) throw new Error("[Cloudflare Turnstile] Invalid or missing type for parameter \"container\", expected \"string\" or \"HTMLElement\"");
    params = params || {};
    var id = "cf-chl-widget-" + (++seq).toString(36);
    var root = document.createElement("div");
    root.id = id;
    root.className = "sptfy-turnstile-stub";
    root.setAttribute("data-sitekey", params.sitekey || "");
    var compact = params.size === "compact";
    root.style.cssText = "display:inline-flex;align-items:center;box-sizing:border-box;border:1px solid #bbb;border-radius:4px;" +
      "padding:0 12px;font:14px sans-serif;background:" + (params.theme === "dark" ? "#222;color:#eee" : "#fafafa;color:#222") + ";" +
      "width:" + (compact ? "150px" : params.size === "flexible" ? "100%" : "300px") + ";height:" + (compact ? "140px" : "65px");
    var label = document.createElement("span");
    root.appendChild(label);
    var mark = document.createElement("small");
    mark.textContent = " sptfy-dev stub";
    mark.style.cssText = "margin-left:auto;opacity:.6";
    root.appendChild(mark);
    var key = KEYS[params.sitekey];
    var appearance = params.appearance || "always";
    if ((key && !key.visible) || appearance === "interaction-only" || appearance === "execute") root.style.display = "none";
    el.appendChild(root);
    var w = {
      id: id, container: el, params: params, root: root, label: label, input: null, token: undefined,
      expired: false, state: "idle", generation: 0, removed: false
    };
    if (flag(params["response-field"], true)) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = params["response-field-name"] || "cf-turnstile-response";
      input.id = id + "_response";
      el.appendChild(input);
      w.input = input;
    }
    widgets[id] = w;
    order.push(id);
    if ((params.execution || "render") === "execute") {
      setStatus(w, "idle", "");
      w.waitingForExecute = true;
    } else {
      start(w);
    }
    return id;
  }

  function reset(ref) {
    var w = find(ref);
    if (!w) return;
    clearTimers(w);
    w.generation++;
    setToken(w, undefined);
    w.expired = false;
    w.label.textContent = "";
    if (w.waitingForExecute && !w.executed) return;
    start(w);
  }

  function remove(ref) {
    var w = find(ref);
    if (!w) return;
    clearTimers(w);
    w.removed = true;
    if (w.root.parentNode) w.root.parentNode.removeChild(w.root);
    if (w.input && w.input.parentNode) w.input.parentNode.removeChild(w.input);
    delete widgets[w.id];
    order.splice(order.indexOf(w.id), 1);
  }

  function execute(container, params) {
    var w = find(container);
    if (!w) {
      var merged = {};
      for (var k in (params || {})) merged[k] = params[k];
      merged.execution = "execute";
      w = widgets[render(container, merged)];
    }
    w.executed = true;
    if (w.params.appearance === "execute") w.root.style.display = "";
    clearTimers(w);
    w.generation++;
    start(w);
  }

  function ready(cb) {
    if (typeof cb !== "function") throw new Error("[Cloudflare Turnstile] turnstile.ready() expected a function");
    if (isReady) later(cb); else readyQueue.push(cb);
  }

  window.turnstile = {
    render: render,
    reset: reset,
    remove: remove,
    execute: execute,
    ready: ready,
    getResponse: function (ref) { var w = find(ref); return w ? w.token : undefined; },
    isExpired: function (ref) { var w = find(ref); return w ? w.expired : false; }
  };

  function renderImplicit() {
    var nodes = document.querySelectorAll(".cf-turnstile");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-sptfy-rendered")) continue;
      nodes[i].setAttribute("data-sptfy-rendered", "1");
      render(nodes[i], paramsFromData(nodes[i]));
    }
  }

  function boot() {
    isReady = true;
    if (query.get("render") !== "explicit") renderImplicit();
    var q = readyQueue; readyQueue = [];
    for (var i = 0; i < q.length; i++) later(q[i]);
    var onload = query.get("onload");
    if (onload) {
      later(function () {
        if (typeof window[onload] === "function") window[onload]();
        else console.error("[turnstile stub] onload function " + onload + " is not defined");
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
