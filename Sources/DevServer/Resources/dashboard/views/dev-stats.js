// Stats: sptfy.in's own admin numbers (`GET /api/admin/stats?days=N`, the endpoint its /@/admin page reads) drawn
// as charts, so a developer sees what the fixture world (and their test clicks) adds up to.
import { listAll, send } from "../api.js";
import { formatDate, h, mount, nextId, showError } from "../ui.js";
import { barList, seriesChart } from "../charts.js";
import { card, quote, recordsLink, table } from "./dev-common.js";

const RANGES = [["7", "7 days"], ["30", "30 days"], ["90", "90 days"], ["0", "All time"]];

export async function render(el, ctx) {
    let days = RANGES.some(([v]) => v === ctx.query.days) ? ctx.query.days : "30";
    const body = h("div", { class: "dev-stats", "aria-live": "polite", "aria-busy": "true" });
    const meta = h("span", { class: "muted dev-status" });
    const refreshBtn = h("button", { type: "button", class: "btn", onclick: () => load() }, "Refresh");
    const name = nextId("days");
    const selector = h("fieldset", { class: "dev-segmented", "data-testid": "stats-days" },
        h("legend", { class: "visually-hidden" }, "Range"),
        RANGES.map(([v, label]) => {
            const id = nextId("days");
            return h("span", {},
                h("input", { type: "radio", name, id, value: v, checked: v === days, onchange: () => { days = v; load(); } }),
                h("label", { for: id }, label));
        }));

    let seq = 0;
    async function load() {
        const mine = ++seq;
        // Keep the range in the URL without a re-render (reloads and shared links show the same range).
        history.replaceState(null, "", "#/dev/stats?days=" + days);
        body.setAttribute("aria-busy", "true");
        refreshBtn.disabled = true;
        try {
            const stats = await send("/api/admin/stats", { query: { days } });
            const names = await creatorNames(stats.leaderboards?.topCreators || []);
            if (mine !== seq) return;
            meta.textContent = `Generated ${formatDate(stats.generatedAt)} · grouped by ${stats.aggregation}`;
            // Charts are drawn at about their on-screen width, so their 10px labels stay legible on phones.
            const chartWidth = Math.round(Math.min(720, Math.max(300, body.clientWidth - 34)));
            mount(body, ...draw(stats, names, chartWidth));
        } catch (err) {
            if (mine !== seq) return;
            meta.textContent = "";
            showError(err);
            mount(body, h("p", { class: "alert alert-error" }, "GET /api/admin/stats failed: " + err.message +
                (days === "0" ? " (all-time stats fail on a database without links or clicks)" : "")));
        } finally {
            if (mine === seq) { body.setAttribute("aria-busy", "false"); refreshBtn.disabled = false; }
        }
    }

    mount(el,
        h("div", { class: "toolbar" }, selector, refreshBtn, meta),
        h("p", { class: "muted dev-lead" }, "sptfy.in's GET /api/admin/stats. Like production it has no auth at the PocketBase layer (the SvelteKit app gates /@/admin)."),
        body);
    await load();
}

function draw(s, names, chartWidth) {
    const sum = s.summary || {}, series = s.series || {}, br = s.breakdowns || {}, lb = s.leaderboards || {};
    const unit = { day: "day", week: "week", month: "month" }[s.aggregation] || "day";
    const rangeText = s.rangeDays ? `last ${s.rangeDays} days` : "all time";
    return [
        h("div", { class: "dev-stat-grid", "data-testid": "stats-totals" },
            stat("Total links", sum.totalLinks, "all time"),
            stat("Links created", sum.linksCreatedInRange, rangeText),
            stat("Clicks", sum.clicksInRange, rangeText),
            stat("Clicks per link", sum.avgClicksPerLink, rangeText)),
        h("div", { class: "dev-chart-grid" },
            seriesCard(`Clicks per ${unit}`, series.clicksByDay, "clicksByDay", chartWidth),
            seriesCard(`Links created per ${unit}`, series.linksByDay, "linksByDay", chartWidth)),
        h("div", { class: "dev-breakdown-grid" },
            breakdownCard("Countries", br.countries, "countries", countryName),
            breakdownCard("Browsers", br.browsers, "browsers"),
            breakdownCard("Subdomains", br.subdomains, "subdomains")),
        card("Top links (all time, by clicks)", { id: "dev-top-links", testid: "stats-leaderboard" },
            table("Top links", ["Slug", "Subdomain", { label: "Clicks", num: true }, "Created"], (lb.topLinks || []).map((l, i) =>
                h("tr", { dataset: { id: l.id } },
                    h("td", {}, h("span", { class: "muted" }, `${i + 1}. `), recordsLink("random_short", `id=${quote(l.id)}`, l.id_url || l.id)),
                    h("td", {}, l.subdomain),
                    h("td", { class: "num" }, fmtNum(l.utm_view)),
                    h("td", { title: l.created }, formatDate(l.created)))),
            { empty: "No links.", stack: true })),
        card(`Top creators (${rangeText})`, { id: "dev-top-creators", testid: "stats-leaderboard" },
            table("Top creators", ["User", { label: "Links", num: true }, { label: "Clicks", num: true }], (lb.topCreators || []).map((c, i) =>
                h("tr", { dataset: { user: c.userId } },
                    h("td", {}, h("span", { class: "muted" }, `${i + 1}. `), c.userId === "guest"
                        ? h("span", { class: "badge" }, "guests")
                        : recordsLink("users", `id=${quote(c.userId)}`, names.get(c.userId) || c.userId)),
                    h("td", { class: "num" }, fmtNum(c.linksCreated)),
                    h("td", { class: "num" }, fmtNum(c.totalClicks)))),
            { empty: "Nobody created links in this range." })),
    ];
}

function stat(label, value, sub) {
    return h("div", { class: "card dev-stat" },
        h("div", { class: "stat" }, fmtNum(value)),
        h("div", { class: "stat-label" }, label), h("div", { class: "muted dev-stat-sub" }, sub));
}

function seriesCard(title, points = [], key, width = 720) {
    const total = points.reduce((n, p) => n + (+p.count || 0), 0);
    return card(title, { id: "dev-series-" + key, testid: "stats-series", actions: [h("span", { class: "muted" }, fmtNum(total) + " total")] },
        points.length
            ? seriesChart({ title, kind: "bar", width, height: width < 500 ? 200 : 220, points: points.map((p) => ({ label: shortDate(p.date), value: p.count })) })
            : h("p", { class: "empty" }, "No data."));
}

function breakdownCard(title, rows = [], key, labelOf = (k) => k) {
    return card(title, { id: "dev-breakdown-" + key, testid: "stats-breakdown" },
        barList({ title, rows: rows.map((r) => ({ label: labelOf(r.key), value: r.count })) }));
}

/** "2025-03-07" → "03-07" (day buckets); week/month buckets stay as they are. */
function shortDate(d) {
    return /^\d{4}-\d{2}-\d{2}$/.test(d || "") ? d.slice(5) : d;
}

const regionNames = (() => { try { return new Intl.DisplayNames(["en"], { type: "region" }); } catch { return null; } })();

/** "ID" → "Indonesia"; the endpoint's "UN" stands for clicks without a country (NULL), "" for an empty one. */
function countryName(code) {
    if (!code) return "(empty)";
    if (code === "UN") return "Unknown (UN)";
    try {
        const name = regionNames?.of(code);
        return name && name !== code ? name : code;
    } catch { return code; }
}

function fmtNum(n) {
    return Number.isFinite(+n) ? (+n).toLocaleString("en-US", { maximumFractionDigits: 2 }) : "—";
}

/** Usernames for the creators' ids (one filtered list call); ids that are no user keep showing the id. */
async function creatorNames(creators) {
    const ids = creators.map((c) => c.userId).filter((id) => id && id !== "guest");
    if (!ids.length) return new Map();
    try {
        const users = await listAll("users", { filter: ids.map((id) => `id=${quote(id)}`).join("||"), fields: "id,username,name" });
        return new Map(users.map((u) => [u.id, u.username || u.name || u.id]));
    } catch { return new Map(); }
}
