// Dependency-free SVG charts: a column/line chart for time series and horizontal bars for breakdowns. Every chart
// has a <title>/aria-label and a visually hidden table of its values, so screen readers get the numbers.
const NS = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, text) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
}

/**
 * The y axis for values up to `v`: a round step (1, 2, 5 × 10^k; 2.5 only from 25 up, so counts never get
 * fractional ticks like 6.25, nor steps under 1 once values reach 1) and 1–5 ticks reaching at least `v`.
 */
export function niceScale(v) {
    if (!(v > 0)) return { max: 1, ticks: 1 };
    const raw = v / 4;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    let step = 10 * p;
    for (const m of [1, 2, 2.5, 5]) {
        if (m === 2.5 && p < 10) continue;
        if (m * p >= raw) { step = m * p; break; }
    }
    if (v >= 1) step = Math.max(step, 1);
    const ticks = Math.max(1, Math.ceil(v / step - 1e-9));
    return { max: ticks * step, ticks };
}

function fmt(n) {
    if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(1).replace(/\.0$/, "") + "M";
    if (Math.abs(n) >= 1e3) return (n / 1e3).toFixed(1).replace(/\.0$/, "") + "k";
    return String(Math.round(n * 100) / 100);
}

/**
 * A time series: `points` [{label, value}] (or several series: `series` [{name, points}] drawn as lines).
 * `kind` "bar" or "line". Returns a <figure> with the chart and a hidden data table. The SVG is drawn at the
 * figure's own width (redrawn when it changes), so its labels keep their size on a phone instead of shrinking
 * with a scaled viewBox.
 */
export function seriesChart({ title, points = [], series, kind = "bar", height = 220, width = 720 }) {
    const all = series || [{ name: title, points }];
    const labels = (all[0]?.points || []).map((p) => p.label);
    const colors = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)"];
    let svg = drawSeries({ title, all, labels, kind, width, height, colors });
    let drawnWidth = width;
    const fig = document.createElement("figure");
    fig.className = "chart-figure";
    fig.style.margin = "0";
    fig.append(svg);
    if (typeof ResizeObserver === "function") {
        new ResizeObserver(() => {
            const w = Math.round(fig.clientWidth);
            if (w < 200 || Math.abs(w - drawnWidth) < 8) return;
            drawnWidth = w;
            const next = drawSeries({ title, all, labels, kind, width: w, height, colors });
            svg.replaceWith(next);
            svg = next;
        }).observe(fig);
    }
    if (all.length > 1) {
        const legend = document.createElement("div");
        legend.className = "legend";
        all.forEach((s, si) => {
            const span = document.createElement("span");
            const i = document.createElement("i");
            i.style.background = colors[si % colors.length];
            span.append(i, s.name);
            legend.append(span);
        });
        fig.append(legend);
    }
    fig.append(dataTable(title, ["", ...all.map((s) => s.name)], labels.map((l, i) => [l, ...all.map((s) => s.points[i]?.value ?? "")])));
    return fig;
}

function drawSeries({ title, all, labels, kind, width, height, colors }) {
    const { max, ticks } = niceScale(Math.max(0, ...all.flatMap((s) => s.points.map((p) => +p.value || 0))));
    const pad = { l: 44, r: 10, t: 10, b: 28 };
    const w = width - pad.l - pad.r, hgt = height - pad.t - pad.b;
    const svg = el("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title });
    svg.append(el("title", {}, title));
    for (let i = 0; i <= ticks; i++) {
        const y = pad.t + hgt - (hgt * i) / ticks;
        svg.append(el("line", { class: "axis", x1: pad.l, x2: width - pad.r, y1: y, y2: y }));
        svg.append(el("text", { x: pad.l - 6, y: y + 3, "text-anchor": "end" }, fmt((max * i) / ticks)));
    }
    const n = Math.max(labels.length, 1);
    const step = w / n;
    // About one label per 80 px, so they never overlap.
    const every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(w / 80))));
    labels.forEach((label, i) => {
        if (i % every === 0) svg.append(el("text", { x: pad.l + step * i + step / 2, y: height - 8, "text-anchor": "middle" }, label));
    });
    all.forEach((s, si) => {
        const color = colors[si % colors.length];
        if (kind === "bar" && all.length === 1) {
            s.points.forEach((p, i) => {
                const v = +p.value || 0, bh = (hgt * v) / max;
                const r = el("rect", { class: "bar", x: pad.l + step * i + step * 0.1, y: pad.t + hgt - bh, width: Math.max(1, step * 0.8), height: bh, fill: color });
                r.append(el("title", {}, `${p.label}: ${v}`));
                svg.append(r);
            });
        } else {
            const d = s.points.map((p, i) => `${i ? "L" : "M"}${(pad.l + step * i + step / 2).toFixed(1)},${(pad.t + hgt - (hgt * (+p.value || 0)) / max).toFixed(1)}`).join("");
            svg.append(el("path", { class: "line", d, stroke: color }));
        }
    });
    return svg;
}

/** Horizontal bars for a breakdown or leaderboard: `rows` [{label, value}]. */
export function barList({ title, rows = [], max }) {
    const top = max || Math.max(1, ...rows.map((r) => +r.value || 0));
    const list = document.createElement("ol");
    list.className = "bar-list";
    list.setAttribute("aria-label", title);
    for (const r of rows) {
        const li = document.createElement("li");
        const label = document.createElement("span");
        label.className = "bar-label";
        label.textContent = r.label;
        label.title = r.label;
        const track = document.createElement("span");
        track.className = "bar-track";
        const fill = document.createElement("span");
        fill.className = "bar-fill";
        fill.style.width = `${Math.max(0.5, (100 * (+r.value || 0)) / top)}%`;
        track.append(fill);
        const value = document.createElement("span");
        value.className = "bar-value";
        value.textContent = fmt(+r.value || 0);
        li.append(label, track, value);
        list.append(li);
    }
    if (!rows.length) {
        const li = document.createElement("li");
        li.className = "muted";
        li.textContent = "No data.";
        list.append(li);
    }
    return list;
}

function dataTable(caption, head, rows) {
    const t = document.createElement("table");
    t.className = "visually-hidden";
    const c = document.createElement("caption");
    c.textContent = caption;
    t.append(c);
    const tr = document.createElement("tr");
    for (const hcell of head) { const th = document.createElement("th"); th.textContent = hcell; tr.append(th); }
    t.append(tr);
    for (const r of rows) {
        const row = document.createElement("tr");
        for (const v of r) { const td = document.createElement("td"); td.textContent = String(v); row.append(td); }
        t.append(row);
    }
    return t;
}
