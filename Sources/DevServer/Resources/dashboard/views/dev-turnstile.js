// Turnstile: how the offline stub is configured, Cloudflare's documented test keys, every siteverify call the
// server answered (newest first), and a form to call siteverify by hand.
import { ApiError, send } from "../api.js";
import { field, formatDate, h, mount, showError } from "../ui.js";
import { card, copyButton, every, infoMissing, kvList, loadInfo, table } from "./dev-common.js";

const REFRESH_MS = 5000;
const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

/** Cloudflare's documented test keys (turnstile.md §A.2); the info endpoint's list wins when it has one. */
const SITE_KEYS = [
    { key: "1x00000000000000000000AA", behaviour: "always passes (visible widget)" },
    { key: "2x00000000000000000000AB", behaviour: "always blocks (visible widget)" },
    { key: "1x00000000000000000000BB", behaviour: "always passes (invisible widget)" },
    { key: "2x00000000000000000000BB", behaviour: "always blocks (invisible widget)" },
    { key: "3x00000000000000000000FF", behaviour: "forces an interactive challenge" },
];
const SECRETS = [
    { key: "1x0000000000000000000000000000000AA", behaviour: "always passes", result: "success" },
    { key: "2x0000000000000000000000000000000AA", behaviour: "always fails", result: "invalid-input-response" },
    { key: "3x0000000000000000000000000000000AA", behaviour: "token already spent", result: "timeout-or-duplicate" },
];

export async function render(el) {
    const info = await loadInfo();
    const ts = info?.turnstile;
    const logBox = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    const status = h("span", { class: "muted dev-status" });
    const refreshBtn = h("button", { type: "button", class: "btn btn-small", "data-testid": "turnstile-refresh", onclick: () => load(true) }, "Refresh");
    let signature = null;
    let stop = null, absent = false;

    async function load(manual = false) {
        refreshBtn.disabled = true;
        try {
            const log = await send("/api/sptfy-dev/turnstile");
            status.textContent = `${log.length} verification${log.length === 1 ? "" : "s"} · refreshes every 5 s`;
            const sig = log.length + ":" + (log.at(-1)?.time || "");
            if (sig !== signature) { signature = sig; mount(logBox, logTable(log.slice().reverse())); }
        } catch (err) {
            if (err instanceof ApiError && err.status === 404) {
                // The route exists only when siteverify is answered in-process (no external verify URL configured).
                mount(logBox, h("p", { class: "alert alert-info" }, "This server does not answer siteverify in-process (an external verify URL is configured, or the sptfy.in layer is off): there is no log to show."));
                absent = true;
                status.textContent = "";
                stop?.();
                return;
            }
            if (manual) showError(err);
            status.textContent = "Could not load the log: " + err.message;
        } finally { refreshBtn.disabled = false; }
    }

    mount(el,
        info ? modeCard(ts) : infoMissing(),
        card("Verification log", { id: "dev-ts-log", testid: "turnstile-log", actions: [status, refreshBtn] },
            h("p", { class: "muted dev-lead" }, "Every siteverify call answered by the stub, newest first. Creating a link through the app verifies its widget token here."),
            logBox),
        tryCard(() => load()),
        keysCard(ts?.siteKeys?.length ? ts.siteKeys : SITE_KEYS));
    await load();
    if (!absent) stop = every(REFRESH_MS, () => load(), el);
    return () => stop?.();
}

function modeCard(ts) {
    if (!ts) return card("Mode", { id: "dev-ts-mode" }, h("p", { class: "muted" }, "The Turnstile stub is off: link creates are verified against the configured siteverify URL."));
    return card("Mode", { id: "dev-ts-mode", testid: "turnstile-mode" }, kvList([
        ["Server secret", h("span", {}, ts.secret)],
        ["Strict tokens", h("span", {},
            h("span", { class: "badge " + (ts.strict ? "badge-warn" : "") }, ts.strict ? "on" : "off"), " ",
            h("span", { class: "muted" }, ts.strict
                ? "the widget mints unique tokens that are single-use and expire after 5 minutes, as in production"
                : "every passing widget yields the dummy token " + DUMMY_TOKEN + ", accepted any number of times"))],
    ]));
}

function logTable(rows) {
    return table("Turnstile verifications, newest first", ["Time (UTC)", "Result", "Error codes", "Secret", "Token", "Remote IP", "Idempotency key"], rows.map((r) =>
        h("tr", { "data-testid": "turnstile-row", dataset: { success: String(!!r.success) } },
            h("td", { class: "dev-nowrap" }, h("time", { datetime: r.time, title: formatDate(r.time) }, clock(r.time))),
            h("td", {}, h("span", { class: "badge " + (r.success ? "badge-ok" : "badge-danger") }, r.success ? "pass" : "fail")),
            h("td", {}, (r["error-codes"] || []).length ? h("code", {}, r["error-codes"].join(", ")) : h("span", { class: "muted" }, "—")),
            h("td", {}, r.secret),
            h("td", { title: r.token }, h("code", {}, r.token)),
            h("td", {}, r.remoteip || h("span", { class: "muted" }, "—")),
            h("td", { title: r.idempotency_key || "" }, r.idempotency_key ? h("code", {}, r.idempotency_key) : h("span", { class: "muted" }, "—")))),
    { empty: "No verifications yet.", stack: true });
}

/** "2026-12-03T01:02:49.594Z" → "01:02:49" (the full date is in the cell's tooltip; a dev log is mostly today). */
function clock(iso) {
    const m = String(iso || "").match(/[T ](\d{2}:\d{2}:\d{2})/);
    return m ? m[1] : String(iso || "");
}

/** Calls the stub's siteverify like a backend would, so a developer can see each test secret's answer. */
function tryCard(afterCall) {
    const secret = h("select", { name: "secret", "data-testid": "siteverify-secret" },
        SECRETS.map((s) => h("option", { value: s.key }, `${s.key.slice(0, 2)}… ${s.behaviour}`)));
    const token = h("input", { type: "text", name: "response", value: DUMMY_TOKEN, class: "code", autocomplete: "off", "data-testid": "siteverify-token" });
    const out = h("pre", { class: "dev-json", "data-testid": "siteverify-result", hidden: true });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "siteverify-submit" }, "Call siteverify");
    const form = h("form", { class: "dev-inline-form" },
        field("Secret", secret, { name: "secret" }), field("Token", token, { name: "response", help: "Test secrets accept only the dummy token." }), submit);
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        submit.disabled = true;
        try {
            const res = await fetch("/turnstile/v0/siteverify", {
                method: "POST", headers: { "Content-Type": "application/json" },
                body: JSON.stringify({ secret: secret.value, response: token.value }),
            });
            out.textContent = JSON.stringify(await res.json(), null, 2);
            out.hidden = false;
            await afterCall();
        } catch (err) { showError(err); } finally { submit.disabled = false; }
    });
    return card("Try siteverify", { id: "dev-ts-try" },
        h("p", { class: "muted dev-lead" }, "POSTs to the stub's /turnstile/v0/siteverify (what the link-create hook calls) and adds a row to the log."),
        form, out);
}

function keysCard(siteKeys) {
    const rows = (list) => list.map((k) => h("tr", {},
        h("td", {}, h("span", { class: "dev-copyable" }, h("code", {}, k.key), copyButton(k.key, "Copy the key " + k.key))),
        h("td", {}, k.behaviour)));
    return card("Test keys", { id: "dev-ts-keys", testid: "turnstile-keys" },
        h("p", { class: "muted dev-lead" }, "Cloudflare's documented dummy keys. Every passing site key yields the token ", h("code", {}, DUMMY_TOKEN), "; test secrets accept only that token."),
        h("h3", {}, "Site keys (widget)"),
        table("Turnstile test site keys", ["Site key", "Behaviour"], rows(siteKeys)),
        h("h3", { class: "dev-gap" }, "Secret keys (server)"),
        table("Turnstile test secret keys", ["Secret key", "Behaviour"], rows(SECRETS.map((s) => ({ key: s.key, behaviour: `${s.behaviour} (${s.result})` })))));
}
