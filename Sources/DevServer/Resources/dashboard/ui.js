// Small DOM helpers every view shares: element builder, toasts, dialogs, forms with PocketBase's field errors.

/**
 * `h("button", {class: "btn", onclick: fn, "aria-label": "Close"}, "text", child)`: an element. Attributes starting
 * with `on` become listeners; `false`/null/undefined attributes and children are skipped; arrays are flattened.
 */
export function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
        if (v === false || v === null || v === undefined) continue;
        if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
        else if (k === "class") el.className = v;
        else if (k === "dataset") Object.assign(el.dataset, v);
        else if (k === "value" || k === "checked" || k === "selected" || k === "indeterminate") el[k] = v;
        else if (k === "html") el.innerHTML = v;
        else el.setAttribute(k, v === true ? "" : String(v));
    }
    append(el, children);
    return el;
}

function append(el, children) {
    for (const c of children.flat(Infinity)) {
        if (c === null || c === undefined || c === false) continue;
        el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
}

/** Replaces an element's children. */
export function mount(el, ...children) {
    el.replaceChildren();
    append(el, children);
    return el;
}

let uid = 0;
/** A unique id for label/input pairs. */
export function nextId(prefix = "f") { return `${prefix}-${++uid}`; }

export function toast(message, kind = "info", ms = 4000) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const t = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status" }, message);
    box.append(t);
    raiseToasts(box);
    setTimeout(() => { t.remove(); if (!box.childElementCount) box.hidePopover?.(); }, ms);
}

/**
 * Toasts live in a manual popover so they sit in the top layer: re-shown after the newest modal <dialog>, they
 * stay visible above it (a z-index can't beat the top layer).
 */
function raiseToasts(box) {
    if (!box.showPopover) return;
    if (box.matches(":popover-open")) box.hidePopover();
    box.showPopover();
}

/** Shows an ApiError (or any error) as a toast; returns it for chaining. */
export function showError(err) {
    if (err?.name === "AbortError") return err;
    toast(err?.message || String(err), "error", 6000);
    return err;
}

/**
 * A modal `<dialog>`: `body` is a node; `actions` [{label, kind, onClick}] where onClick may return false to keep it
 * open. Resolves with the clicked action's `value` (or null when dismissed).
 */
export function modal({ title, body, actions = [], wide = false }) {
    return new Promise((resolve) => {
        const titleId = nextId("dlg");
        const dlg = h("dialog", { class: "modal" + (wide ? " modal-wide" : ""), "aria-labelledby": titleId });
        const close = (value) => { dlg.close(); dlg.remove(); resolve(value); };
        const footer = h("div", { class: "modal-actions" }, actions.map((a) =>
            h("button", {
                type: "button", class: `btn ${a.kind ? "btn-" + a.kind : ""}`,
                onclick: async (e) => {
                    if (a.onClick) {
                        const btn = e.currentTarget;
                        btn.disabled = true;
                        let keep;
                        try { keep = await a.onClick(); } catch (err) { showError(err); keep = false; }
                        btn.disabled = false;
                        if (keep === false) return;
                    }
                    close(a.value ?? a.label);
                },
            }, a.label)));
        dlg.append(
            h("header", { class: "modal-header" }, h("h2", { id: titleId }, title),
                h("button", { type: "button", class: "btn btn-icon", "aria-label": "Close", onclick: () => close(null) }, "×")),
            h("div", { class: "modal-body" }, body), footer);
        dlg.addEventListener("cancel", (e) => { e.preventDefault(); close(null); });
        document.body.append(dlg);
        dlg.showModal();
    });
}

/** Yes/no question; resolves true when confirmed. */
export async function confirmDialog(text, { confirmLabel = "Yes", danger = false } = {}) {
    const v = await modal({
        title: "Confirm", body: h("p", { class: "pre-line" }, text),
        actions: [{ label: "Cancel", value: false }, { label: confirmLabel, kind: danger ? "danger" : "primary", value: true }],
    });
    return v === true;
}

/**
 * A labelled form field: `field("Email", input, {name, help})`. The wrapper carries `data-field` so `setFieldErrors`
 * can put PocketBase's per-field messages under the input they belong to.
 */
export function field(label, input, { name, help, required = false } = {}) {
    if (!input.id) input.id = nextId();
    if (name && !input.name) input.name = name;
    const errorId = input.id + "-error";
    input.setAttribute("aria-describedby", errorId);
    return h("div", { class: "form-field" + (required ? " required" : ""), dataset: { field: name || input.name || "" } },
        h("label", { for: input.id }, label),
        input,
        help ? h("p", { class: "help" }, help) : null,
        h("p", { class: "field-error", id: errorId, role: "alert" }));
}

/** Clears then shows `data` of a PocketBase 400 (`{field: {code, message}}`, nested ones flattened with dots). */
export function setFieldErrors(form, data = {}) {
    for (const el of form.querySelectorAll(".form-field")) {
        el.classList.remove("has-error");
        const p = el.querySelector(".field-error");
        if (p) p.textContent = "";
        el.querySelector("input,select,textarea")?.removeAttribute("aria-invalid");
    }
    const flat = {};
    (function walk(obj, prefix) {
        for (const [k, v] of Object.entries(obj || {})) {
            if (v && typeof v === "object" && typeof v.message === "string") flat[prefix + k] = v.message;
            else if (v && typeof v === "object") walk(v, prefix + k + ".");
        }
    })(data, "");
    const unplaced = [];
    for (const [key, message] of Object.entries(flat)) {
        const el = form.querySelector(`.form-field[data-field="${CSS.escape(key)}"]`);
        if (!el) { unplaced.push(`${key}: ${message}`); continue; }
        el.classList.add("has-error");
        el.querySelector(".field-error").textContent = message;
        const control = el.querySelector("input,select,textarea");
        control?.setAttribute("aria-invalid", "true");
        // The message is about the old value: editing the field clears it (the next save checks again).
        control?.addEventListener("input", () => {
            el.classList.remove("has-error");
            el.querySelector(".field-error").textContent = "";
            control.removeAttribute("aria-invalid");
        }, { once: true });
    }
    form.querySelector(".has-error input, .has-error select, .has-error textarea")?.focus();
    return unplaced;
}

/** "2024-01-02 03:04:05.678Z" → a short local-time string (PocketBase dates are UTC). */
export function formatDate(value) {
    if (!value) return "";
    const d = new Date(String(value).replace(" ", "T"));
    if (isNaN(d)) return String(value);
    return d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

export function formatBytes(n) {
    if (!Number.isFinite(n)) return "";
    const units = ["B", "KB", "MB", "GB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

export function debounce(fn, ms = 250) {
    let t;
    return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/** Saves a Blob (or text) as a download. */
export function download(filename, data, type = "application/json") {
    const blob = data instanceof Blob ? data : new Blob([data], { type });
    const a = h("a", { href: URL.createObjectURL(blob), download: filename });
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

/** A page header with a title, optional breadcrumb and right-aligned actions. */
export function pageHeader(title, { crumbs = [], actions = [] } = {}) {
    return h("header", { class: "page-header" },
        h("div", { class: "page-title" },
            crumbs.length ? h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, crumbs.map((c) => c.href ? h("a", { href: c.href }, c.label) : h("span", {}, c.label))) : null,
            h("h1", {}, title)),
        h("div", { class: "page-actions" }, actions));
}

/** A pretty, escaped JSON preview. */
export function jsonPreview(value, max = 120) {
    const s = typeof value === "string" ? value : JSON.stringify(value);
    return s && s.length > max ? s.slice(0, max - 1) + "…" : (s ?? "");
}

/** Loads a view's own stylesheet once (`loadCSS("./views/records.css")`, relative to the dashboard root). */
export function loadCSS(href) {
    if (document.querySelector(`link[data-css="${href}"]`)) return;
    document.head.append(h("link", { rel: "stylesheet", href, "data-css": href }));
}
