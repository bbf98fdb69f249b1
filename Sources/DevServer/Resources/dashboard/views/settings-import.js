// Settings → Import collections: paste or upload an export, review what would change (the server's schema diff,
// same as `sptfy-dev schema diff`), then PUT /api/collections/import.
import { collections, send } from "../api.js";
import { h, mount, pageHeader, toast } from "../ui.js";

const KIND_LABEL = { "+": "added", "-": "removed", "~": "changed" };

/**
 * The collections list from pasted text: an array (PocketBase's export) or `{collections: [...]}`. Throws an Error
 * with a readable message for anything else, before any request is made.
 */
export function parseImport(text) {
    if (!text.trim()) throw new Error("Paste the collections JSON or choose a file first.");
    let data;
    try { data = JSON.parse(text); } catch (e) { throw new Error("Invalid JSON: " + e.message); }
    const list = Array.isArray(data) ? data : data?.collections;
    if (!Array.isArray(list)) throw new Error("Expected a JSON array of collections (as exported).");
    if (!list.length) throw new Error("The JSON has no collections.");
    list.forEach((c, i) => {
        if (!c || typeof c !== "object" || Array.isArray(c)) throw new Error(`Item ${i} is not a collection object.`);
        if (typeof c.name !== "string" || !c.name) throw new Error(`Item ${i} has no "name".`);
    });
    return list;
}

export async function render({ root }) {
    const textarea = h("textarea", {
        id: "import-json", class: "code import-json", rows: 14, spellcheck: "false", "data-testid": "import-json",
        placeholder: '[{"name": "posts", "type": "base", "fields": [...]}, ...]',
    });
    const fileInput = h("input", { type: "file", id: "import-file", accept: ".json,application/json", "data-testid": "import-file" });
    const error = h("div", { class: "alert alert-error hidden", role: "alert", "data-testid": "import-error" });
    const reviewBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "import-review" }, "Review");
    const review = h("div", { class: "import-review", "aria-live": "polite" });
    let parsed = null;

    const showError = (text) => { error.textContent = text || ""; error.classList.toggle("hidden", !text); };
    // Any edit invalidates an earlier review: the confirm button must match what is in the box.
    const stale = () => { parsed = null; mount(review); showError(""); };
    textarea.addEventListener("input", stale);
    fileInput.addEventListener("change", async () => {
        const file = fileInput.files?.[0];
        if (!file) return;
        textarea.value = await file.text();
        stale();
    });

    const form = h("form", { class: "card import-form", novalidate: true },
        h("div", { class: "form-field" },
            h("label", { for: "import-file" }, "Load from a file"), fileInput,
            h("p", { class: "help" }, "A pb_schema.json exported by PocketBase or by this dashboard.")),
        h("div", { class: "form-field" }, h("label", { for: "import-json" }, "Or paste the collections JSON"), textarea),
        error,
        h("div", { class: "settings-actions" }, reviewBtn));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        stale();
        let list;
        try { list = parseImport(textarea.value); } catch (err) { showError(err.message); textarea.focus(); return; }
        reviewBtn.disabled = true;
        try {
            let changes = null, diffError = null;
            try {
                changes = (await send("/api/sptfy-dev/schema-diff", { method: "POST", body: { collections: list } })).changes || [];
            } catch (err) {
                if (err.status === 401 || err.status === 403) throw err;
                diffError = err;
            }
            // System collections and fields survive deleteMissing: the review says so.
            const systemNames = systemParts(await collections.all(true).catch(() => []));
            parsed = list;
            mount(review, reviewPanel(list, changes, diffError, systemNames, () => parsed, (done) => {
                if (done) { textarea.value = ""; fileInput.value = ""; stale(); }
            }, showError));
            review.querySelector("h2")?.focus();
        } catch (err) {
            showError(err.message);
        } finally {
            reviewBtn.disabled = false;
        }
    });

    mount(root,
        pageHeader("Import collections", { crumbs: [{ label: "Settings" }] }),
        h("p", { class: "muted" }, "Collections are matched by id, then by name. Existing collections and fields not in the JSON are kept unless you choose to delete them."),
        form, review);
}

/** The diff grouped by collection, the delete-missing choice and the confirm button. */
function reviewPanel(list, changes, diffError, systemNames, current, finished, showError) {
    const deleteBox = h("input", { type: "checkbox", id: "import-delete-missing", "data-testid": "import-delete-missing" });
    const confirmBtn = h("button", { type: "button", class: "btn btn-primary", "data-testid": "import-confirm" }, "Confirm and import");
    const diff = diffError ? null : diffView(changes || [], systemNames);
    const panel = h("section", { class: "card import-review-card", "aria-labelledby": "import-review-title" },
        h("h2", { id: "import-review-title", tabindex: "-1" }, "Review changes"),
        diffError
            ? h("div", { class: "alert alert-error", role: "alert", "data-testid": "import-diff-error" },
                `The schema diff could not be computed (${diffError.status || "?"}: ${diffError.message}). You can still import without a review.`)
            : diff,
        h("div", { class: "form-field" },
            h("label", { class: "check", for: "import-delete-missing" }, deleteBox, h("span", {}, "Delete missing collections and fields")),
            h("p", { class: "help" }, "Entries marked − (in this server but not in the JSON) are deleted only when this is checked; otherwise they are kept. System collections are never deleted.")),
        h("div", { class: "settings-actions" }, confirmBtn));
    // The removed entries say what will actually happen to them.
    const syncRemoved = () => panel.classList.toggle("delete-missing", deleteBox.checked);
    deleteBox.addEventListener("change", syncRemoved);
    confirmBtn.addEventListener("click", async () => {
        const collectionsList = current();
        if (!collectionsList) return;
        confirmBtn.disabled = true;
        showError("");
        try {
            await send("/api/collections/import", { method: "PUT", body: { collections: collectionsList, deleteMissing: deleteBox.checked } });
            collections.invalidate();
            toast(`Imported ${collectionsList.length} collection${collectionsList.length === 1 ? "" : "s"}.`, "ok");
            finished(true);
        } catch (err) {
            showError(importErrorText(err));
            confirmBtn.disabled = false;
        }
    });
    return panel;
}

/** PocketBase nests the import failure under `collections` ({code, message} with the raw error). */
function importErrorText(err) {
    const parts = [err.message];
    (function walk(obj, prefix) {
        for (const [k, v] of Object.entries(obj || {})) {
            if (v && typeof v.message === "string") parts.push((prefix ? prefix + k + ": " : "") + v.message);
            else if (v && typeof v === "object") walk(v, prefix + k + ".");
        }
    })(err.data, "");
    return parts.join("\n");
}

function diffView(changes, systemNames) {
    if (!changes.length) {
        return h("p", { class: "alert alert-ok", "data-testid": "import-diff" }, "No changes: the JSON matches the current schema. Importing changes nothing.");
    }
    const groups = new Map();
    for (const c of changes) {
        if (!groups.has(c.collection)) groups.set(c.collection, []);
        groups.get(c.collection).push(c);
    }
    const counts = { "+": 0, "-": 0, "~": 0 };
    changes.forEach((c) => { counts[c.kind] = (counts[c.kind] || 0) + 1; });
    return h("div", { class: "import-diff", "data-testid": "import-diff" },
        h("p", { class: "muted" }, `${changes.length} change${changes.length === 1 ? "" : "s"} in ${groups.size} collection${groups.size === 1 ? "" : "s"}: `,
            h("span", { class: "diff-add" }, `+${counts["+"]} added`), ", ",
            h("span", { class: "diff-change" }, `~${counts["~"]} changed`), ", ",
            h("span", { class: "diff-remove" }, `−${counts["-"]} removed`), "."),
        [...groups].map(([name, list]) => h("section", { class: "diff-group", dataset: { collection: name } },
            h("h3", {}, name, wholeCollectionBadge(list)),
            h("ul", { class: "diff-list" }, list.map((c) => diffItem(c, systemNames))))));
}

function wholeCollectionBadge(list) {
    const whole = list.find((c) => !c.path);
    if (!whole) return null;
    return h("span", { class: `badge ${whole.kind === "+" ? "badge-ok" : whole.kind === "-" ? "badge-danger" : ""}` },
        whole.kind === "+" ? "new collection" : whole.kind === "-" ? "not in the JSON" : "changed");
}

/** "name" of every system collection and "collection.field" of every system field (both survive deleteMissing). */
function systemParts(list) {
    const out = new Set();
    for (const c of list) {
        if (c.system) out.add(c.name);
        for (const f of c.fields || []) if (f.system) out.add(`${c.name}.${f.name}`);
    }
    return out;
}

/**
 * What `deleteMissing` does to a `-` entry: it deletes whole non-system collections and whole fields; any other
 * key missing from the JSON (e.g. `oauth2.providers`, which exports leave out) keeps its current value.
 */
function fate(c, systemNames) {
    if (c.kind !== "-") return null;
    const field = /^fields\.([^.]+)$/.exec(c.path)?.[1];
    const deletable = c.path === "" ? !systemNames.has(c.collection) : !!field && !systemNames.has(`${c.collection}.${field}`);
    return h("span", { class: "diff-fate", dataset: { fate: deletable ? "deletable" : "kept" } });
}

function diffItem(c, systemNames) {
    const cls = { "+": "diff-add", "-": "diff-remove", "~": "diff-change" }[c.kind] || "";
    // The server's text starts with the kind ("~ posts.fields…"); the marker column shows it already.
    const text = (c.text || `${c.kind} ${c.collection}${c.path ? "." + c.path : ""}`).replace(/^[-+~] /, "");
    return h("li", { class: `diff-item ${cls}`, dataset: { kind: c.kind, path: c.path || "" } },
        h("span", { class: "diff-kind", "aria-hidden": "true" }, c.kind === "-" ? "−" : c.kind),
        h("span", { class: "visually-hidden" }, KIND_LABEL[c.kind] || c.kind, ": "),
        h("code", { class: "diff-text" }, text),
        fate(c, systemNames));
}
