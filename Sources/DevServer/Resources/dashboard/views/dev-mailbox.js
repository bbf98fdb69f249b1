// Mailbox: every mail the server "sent" (captured instead of SMTP), newest first, with the selected one rendered in a
// script-less sandboxed iframe and its links pulled out (verification / password-reset / email-change links).
import { send } from "../api.js";
import { formatDate, h, mount, showError } from "../ui.js";
import { copyButton, every } from "./dev-common.js";

const REFRESH_MS = 5000;

export async function render(el, ctx) {
    let mails = [];
    let selectedId = ctx.query.mail || null;
    // Until the developer picks a mail, the newest one stays selected (a mail that just arrived opens by itself).
    let pinned = !!selectedId;
    let signature = null;
    let view = "html";

    const listBox = h("div", { class: "dev-mail-list" });
    const detail = h("div", { class: "dev-mail-detail", "aria-live": "polite" });
    const status = h("span", { class: "muted dev-status" });
    const refreshBtn = h("button", { type: "button", class: "btn", "data-testid": "mail-refresh", onclick: () => load(true) }, "Refresh");

    async function load(manual = false) {
        if (manual) refreshBtn.disabled = true;
        try {
            const all = await send("/api/sptfy-dev/mails");
            status.textContent = `${all.length} mail${all.length === 1 ? "" : "s"} · updated ${new Date().toLocaleTimeString()} · refreshes every 5 s`;
            // Redraw only on change, so auto-refresh does not steal focus or reset the preview's scroll.
            const sig = all.length + ":" + (all.at(-1)?.id || "");
            if (sig === signature) { refreshTimes(); return; }
            signature = sig;
            mails = all.slice().reverse();
            if (!pinned || !mails.some((m) => m.id === selectedId)) selectedId = mails[0]?.id || null;
            drawList();
            drawDetail();
        } catch (err) {
            if (manual) showError(err);
            status.textContent = "Could not load the mailbox: " + err.message;
        } finally {
            refreshBtn.disabled = false;
        }
    }

    function select(id) {
        selectedId = id;
        pinned = true;
        // Keep the selection in the URL without a re-render (a reload or shared link opens the same mail).
        history.replaceState(null, "", "#/dev/mailbox?mail=" + encodeURIComponent(id));
        drawList();
        drawDetail();
        // Stacked layout (narrow screens): the mail opens below the list, so bring it into view.
        if (matchMedia("(max-width: 1000px)").matches) detail.scrollIntoView({ block: "start", behavior: "smooth" });
    }

    /** "2 min ago" labels age while the list stays as it is. */
    function refreshTimes() {
        for (const t of listBox.querySelectorAll("time[datetime]")) t.textContent = relativeTime(t.getAttribute("datetime"));
    }

    function drawList() {
        if (!mails.length) {
            mount(listBox, h("div", { class: "empty" },
                h("p", {}, "No mail captured yet."),
                h("p", { class: "muted" }, "Mails the server sends (verification, password reset, email change, OTP) land here instead of an SMTP server.")));
            return;
        }
        // A redraw (new mail arrived) keeps keyboard focus on the row that had it.
        const focusedId = listBox.contains(document.activeElement) ? document.activeElement.dataset.id : null;
        mount(listBox, h("ul", { class: "dev-mail-items", "aria-label": "Captured mails, newest first" }, mails.map((m) =>
            h("li", {}, h("button", {
                type: "button", class: "dev-mail-row", "data-testid": "mail-row", "aria-current": m.id === selectedId ? "true" : false,
                dataset: { id: m.id }, onclick: () => select(m.id),
            },
                h("span", { class: "dev-mail-subject" }, m.subject || "(no subject)"),
                h("span", { class: "dev-mail-meta" }, h("span", { class: "dev-mail-to" }, m.to),
                    h("time", { datetime: m.sentAt, title: formatDate(m.sentAt) }, relativeTime(m.sentAt))))))));
        if (focusedId) listBox.querySelector(`[data-id="${CSS.escape(focusedId)}"]`)?.focus();
    }

    function drawDetail() {
        const m = mails.find((x) => x.id === selectedId);
        if (!m) { mount(detail); return; }
        const doc = new DOMParser().parseFromString(m.html || "", "text/html"); // inert: parsing runs no scripts
        const links = extractLinks(doc, m.html || "");
        const tabs = [["html", "HTML"], ["text", "Text"], ["source", "Source"]];
        const body = view === "html"
            // No sandbox tokens at all: no scripts, no forms, no same-origin access, no popups.
            ? h("iframe", { class: "dev-mail-frame", sandbox: "", title: "Mail: " + (m.subject || ""), srcdoc: m.html || "", "data-testid": "mail-html", referrerpolicy: "no-referrer" })
            : h("pre", { class: "dev-mail-text", tabindex: "0", "data-testid": "mail-" + view }, view === "text" ? plainText(doc) : m.html);
        mount(detail, h("article", { class: "card dev-mail", "data-testid": "mail-detail", dataset: { id: m.id } },
            h("header", { class: "dev-mail-head" },
                h("h2", {}, m.subject || "(no subject)"),
                h("dl", { class: "dev-kv dev-kv-tight" },
                    h("dt", {}, "To"), h("dd", {}, m.to),
                    h("dt", {}, "Sent"), h("dd", {}, formatDate(m.sentAt), " ", h("span", { class: "muted" }, "(" + relativeTime(m.sentAt) + ")")))),
            links.length ? h("section", { class: "dev-mail-links", "aria-labelledby": "dev-mail-links-title" },
                h("h3", { id: "dev-mail-links-title" }, `Links in this mail (${links.length})`),
                h("ul", {}, links.map(linkItem))) : h("p", { class: "muted" }, "No links in this mail."),
            h("div", { class: "dev-tabs", role: "group", "aria-label": "Show the mail as" }, tabs.map(([id, label]) =>
                h("button", { type: "button", class: "btn btn-small", "aria-pressed": view === id ? "true" : "false", onclick: () => { view = id; drawDetail(); } }, label))),
            body));
    }

    mount(el,
        h("div", { class: "toolbar" }, refreshBtn, status),
        h("div", { class: "dev-mailbox" }, listBox, detail));
    await load();
    const stop = every(REFRESH_MS, () => load(), el);
    return stop;
}

/** The http(s) links of a mail: anchors first (with their text), then bare URLs in the text; deduplicated. */
export function extractLinks(doc, html) {
    const seen = new Map();
    for (const a of doc.querySelectorAll("a[href]")) {
        const url = a.getAttribute("href").trim();
        if (/^https?:\/\//i.test(url) && !seen.has(url)) seen.set(url, a.textContent.trim());
    }
    for (const match of (doc.body?.textContent || html).matchAll(/https?:\/\/[^\s"'<>]+/g)) {
        const url = match[0].replace(/[.,;:)\]]+$/, "");
        if (!seen.has(url)) seen.set(url, "");
    }
    return [...seen].map(([url, text]) => ({ url, text, ...classify(url) }));
}

/** PocketBase's templates link to `{APP_URL}/_/#/auth/<action>/<token>`: name the action and pull the token out. */
function classify(url) {
    const m = url.match(/\/(confirm-verification|confirm-password-reset|confirm-email-change)\/([^/?#\s]+)/);
    const kinds = { "confirm-verification": "Verification", "confirm-password-reset": "Password reset", "confirm-email-change": "Email change" };
    return m ? { kind: kinds[m[1]], token: decodeURIComponent(m[2]) } : { kind: null, token: null };
}

function linkItem(l) {
    return h("li", { class: "dev-mail-link" },
        h("div", { class: "dev-mail-link-head" },
            l.kind ? h("span", { class: "badge badge-ok" }, l.kind) : null,
            l.text ? h("strong", {}, l.text) : null),
        h("a", { href: l.url, target: "_blank", rel: "noopener noreferrer", class: "dev-mail-url", "data-testid": "mail-link" }, l.url),
        h("div", { class: "dev-mail-link-actions" },
            copyButton(l.url, "Copy link " + (l.text || l.url), { caption: "Copy link" }),
            l.token ? copyButton(l.token, "Copy token", { caption: "Copy token" }) : null));
}

/** Readable text of an HTML mail: block elements and <br> become line breaks. */
function plainText(doc) {
    for (const br of doc.querySelectorAll("br")) br.replaceWith("\n");
    for (const a of doc.querySelectorAll("a[href]")) a.append(` <${a.getAttribute("href")}>`);
    for (const b of doc.querySelectorAll("p, div, h1, h2, h3, li, tr")) b.append("\n");
    return (doc.body?.textContent || "").split("\n").map((l) => l.trim()).join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

function relativeTime(value) {
    const d = new Date(String(value || "").replace(" ", "T"));
    if (isNaN(d)) return String(value || "");
    const s = Math.round((Date.now() - d) / 1000);
    if (s < 45) return "just now";
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    if (s < 86400) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86400)} d ago`;
}
