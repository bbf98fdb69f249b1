// Helpers the dev panels share: the dev server's self-description, copy buttons, key/value lists, record counts.
import { ApiError, collections, send } from "../api.js";
import { h, mount, showError, toast } from "../ui.js";

/** `GET /api/sptfy-dev/info`, or null when this server has no such endpoint (older build). Other errors throw. */
export async function loadInfo() {
    try {
        return await send("/api/sptfy-dev/info");
    } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
    }
}

/** The notice a panel shows in place of what the info endpoint would have told it. */
export function infoMissing() {
    return h("p", { class: "alert alert-info" },
        "This server does not describe itself (GET /api/sptfy-dev/info answered 404): fixture, Turnstile and Spotify details are unavailable.");
}

/** Copies text; the textarea fallback covers browsers without the async clipboard (non-secure origins). */
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        const ta = h("textarea", { class: "visually-hidden", "aria-hidden": "true" });
        ta.value = text;
        document.body.append(ta);
        ta.select();
        document.execCommand("copy");
        ta.remove();
    }
}

/** A small "Copy" button; `label` names what it copies for screen readers ("Copy alice's password"). */
export function copyButton(text, label = "Copy", { testid, caption = "Copy" } = {}) {
    return h("button", {
        type: "button", class: "btn btn-small", "aria-label": label, title: label, "data-testid": testid,
        onclick: async () => { await copyText(text); toast("Copied to the clipboard.", "ok", 1500); },
    }, caption);
}

/** A value in monospace with a copy button beside it. */
export function copyable(text, label) {
    return h("span", { class: "dev-copyable" }, h("code", {}, text), copyButton(text, label));
}

/** A `<dl>` of [term, value] pairs (null values shown as "—"). */
export function kvList(pairs) {
    return h("dl", { class: "dev-kv" }, pairs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? h("span", { class: "muted" }, "—"))]));
}

/** A card with a heading and optional right-aligned actions. */
export function card(title, { actions = [], testid, id } = {}, ...children) {
    return h("section", { class: "card dev-card", "data-testid": testid, id, "aria-labelledby": id ? id + "-title" : undefined },
        h("div", { class: "dev-card-head" }, h("h2", { id: id ? id + "-title" : undefined }, title), h("div", { class: "dev-card-actions" }, actions)),
        children);
}

/**
 * A table in a scroll wrapper: `cols` header labels (a `{label, num}` for right-aligned), `rows` <tr> elements.
 * `stack`: on narrow screens each row becomes a block of "label: value" lines (cells get `data-label`).
 */
export function table(caption, cols, rows, { empty = "Nothing yet.", stack = false } = {}) {
    if (!rows.length) return h("p", { class: "empty" }, empty);
    const labels = cols.map((c) => typeof c === "string" ? c : c.label);
    // One wrapper per cell, so a stacked cell is exactly two grid items: its label (::before) and its content.
    if (stack) for (const tr of rows) [...tr.children].forEach((td, i) => { td.dataset.label = labels[i] || ""; td.append(h("div", {}, ...td.childNodes)); });
    return h("div", { class: "table-wrap" }, h("table", { class: "data" + (stack ? " dev-stack" : "") },
        h("caption", { class: "visually-hidden" }, caption),
        h("thead", {}, h("tr", {}, cols.map((c) => typeof c === "string" ? h("th", { scope: "col" }, c) : h("th", { scope: "col", class: c.num ? "num" : "" }, c.label)))),
        h("tbody", {}, rows)));
}

/** `#/collections/<name>?filter=...`: a link into the records browser filtered to one value. */
export function recordsLink(collection, filter, text) {
    const q = new URLSearchParams({ filter }).toString();
    return h("a", { href: `#/collections/${encodeURIComponent(collection)}?${q}` }, text);
}

/** PocketBase's filter string literal (single quotes, backslash-escaped). */
export function quote(value) {
    return "'" + String(value).replace(/\\/g, "\\\\").replace(/'/g, "\\'") + "'";
}

/**
 * Record counts per collection, as a card that can refresh itself (`el.refresh()`): one `perPage=1&fields=id` list
 * call per collection, in parallel, reading `totalItems`.
 */
export function countsCard() {
    const body = h("div", {}, h("p", { class: "muted" }, "Counting…"));
    const refreshBtn = h("button", { type: "button", class: "btn btn-small", onclick: () => refresh(true) }, "Refresh");
    const el = card("Records per collection", { actions: [refreshBtn], testid: "record-counts", id: "dev-counts" }, body);
    async function refresh(force = false) {
        refreshBtn.disabled = true;
        try {
            const list = await collections.all(force);
            const counts = await Promise.all(list.map((c) =>
                send(`/api/collections/${encodeURIComponent(c.name)}/records`, { query: { perPage: 1, fields: "id" } })
                    .then((r) => r.totalItems, (err) => err)));
            // App collections first, then the system ones (their names start with "_").
            const rows = list.map((c, i) => ({ c, n: counts[i] }))
                .sort((a, b) => (a.c.system - b.c.system) || a.c.name.localeCompare(b.c.name))
                .map(({ c, n }) => h("tr", { dataset: { collection: c.name } },
                    h("td", {}, h("a", { href: "#/collections/" + encodeURIComponent(c.name) }, c.name),
                        c.system ? [" ", h("span", { class: "badge" }, "system")] : null),
                    h("td", {}, c.type),
                    h("td", { class: "num" }, n instanceof Error ? h("span", { class: "badge badge-danger", title: n.message }, "error") : String(n))));
            mount(body, table("Records per collection", ["Collection", "Type", { label: "Records", num: true }], rows, { empty: "No collections." }));
        } catch (err) {
            showError(err);
            mount(body, h("p", { class: "alert alert-error" }, "Could not count records: " + err.message));
        } finally {
            refreshBtn.disabled = false;
        }
    }
    el.refresh = refresh;
    refresh();
    return el;
}

/** A periodic task that stops itself when cancelled or when its element left the document (navigation). */
export function every(ms, fn, el) {
    const id = setInterval(() => {
        if (!el.isConnected) { clearInterval(id); return; }
        if (document.visibilityState === "visible") fn();
    }, ms);
    return () => clearInterval(id);
}
