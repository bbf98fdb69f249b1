// Indexes: raw `CREATE [UNIQUE] INDEX` statements, as PocketBase stores them, plus the rewrites the admin UI does
// when the collection or a field is renamed (PocketBase recreates indexes from these strings).
import { h, mount, nextId } from "../ui.js";

const TABLE_RE = /(\bON\s+)(`[^`]*`|"[^"]*"|\[[^\]]*\]|[^\s(]+)/i;

/** The statement with its table replaced by `name`. */
export function withTable(sql, name) {
    return sql.replace(TABLE_RE, (_, on) => `${on}\`${name}\``);
}

function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

/**
 * Applies field renames (`[[old, new], …]`) to the column list and WHERE clause of each statement. Two passes
 * through placeholders so swapped names (a→b, b→a) don't collide.
 */
export function withRenamedColumns(indexes, renames) {
    if (!renames.length) return indexes;
    return indexes.map((sql) => {
        const m = sql.match(/^([\s\S]*?\bON\s+(?:`[^`]*`|"[^"]*"|\[[^\]]*\]|[^\s(]+)\s*\()([\s\S]*)$/i);
        if (!m) return sql;
        let tail = m[2];
        renames.forEach(([from], i) => {
            const re = new RegExp(`(^|[\\s(,\`"\\[])${escapeRe(from)}(?=$|[\\s),\`"\\]])`, "g");
            tail = tail.replace(re, `$1\u0000${i}\u0000`);
        });
        tail = tail.replace(/\u0000(\d+)\u0000/g, (_, i) => renames[Number(i)][1]);
        return m[1] + tail;
    });
}

export function indexesSection(ed) {
    const d = ed.draft;
    d.indexes ??= [];
    const list = h("ul", { class: "ce-indexes", "aria-label": "Indexes" });
    const error = h("div", { class: "form-field", dataset: { field: "indexes" } }, h("p", { class: "field-error", role: "alert" }));

    function refresh() {
        mount(list, d.indexes.length ? d.indexes.map((sql, i) => {
            const id = nextId("idx");
            return h("li", { class: "form-field ce-index", dataset: { field: `indexes.${i}` } },
                h("label", { for: id, class: "visually-hidden" }, `Index ${i + 1}`),
                h("div", { class: "ce-index-row" },
                    h("textarea", {
                        id, class: "code", rows: 2, value: sql, spellcheck: "false", "data-testid": "index-sql",
                        "aria-describedby": id + "-error",
                        oninput: (e) => { d.indexes[i] = e.target.value; ed.changed(); },
                    }),
                    h("button", {
                        type: "button", class: "btn btn-small", "aria-label": `Remove index ${i + 1}`, "data-testid": "index-remove",
                        onclick: () => { d.indexes.splice(i, 1); ed.changed(); refresh(); },
                    }, "✕")),
                h("p", { class: "field-error", id: id + "-error", role: "alert" }));
        }) : h("li", { class: "muted" }, "No indexes."));
    }

    function add() {
        const suffix = Math.random().toString(36).slice(2, 9);
        const firstColumn = ed.rows.find((r) => !r.removed && !r.field.system)?.field.name || "id";
        d.indexes.push(`CREATE INDEX \`idx_${d.name || "new"}_${suffix}\` ON \`${d.name}\` (\`${firstColumn}\`)`);
        ed.changed();
        refresh();
        const ta = list.lastElementChild?.querySelector("textarea");
        ta?.focus();
    }

    refresh();
    return {
        el: h("section", { class: "ce-section", "aria-label": "Indexes", "data-field-group": "indexes" },
            h("h2", {}, "Indexes"),
            h("p", { class: "muted" }, "SQLite index statements, e.g. ", h("code", {}, "CREATE UNIQUE INDEX `idx_slug` ON `posts` (`slug`)"), ". Add ", h("code", {}, "UNIQUE"), " to make values unique."),
            error, list,
            h("button", { type: "button", class: "btn btn-small", "data-testid": "add-index", onclick: add }, "+ Add index")),
        refresh,
    };
}
