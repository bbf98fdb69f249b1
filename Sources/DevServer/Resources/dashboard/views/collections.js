// The data browser (PocketBase's "Collections" page): the collection list with record counts on the left, the
// selected collection's records on the right (filter, sort, paging, columns, bulk delete) and the record editor.
// Filter, sort and page live in the hash query, so every change is a navigation (back/forward and links work).
import { collections, fileURL, recordsPath, send } from "../api.js";
import { confirmDialog, formatDate, h, jsonPreview, loadCSS, mount, pageHeader, showError, toast } from "../ui.js";
import { openRecordEditor } from "./record-editor.js";
import { asArray, getFileToken, isImage } from "./record-inputs.js";

const PER_PAGE = 30;
const COUNTS_TTL = 30_000;

// Kept across renders (every query change re-renders the page) so the list doesn't flash empty counts.
const counts = new Map();
let countsFetchedAt = 0;
/** A selector to focus after the next render: keyboard users keep their place after sort/page/filter. */
let pendingFocus = null;

export async function render(ctx) {
    loadCSS("./views/collections.css");
    let all = await collections.all();
    const name = ctx.params.collection;
    let collection = name ? find(all, name) : null;
    if (name && !collection) {
        // Maybe created elsewhere since the list was cached.
        all = await collections.all(true);
        collection = find(all, name);
    }
    if (!name) {
        // PocketBase's UI addresses a collection as `#/collections?collection=<id or name>` (and a record with
        // `&recordId=`): those links open the same place here.
        const linked = ctx.query.collection && find(all, ctx.query.collection);
        if (linked) {
            return ctx.navigate(`/collections/${encodeURIComponent(linked.name)}`, ctx.query.recordId ? { record: ctx.query.recordId } : {}, { replace: true });
        }
        const first = all.find((c) => !isSystem(c)) || all[0];
        if (first) return ctx.navigate(`/collections/${encodeURIComponent(first.name)}`, {}, { replace: true });
    }

    const subnav = collectionNav(all, collection);
    const pane = h("section", { class: "records-pane" });
    mount(ctx.root, h("div", { class: "split collections-page" }, subnav.node, pane));
    subnav.refresh(Date.now() - countsFetchedAt > COUNTS_TTL);
    subnav.revealCurrent();

    if (!collection) {
        mount(pane, pageHeader(name ? "Collection not found" : "No collections"),
            h("div", { class: "card empty" }, h("p", {}, name ? `There is no collection "${name}".` : "There are no collections yet."),
                h("a", { class: "btn btn-primary", href: "#/schema/new" }, "+ New collection")));
        return;
    }
    const view = recordsView(collection, ctx, pane, subnav);
    await view.load();
    if (ctx.query.record) view.openById(ctx.query.record);
    if (pendingFocus) {
        ctx.root.querySelector(pendingFocus)?.focus();
        pendingFocus = null;
    }
    return view.cleanup;
}

const find = (all, nameOrId) => all.find((c) => c.name === nameOrId || c.id === nameOrId) || null;
const isSystem = (c) => c.name.startsWith("_");

// ---------------------------------------------------------------- the collection list

async function fetchCount(name) {
    const res = await send(recordsPath(name), { query: { page: 1, perPage: 1, fields: "id" } });
    return res.totalItems;
}

function collectionNav(all, current) {
    const countEls = new Map();
    const item = (c) => {
        const count = h("span", { class: "count", "data-testid": "collection-count" }, counts.has(c.name) ? String(counts.get(c.name)) : "…");
        countEls.set(c.name, count);
        return h("li", {}, h("a", {
            href: `#/collections/${encodeURIComponent(c.name)}`, "aria-current": c === current ? "page" : false,
            dataset: { collection: c.name },
        }, h("span", { class: "coll-name" }, c.name, c.type !== "base" ? h("span", { class: "coll-type" }, c.type) : null), count));
    };
    const user = all.filter((c) => !isSystem(c));
    const system = all.filter(isSystem);
    const node = h("nav", { class: "subnav collections-nav", "aria-label": "Collections" },
        h("h2", {}, "Collections"),
        h("ul", { "data-testid": "collections-list" }, user.map(item)),
        user.length ? null : h("p", { class: "muted small" }, "No collections yet."),
        h("a", { href: "#/schema/new", class: "new-collection", "data-testid": "new-collection" }, "+ New collection"),
        system.length ? h("h2", {}, "System") : null,
        h("ul", { "data-testid": "system-collections-list" }, system.map(item)));

    const show = (name) => { const el = countEls.get(name); if (el) el.textContent = counts.has(name) ? String(counts.get(name)) : "–"; };
    return {
        node,
        /** Loads every count in parallel (all = refetch known ones too); failures show "–". */
        refresh(everything) {
            const names = all.map((c) => c.name).filter((n) => everything || !counts.has(n));
            if (everything) countsFetchedAt = Date.now();
            for (const n of names) {
                fetchCount(n).then((v) => counts.set(n, v), () => counts.delete(n)).finally(() => show(n));
            }
        },
        setCount(name, value) { counts.set(name, value); show(name); },
        /** On narrow screens the list is a horizontal strip: scroll the open collection into it. */
        revealCurrent() {
            const link = node.querySelector('a[aria-current="page"]');
            const strip = link?.closest("ul");
            if (strip && strip.scrollWidth > strip.clientWidth) strip.scrollLeft = link.offsetLeft - strip.offsetLeft - 8;
        },
        async refreshOne(name) {
            try { counts.set(name, await fetchCount(name)); } catch { counts.delete(name); }
            show(name);
        },
    };
}

// ---------------------------------------------------------------- records

function columnsKey(c) { return `sptfy_dev_columns_${c.id}`; }
function loadHiddenColumns(c) {
    try { return new Set(JSON.parse(localStorage.getItem(columnsKey(c)) || "[]")); } catch { return new Set(); }
}

/** Fields shown as table columns: everything a superuser gets back (password/tokenKey are never exported). */
function tableFields(c) {
    return c.fields.filter((f) => f.type !== "password" && !(f.name === "tokenKey" && f.system));
}

function recordsView(collection, ctx, pane, subnav) {
    const readOnly = collection.type === "view";
    const query = ctx.query;
    const page = Math.max(1, parseInt(query.page, 10) || 1);
    const defaultSort = readOnly ? "" : "-@rowid";
    const sort = query.sort ?? defaultSort;
    const filter = query.filter || "";
    const path = `/collections/${encodeURIComponent(collection.name)}`;
    const hiddenCols = loadHiddenColumns(collection);
    const selected = new Set();
    let items = [];
    let fileToken;

    const go = (changes, focus) => {
        pendingFocus = focus || null;
        const next = { filter, sort: sort === defaultSort ? "" : sort, page: page > 1 ? page : "", ...changes };
        if (next.sort === defaultSort) next.sort = "";
        if (next.page === 1) next.page = "";
        ctx.navigate(path, next);
    };

    // ---- header and toolbar
    const actions = [
        h("a", { class: "btn", href: `#/schema/${encodeURIComponent(collection.name)}`, "data-testid": "edit-schema" }, "Edit schema"),
        readOnly ? null : h("button", { type: "button", class: "btn btn-primary", "data-testid": "new-record", onclick: () => openEditor(null) }, "+ New record"),
    ];
    const header = pageHeader(collection.name, {
        crumbs: [{ label: "Collections", href: "#/collections" }, { label: `${collection.type} collection` }], actions,
    });

    const filterInput = h("input", {
        type: "search", name: "filter", value: filter, "data-testid": "records-filter", "aria-label": "Filter records",
        placeholder: `Filter, e.g. id = "abc" || created > "2024-01-01"`, class: "code", autocomplete: "off", spellcheck: "false",
    });
    const filterForm = h("form", { class: "filter-form grow", role: "search", "data-testid": "records-filter-form",
        onsubmit: (e) => { e.preventDefault(); go({ filter: filterInput.value.trim(), page: "" }, '[data-testid="records-filter"]'); } },
        filterInput,
        h("button", { type: "submit", class: "btn" }, "Apply"),
        filter ? h("button", { type: "button", class: "btn", "data-testid": "filter-clear",
            onclick: () => go({ filter: "", page: "" }, '[data-testid="records-filter"]') }, "Clear") : null);

    const bulkButton = h("button", { type: "button", class: "btn btn-danger", "data-testid": "bulk-delete", hidden: true, onclick: bulkDelete });
    const columns = columnChooser(collection, hiddenCols, () => drawTable());
    const toolbar = h("div", { class: "toolbar records-toolbar" }, filterForm, columns.node, readOnly ? null : bulkButton);

    const alertSlot = h("div", { class: "alert-slot" });
    const tableWrap = h("div", { class: "table-wrap records-table-wrap" }, h("p", { class: "empty" }, "Loading…"));
    const pager = h("nav", { class: "pager", "aria-label": "Pages", "data-testid": "pager" });
    mount(pane, header, toolbar, alertSlot, tableWrap, pager);

    // ---- loading
    async function load() {
        try {
            const res = await send(recordsPath(collection.name), { query: { page, perPage: PER_PAGE, sort, filter } });
            items = res.items;
            alertSlot.replaceChildren();
            if (collection.fields.some((f) => f.type === "file" && f.protected) && !fileToken) fileToken = await getFileToken().catch(() => "");
            drawTable();
            drawPager(res);
            if (!filter) subnav.setCount(collection.name, res.totalItems);
        } catch (err) {
            items = [];
            drawTable();
            tableWrap.hidden = true;
            pager.replaceChildren();
            // PocketBase answers a bad filter or sort with a generic 400.
            if (err.status === 400 && (filter || sort !== defaultSort)) {
                const what = filter ? "Invalid filter" : "Invalid sort";
                alertSlot.replaceChildren(h("div", { class: "alert alert-error", role: "alert", "data-testid": "filter-error" },
                    h("strong", {}, what + ": "), err.message,
                    Object.keys(err.data || {}).length ? h("code", { class: "alert-detail" }, JSON.stringify(err.data)) : null));
            } else {
                alertSlot.replaceChildren(h("div", { class: "alert alert-error", role: "alert", "data-testid": "records-error" }, "Loading records failed: " + err.message));
            }
        }
    }

    // ---- the table
    function drawTable() {
        selected.clear();
        updateBulk();
        tableWrap.hidden = false;
        const fields = tableFields(collection).filter((f) => f.name === "id" || !hiddenCols.has(f.name));
        if (!items.length) {
            tableWrap.replaceChildren(h("div", { class: "empty", "data-testid": "records-empty" },
                h("p", {}, filter ? "No records match the filter." : "No records yet."),
                !filter && !readOnly ? h("button", { type: "button", class: "btn btn-primary", onclick: () => openEditor(null) }, "+ New record") : null));
            return;
        }
        const selectAll = h("input", { type: "checkbox", "aria-label": "Select all records on this page", "data-testid": "select-all" });
        const rowBoxes = [];
        const syncAll = () => {
            selectAll.checked = selected.size === items.length;
            selectAll.indeterminate = selected.size > 0 && selected.size < items.length;
            updateBulk();
        };
        selectAll.addEventListener("change", () => {
            for (const [box, rec, tr] of rowBoxes) {
                box.checked = selectAll.checked;
                tr.classList.toggle("selected", box.checked);
                if (box.checked) selected.add(rec.id); else selected.delete(rec.id);
            }
            syncAll();
        });

        const head = h("tr", {},
            readOnly ? null : h("th", { class: "col-check" }, selectAll),
            fields.map((f) => headerCell(f)));
        const body = items.map((rec) => {
            const box = h("input", { type: "checkbox", "aria-label": `Select record ${rec.id}`, "data-testid": "select-record", value: rec.id });
            const tr = h("tr", { class: "record-row", dataset: { id: rec.id } },
                readOnly ? null : h("td", { class: "col-check" }, box),
                fields.map((f) => h("td", { class: cellClass(f) }, cell(f, rec))));
            box.addEventListener("change", () => {
                if (box.checked) selected.add(rec.id); else selected.delete(rec.id);
                tr.classList.toggle("selected", box.checked);
                syncAll();
            });
            // A click anywhere on the row opens it (controls inside the row keep their own behaviour).
            tr.addEventListener("click", (e) => {
                if (e.target.closest("a, button, input, label, .col-check")) return;
                openEditor(rec);
            });
            rowBoxes.push([box, rec, tr]);
            return tr;
        });
        tableWrap.replaceChildren(h("table", { class: "data records-table", "data-testid": "records-table" },
            h("caption", { class: "visually-hidden" }, `Records of ${collection.name}`),
            h("thead", {}, head), h("tbody", {}, body)));
    }

    function headerCell(f) {
        const dir = sort === f.name ? "ascending" : sort === "-" + f.name ? "descending" : null;
        const next = dir === "ascending" ? "-" + f.name : f.name;
        return h("th", { "aria-sort": dir || false, class: cellClass(f), scope: "col" },
            h("button", { type: "button", class: "sort-btn", "data-sort": f.name, title: `Sort by ${f.name}`,
                onclick: () => go({ sort: next, page: "" }, `[data-sort="${CSS.escape(f.name)}"]`) },
                f.name,
                f.hidden ? h("span", { class: "badge hidden-badge", title: "Hidden field (only superusers see it)" }, "hidden") : null,
                h("span", { class: "sort-arrow", "aria-hidden": "true" }, dir === "ascending" ? "▲" : dir === "descending" ? "▼" : "")));
    }

    function cell(f, rec) {
        const v = rec[f.name];
        if (f.name === "id") {
            return h("button", { type: "button", class: "open-record mono", "data-testid": "open-record", "aria-label": `Open record ${rec.id}`,
                onclick: () => openEditor(rec) }, rec.id);
        }
        switch (f.type) {
            case "bool": return v ? h("span", { class: "bool-yes", title: "true" }, "✓") : h("span", { class: "bool-no muted", title: "false" }, "–");
            case "date": case "autodate": return v ? h("span", { title: v }, formatDate(v)) : empty();
            case "number": return String(v ?? 0);
            case "select": return asArray(v).length ? asArray(v).map((x) => h("span", { class: "badge" }, x)) : empty();
            case "relation": return asArray(v).length ? asArray(v).map((x) => h("span", { class: "badge badge-rel mono", title: x }, x)) : empty();
            case "file": return asArray(v).length ? asArray(v).map((name) => fileCell(f, rec, name)) : empty();
            case "json": return v === null || v === undefined ? empty() : h("span", { class: "mono", title: jsonPreview(v, 1000) }, jsonPreview(v, 60));
            case "editor": return v ? h("span", { title: plain(v).slice(0, 500) }, plain(v).slice(0, 120)) : empty();
            default: return v === "" || v === undefined || v === null ? empty() : h("span", { title: String(v).slice(0, 500) }, String(v).slice(0, 200));
        }
    }

    function fileCell(f, rec, name) {
        const token = f.protected ? fileToken : undefined;
        if (isImage(name)) {
            return h("a", { href: fileURL(rec, name, { token }), target: "_blank", rel: "noopener", class: "thumb-link", title: name },
                h("img", { src: fileURL(rec, name, { thumb: "100x100", token }), alt: name, class: "thumb", loading: "lazy", width: 28, height: 28 }));
        }
        return h("a", { href: fileURL(rec, name, { token }), target: "_blank", rel: "noopener", class: "badge file-badge", title: name }, name);
    }

    function drawPager(res) {
        const totalPages = Math.max(1, res.totalPages || 1);
        pager.replaceChildren(
            h("span", { class: "muted", "data-testid": "records-total" }, `${res.totalItems} record${res.totalItems === 1 ? "" : "s"}`),
            h("button", { type: "button", class: "btn btn-small", "data-testid": "page-prev", disabled: page <= 1,
                onclick: () => go({ page: page - 1 }, '[data-testid="page-prev"]') }, "‹ Prev"),
            h("span", { "data-testid": "page-info" }, `page ${Math.min(page, totalPages)} of ${totalPages}`),
            h("button", { type: "button", class: "btn btn-small", "data-testid": "page-next", disabled: page >= totalPages,
                onclick: () => go({ page: page + 1 }, '[data-testid="page-next"]') }, "Next ›"));
    }

    // ---- editing
    async function openEditor(rec) {
        const result = await openRecordEditor(collection, rec);
        if (result === "saved" || result === "deleted") await reload();
        // The table was redrawn: put keyboard focus back on the row (or on "+ New record").
        const row = rec && tableWrap.querySelector(`tr[data-id="${CSS.escape(rec.id)}"] [data-testid="open-record"]`);
        (row || pane.querySelector('[data-testid="new-record"]'))?.focus();
    }

    async function reload() {
        await load();
        if (filter) subnav.refreshOne(collection.name);
    }

    function updateBulk() {
        bulkButton.hidden = selected.size === 0;
        bulkButton.textContent = `Delete selected (${selected.size})`;
    }

    async function bulkDelete() {
        const ids = [...selected];
        if (!ids.length) return;
        if (!await confirmDialog(`Delete ${ids.length} record${ids.length === 1 ? "" : "s"} from ${collection.name}?\nThis cannot be undone.`, { confirmLabel: "Delete", danger: true })) return;
        bulkButton.disabled = true;
        const results = await Promise.allSettled(ids.map((id) => send(recordsPath(collection.name, id), { method: "DELETE" })));
        bulkButton.disabled = false;
        const failed = results.filter((r) => r.status === "rejected");
        if (failed.length) showError(new Error(`${failed.length} of ${ids.length} deletes failed: ${failed[0].reason?.message}`));
        if (failed.length < ids.length) toast(`Deleted ${ids.length - failed.length} record${ids.length - failed.length === 1 ? "" : "s"}.`, "ok");
        await reload();
    }

    /** `?record=<id>` (a link to one record): opens its editor once; the hash drops the id so Back/reload don't repeat it. */
    async function openById(id) {
        const rest = new URLSearchParams(Object.entries(query).filter(([k, v]) => k !== "record" && v));
        history.replaceState(null, "", "#" + path + (rest.size ? "?" + rest : ""));
        try {
            await openEditor(await send(recordsPath(collection.name, id)));
        } catch (err) {
            showError(err);
        }
    }

    return { load, openById, cleanup: () => columns.close() };
}

function cellClass(f) {
    return ["col-" + f.type, f.type === "number" ? "num" : ""].filter(Boolean).join(" ");
}

function empty() { return h("span", { class: "muted" }, "–"); }

/** An editor field's HTML as plain text (parsed inertly: DOMParser runs no scripts and loads nothing). */
function plain(html) {
    return new DOMParser().parseFromString(String(html), "text/html").body.textContent || "";
}

// ---------------------------------------------------------------- column chooser

/** A button + popover with one checkbox per column; choices are stored per collection in localStorage. */
function columnChooser(collection, hiddenCols, onChange) {
    const fields = tableFields(collection);
    const menuId = `columns-menu-${collection.id}`;
    const button = h("button", { type: "button", class: "btn", "data-testid": "columns-button", "aria-expanded": "false", "aria-controls": menuId,
        "aria-haspopup": "true" }, "Columns");
    const boxes = fields.map((f) => h("label", { class: "check" },
        h("input", { type: "checkbox", value: f.name, checked: f.name === "id" || !hiddenCols.has(f.name), disabled: f.name === "id",
            onchange: (e) => {
                if (e.target.checked) hiddenCols.delete(f.name); else hiddenCols.add(f.name);
                localStorage.setItem(`sptfy_dev_columns_${collection.id}`, JSON.stringify([...hiddenCols]));
                onChange();
            } }),
        h("span", {}, f.name), f.hidden ? h("span", { class: "badge" }, "hidden") : null));
    const menu = h("div", { class: "columns-menu", id: menuId, role: "group", "aria-label": "Visible columns", "data-testid": "columns-menu", hidden: true },
        h("p", { class: "columns-title" }, "Visible columns"), boxes,
        h("button", { type: "button", class: "btn btn-small", onclick: () => close(true) }, "Done"));
    const node = h("div", { class: "columns-chooser" }, button, menu);

    const onDoc = (e) => { if (!node.contains(e.target)) close(); };
    const onKey = (e) => { if (e.key === "Escape") { e.stopPropagation(); close(true); } };
    function open() {
        menu.hidden = false;
        button.setAttribute("aria-expanded", "true");
        document.addEventListener("click", onDoc, true);
        menu.addEventListener("keydown", onKey);
        menu.querySelector("input:not([disabled])")?.focus();
    }
    function close(refocus = false) {
        if (menu.hidden) return;
        menu.hidden = true;
        button.setAttribute("aria-expanded", "false");
        document.removeEventListener("click", onDoc, true);
        menu.removeEventListener("keydown", onKey);
        if (refocus) button.focus();
    }
    button.addEventListener("click", () => (menu.hidden ? open() : close()));
    return { node, close };
}
