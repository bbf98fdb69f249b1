// Logs (`#/logs`): a filter (PocketBase's filter language, or plain text), the requests-per-hour chart, the paged
// list and a detail dialog. The state lives in the hash query (filter, level, superusers, page, logId) so a
// reload or a shared link shows the same view.
import { send } from "../api.js";
import { seriesChart } from "../charts.js";
import { formatDate, h, loadCSS, modal, mount, pageHeader } from "../ui.js";

const PER_PAGE = 50;
const LEVELS = [["", "All levels"], ["-4", "DEBUG"], ["0", "INFO"], ["4", "WARN"], ["8", "ERROR"]];
const SUPERUSERS_KEY = "sptfy_dev_logs_superusers";

export function levelName(level) {
    return { "-4": "DEBUG", 0: "INFO", 4: "WARN", 8: "ERROR" }[level] ?? `L${level}`;
}

function levelBadge(level) {
    const cls = level >= 8 ? "badge-danger" : level >= 4 ? "badge-warn" : level >= 0 ? "badge-ok" : "";
    return h("span", { class: `badge ${cls}` }, levelName(level));
}

/**
 * A search box value → filter. Anything with an operator is taken as a filter expression; plain text searches
 * level, message and data (what PocketBase's logs search does).
 */
export function normalizeSearch(text) {
    const term = (text || "").trim();
    if (!term) return "";
    if (/[=~<>]/.test(term)) return term;
    const value = Number.isNaN(Number(term)) && term !== "true" && term !== "false"
        ? JSON.stringify(term.replace(/^["'`]|["'`]$/g, ""))
        : term;
    return ["level", "message", "data"].map((f) => `${f}~${value}`).join("||");
}

/** The filter sent to the API: each part parenthesised and joined with &&. */
export function buildFilter({ search, level, superusers }) {
    return [
        superusers ? "" : 'data.auth!="_superusers"',
        normalizeSearch(search),
        level !== "" && level !== undefined ? `level=${Number(level)}` : "",
    ].filter(Boolean).map((f) => `(${f})`).join("&&");
}

export async function render({ root, query }) {
    loadCSS("./views/logs.css");
    const stored = localStorage.getItem(SUPERUSERS_KEY);
    const state = {
        search: query.filter || "",
        level: query.level ?? "",
        superusers: query.superusers !== undefined ? query.superusers === "1" : stored === "1",
        page: Math.max(1, parseInt(query.page, 10) || 1),
    };
    let controller = null;

    const searchInput = h("input", {
        type: "search", class: "code grow", value: state.search, "data-testid": "logs-filter", "aria-label": "Filter logs",
        placeholder: 'Search term or filter like level > 0 && data.status >= 400', autocomplete: "off", spellcheck: "false",
    });
    const levelSelect = h("select", { "aria-label": "Level", "data-testid": "logs-level" },
        LEVELS.map(([v, l]) => h("option", { value: v, selected: v === String(state.level) }, l)));
    const superBox = h("input", { type: "checkbox", checked: state.superusers, "data-testid": "logs-superusers" });
    const errorBox = h("div", { class: "alert alert-error hidden", role: "alert", "data-testid": "logs-filter-error" });
    const chartBox = h("div", { class: "card logs-chart", "data-testid": "logs-chart" });
    const tableBox = h("div", { class: "logs-table" });
    const pager = h("nav", { class: "pager", "aria-label": "Logs pages" });
    const refreshBtn = h("button", { type: "button", class: "btn", "data-testid": "logs-refresh", onclick: () => load() }, "Refresh");

    const form = h("form", { class: "toolbar logs-toolbar", role: "search", onsubmit: (e) => { e.preventDefault(); apply(); } },
        searchInput, levelSelect,
        h("button", { type: "submit", class: "btn btn-primary", "data-testid": "logs-apply" }, "Search"),
        h("button", { type: "button", class: "btn", onclick: () => { searchInput.value = ""; levelSelect.value = ""; apply(); } }, "Clear"));
    levelSelect.addEventListener("change", apply);
    superBox.addEventListener("change", () => {
        localStorage.setItem(SUPERUSERS_KEY, superBox.checked ? "1" : "0");
        apply();
    });

    mount(root,
        pageHeader("Logs", {
            actions: [h("label", { class: "check" }, superBox, h("span", {}, "Include superuser requests")), refreshBtn],
        }),
        form,
        h("p", { class: "help muted logs-help" },
            "Examples: ", h("code", {}, "data.status >= 400"), ", ", h("code", {}, "level > 0"), ", ",
            h("code", {}, 'data.url ~ "/api/collections"'), ". Plain text searches level, message and data. Levels: DEBUG −4, INFO 0, WARN 4, ERROR 8."),
        errorBox, chartBox, tableBox, pager);

    function apply() {
        state.search = searchInput.value.trim();
        state.level = levelSelect.value;
        state.superusers = superBox.checked;
        state.page = 1;
        load();
    }

    /** Keeps the hash in step without re-rendering the view (navigate() would). */
    function syncHash(extra = {}) {
        const q = new URLSearchParams();
        if (state.search) q.set("filter", state.search);
        if (state.level !== "") q.set("level", state.level);
        q.set("superusers", state.superusers ? "1" : "0");
        if (state.page > 1) q.set("page", String(state.page));
        for (const [k, v] of Object.entries(extra)) if (v) q.set(k, v);
        history.replaceState(null, "", "#/logs?" + q.toString());
    }

    async function load() {
        controller?.abort();
        controller = new AbortController();
        const signal = controller.signal;
        syncHash();
        const filter = buildFilter(state);
        setError("");
        tableBox.setAttribute("aria-busy", "true");
        const [list, stats] = await Promise.allSettled([
            send("/api/logs", { query: { page: state.page, perPage: PER_PAGE, sort: "-created", filter }, signal }),
            send("/api/logs/stats", { query: { filter }, signal }),
        ]);
        if (signal.aborted) return;
        tableBox.removeAttribute("aria-busy");
        const errors = [list, stats].filter((r) => r.status === "rejected").map((r) => r.reason);
        if (errors.some((e) => e?.name === "AbortError")) return;
        if (errors.length) {
            // The list and the stats word a bad filter differently ("Invalid filter format."): show both.
            const messages = [...new Set(errors.map((e) => e?.message || String(e)))].join(" ");
            setError(errors.some((e) => e?.status === 400) ? `${messages} Filter sent: ${filter}` : messages);
        }
        drawChart(stats.status === "fulfilled" ? stats.value : null);
        if (list.status === "fulfilled") drawTable(list.value);
        else { mount(tableBox); mount(pager); }
    }

    function setError(text) {
        errorBox.textContent = text;
        errorBox.classList.toggle("hidden", !text);
    }

    function drawChart(stats) {
        if (!stats) { mount(chartBox, h("p", { class: "muted" }, "No chart: the filter failed.")); return; }
        const points = hourlyPoints(stats);
        const total = stats.reduce((s, p) => s + (+p.total || 0), 0);
        mount(chartBox,
            h("div", { class: "logs-chart-head" }, h("h2", {}, "Logs per hour (UTC)"), h("span", { class: "muted", "data-testid": "logs-total" }, `${total} in total`)),
            points.length ? seriesChart({ title: "Logs per hour", points, kind: "bar", ...chartSize(chartBox) }) : h("p", { class: "empty" }, "No logs match."));
    }

    function drawTable(res) {
        const items = res.items || [];
        if (!items.length) {
            mount(tableBox, h("div", { class: "card empty", "data-testid": "logs-empty" }, "No logs found."));
        } else {
            mount(tableBox, h("div", { class: "table-wrap" },
                h("table", { class: "data logs-list" },
                    h("caption", { class: "visually-hidden" }, "Logs, newest first"),
                    h("thead", {}, h("tr", {}, ["Level", "Message", "Method", "URL", "Status", "Created"].map((t) =>
                        h("th", { scope: "col", class: t === "Status" ? "num" : "" }, t)))),
                    h("tbody", {}, items.map(logRow)))));
        }
        const totalPages = Math.max(1, res.totalPages || 1);
        const go = (p) => { state.page = p; load(); window.scrollTo({ top: 0 }); };
        mount(pager,
            h("span", { class: "muted", "data-testid": "logs-page-info" }, `Page ${res.page} of ${totalPages} · ${res.totalItems ?? items.length} logs`),
            h("button", { type: "button", class: "btn btn-small", "data-testid": "logs-prev", disabled: state.page <= 1, onclick: () => go(state.page - 1) }, "‹ Previous"),
            h("button", { type: "button", class: "btn btn-small", "data-testid": "logs-next", disabled: state.page >= totalPages, onclick: () => go(state.page + 1) }, "Next ›"));
    }

    function logRow(log) {
        const d = log.data || {};
        const open = () => showLog(log.id);
        const status = d.status;
        return h("tr", { "data-testid": "log-row", dataset: { id: log.id }, class: "clickable", onclick: (e) => { if (!e.target.closest("button")) open(); } },
            h("td", {}, levelBadge(log.level)),
            h("td", { class: "log-message" }, h("button", { type: "button", class: "btn-link", title: log.message, onclick: open }, log.message || "(no message)")),
            h("td", { class: "mono" }, d.method || ""),
            h("td", { class: "mono log-url", title: d.url || "" }, d.url || ""),
            h("td", { class: "num" }, status ? h("span", { class: `badge ${status >= 500 ? "badge-danger" : status >= 400 ? "badge-warn" : "badge-ok"}` }, String(status)) : ""),
            h("td", { class: "nowrap" }, formatDate(log.created)));
    }

    async function showLog(id) {
        syncHash({ logId: id });
        try {
            const log = await send(`/api/logs/${encodeURIComponent(id)}`);
            const d = log.data || {};
            await modal({
                title: "Log details", wide: true,
                body: h("div", { class: "log-detail", "data-testid": "log-detail" },
                    h("dl", { class: "log-meta" },
                        meta("id", h("code", {}, log.id)),
                        meta("Level", levelBadge(log.level)),
                        meta("Created", formatDate(log.created)),
                        meta("Message", log.message),
                        d.execTime !== undefined ? meta("Exec time", `${d.execTime} ms`) : null),
                    h("h3", {}, "data"),
                    h("pre", { class: "log-data", "data-testid": "log-data" }, JSON.stringify(d, null, 2))),
                actions: [{ label: "Close", value: true }],
            });
        } catch (err) {
            setError(err.message);
        } finally {
            syncHash();
        }
    }

    load();
    if (query.logId) showLog(query.logId);
    return () => controller?.abort();
}

/** The SVG scales to its box: drawing it near the box's real width keeps the axis text readable on phones. */
function chartSize(box) {
    const w = Math.round(Math.min(960, Math.max(320, box.clientWidth - 24 || 720)));
    return { width: w, height: w < 500 ? 200 : 180 };
}

function meta(label, value) {
    return [h("dt", {}, label), h("dd", {}, value)];
}

/**
 * Stats buckets ({date, total}, only the hours that have logs) → one bar per hour from the first to the last, so
 * gaps show as empty hours. Labels are "MM-DD HH:00" in UTC.
 */
export function hourlyPoints(stats) {
    const byHour = new Map();
    for (const s of stats || []) {
        const t = Date.parse(String(s.date).replace(" ", "T"));
        if (!Number.isNaN(t)) byHour.set(Math.floor(t / 3600000), (byHour.get(Math.floor(t / 3600000)) || 0) + (+s.total || 0));
    }
    if (!byHour.size) return [];
    const hours = [...byHour.keys()].sort((a, b) => a - b);
    // At least the last 24 hours up to now, so a few busy hours don't render as one full-width block.
    const last = Math.max(hours[hours.length - 1], Math.floor(Date.now() / 3600000));
    const first = Math.min(hours[0], last - 23);
    // Bounded: logs are kept for maxDays (5 by default); past ~60 days only the buckets themselves are drawn.
    const range = last - first <= 24 * 60 ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : [...new Set([...hours, last])];
    return range.map((hr) => ({ label: hourLabel(hr), value: byHour.get(hr) || 0 }));
}

function hourLabel(hour) {
    const iso = new Date(hour * 3600000).toISOString();
    return `${iso.slice(5, 10)} ${iso.slice(11, 13)}:00`;
}
