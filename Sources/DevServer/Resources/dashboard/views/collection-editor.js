// The schema editor (`#/schema/new`, `#/schema/{nameOrId}`): create, edit, truncate and delete collections through
// PocketBase's collections API, and show which migration file automigrate wrote for a save.
import { h, mount, field, toast, showError, setFieldErrors, modal, confirmDialog, pageHeader, loadCSS } from "../ui.js";
import { send, collections } from "../api.js";
import { fieldsSection } from "./schema-fields.js";
import { rulesSection } from "./schema-rules.js";
import { authSection } from "./schema-auth.js";
import { viewSection } from "./schema-view.js";
import { indexesSection, withTable, withRenamedColumns } from "./schema-indexes.js";

const TYPES = [["base", "Base"], ["auth", "Auth"], ["view", "View"]];
const NAME_RE = /^[a-zA-Z0-9_]+$/;

/** What the last save did, shown once by the render that follows it (the save navigates to the saved name). */
let flash = null;
/** The tab last open per collection, so a save keeps you where you were. */
const lastTab = new Map();

export async function render(ctx) {
    loadCSS("./views/collection-editor.css");
    const isNew = ctx.path === "/schema/new";
    mount(ctx.root, h("p", { class: "muted" }, "Loading…"));

    let all, scaffolds = null, loaded = null;
    try {
        [all, scaffolds, loaded] = await Promise.all([
            collections.all(true),
            isNew ? send("/api/collections/meta/scaffolds") : null,
            isNew ? null : send(`/api/collections/${encodeURIComponent(ctx.params.collection)}`),
        ]);
    } catch (err) {
        if (err.status !== 404) throw err;
        mount(ctx.root, pageHeader("Collection not found", { crumbs: [{ href: "#/collections", label: "Collections" }] }),
            h("div", { class: "empty" }, h("p", {}, `There is no collection "${ctx.params.collection}".`),
                h("a", { class: "btn", href: "#/schema/new" }, "New collection")));
        return;
    }

    const shown = flash && loaded && flash.name === loaded.name ? flash : null;
    flash = null;
    const type = TYPES.some(([t]) => t === ctx.query.type) ? ctx.query.type : "base";
    const draft = isNew ? newDraft(type, scaffolds) : structuredClone(loaded);
    const editor = new Editor(ctx, { draft, original: loaded, scaffolds, all, flash: shown });
    // No beforeunload guard: it would block scripted navigation (browser tests) and doesn't cover hash navigation;
    // the footer's "Unsaved changes" badge is the reminder.
    editor.build();
}

/** A new collection from the server's scaffold; base/auth get `created`/`updated` like PocketBase's admin UI adds. */
function newDraft(type, scaffolds, prev = null) {
    const d = structuredClone(scaffolds[type]);
    d.name = prev?.name ?? "";
    if (type !== "view") {
        const names = new Set(d.fields.map((f) => f.name));
        // Custom fields survive a base ↔ auth switch (password fields only exist in auth collections).
        for (const f of prev?.fields || []) {
            if (!f.system && !names.has(f.name) && !(type !== "auth" && f.type === "password")) { d.fields.push(f); names.add(f.name); }
        }
        for (const [name, onUpdate] of [["created", false], ["updated", true]]) {
            if (!names.has(name)) d.fields.push({ name, type: "autodate", onCreate: true, onUpdate, hidden: false, presentable: false, system: false });
        }
        d.indexes = (d.indexes || []).map((s) => withTable(s, d.name));
    } else if (prev?.type === "view") {
        d.viewQuery = prev.viewQuery;
    }
    if (prev) for (const k of ["listRule", "viewRule"]) d[k] = prev[k];
    return d;
}

class Editor {
    constructor(ctx, { draft, original, scaffolds, all, flash }) {
        this.ctx = ctx;
        this.original = original;
        this.scaffolds = scaffolds;
        this.all = all;
        this.flash = flash;
        this.isNew = !original;
        this.setDraft(draft);
    }

    setDraft(draft) {
        const self = this;
        this.ed = {
            draft, original: this.original, isNew: this.isNew, dirty: this.ed?.dirty ?? false, providersDirty: false,
            collections: this.all,
            rows: (draft.fields || []).map((f) => ({ field: f, removed: false, open: false })),
            changed() { this.dirty = true; self.dirtyBadge?.classList.remove("hidden"); },
        };
    }

    get d() { return this.ed.draft; }

    build() {
        const { d, ed, ctx } = this;
        const title = this.isNew ? "New collection" : d.name;
        const actions = [];
        if (!this.isNew) {
            actions.push(h("a", { class: "btn", href: `#/collections/${encodeURIComponent(d.name)}`, "data-testid": "open-records" }, "Open records"));
            if (!d.system && d.type !== "view") actions.push(h("button", { type: "button", class: "btn", "data-testid": "collection-truncate", onclick: () => this.truncate() }, "Truncate"));
            if (!d.system) actions.push(h("button", { type: "button", class: "btn btn-danger", "data-testid": "collection-delete", onclick: () => this.remove() }, "Delete"));
        }

        this.form = h("form", { class: "ce-form", novalidate: true, "data-testid": "collection-form", onsubmit: (e) => { e.preventDefault(); this.save(); } });
        this.formAlert = h("div", { class: "alert alert-error hidden", role: "alert", "data-testid": "collection-error" });
        this.dirtyBadge = h("span", { class: "badge badge-warn" + (ed.dirty ? "" : " hidden") }, "Unsaved changes");
        this.saveBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "collection-save" }, this.isNew ? "Create collection" : "Save changes");

        const sections = this.sections();
        const tabs = this.tabs(sections);
        mount(this.form,
            this.headerCard(),
            tabs,
            this.formAlert,
            h("div", { class: "ce-footer" },
                this.dirtyBadge,
                h("a", { class: "btn", href: this.isNew ? "#/collections" : `#/collections/${encodeURIComponent(d.name)}` }, "Cancel"),
                this.saveBtn));
        mount(ctx.root,
            pageHeader(title, {
                crumbs: [{ href: "#/collections", label: "Collections" }, { label: this.isNew ? "New" : "Schema" }],
                actions,
            }),
            this.flash ? flashAlert(this.flash) : null,
            this.form);
        document.title = `${title} · sptfy-dev`;
    }

    /** Name, type and the system note. */
    headerCard() {
        const { d, ed } = this;
        const nameInput = h("input", {
            type: "text", class: "code", value: d.name, readonly: !!d.system, required: true, autocomplete: "off", spellcheck: "false",
            placeholder: 'e.g. "posts"', "data-testid": "collection-name", pattern: "[a-zA-Z0-9_]+",
            oninput: (e) => {
                d.name = e.target.value;
                // Index statements name their table: keep them pointing at this collection.
                d.indexes = (d.indexes || []).map((s) => withTable(s, d.name));
                this.indexes?.refresh();
                ed.changed();
                const bad = d.name && !NAME_RE.test(d.name);
                nameField.querySelector(".help").textContent = bad ? "Only letters, digits and _ are allowed." : "Letters, digits and _ (the SQLite table name).";
            },
        });
        const nameField = field("Name", nameInput, { name: "name", required: true, help: "Letters, digits and _ (the SQLite table name)." });
        let typeControl;
        if (this.isNew) {
            const select = h("select", {
                "data-testid": "collection-type",
                onchange: (e) => this.switchType(e.target.value),
            }, TYPES.map(([t, l]) => h("option", { value: t, selected: t === d.type }, l)));
            typeControl = field("Type", select, { name: "type", help: typeHelp(d.type) });
        } else {
            typeControl = h("div", { class: "form-field", dataset: { field: "type" } },
                h("span", { class: "ce-label" }, "Type"),
                h("div", {}, h("span", { class: "badge ce-type-badge", "data-testid": "collection-type-badge" }, d.type), " ",
                    h("span", { class: "muted" }, "The type can't change after creation.")),
                h("p", { class: "field-error", role: "alert" }));
        }
        return h("div", { class: "card ce-head" },
            h("div", { class: "ce-head-row" }, nameField, typeControl),
            d.system ? h("p", { class: "alert alert-info ce-system-note" }, "System collection: its name, type and system fields can't change and it can't be deleted; rules, options and your own fields can.") : null,
            !this.isNew ? h("p", { class: "muted ce-meta" }, "id ", h("code", {}, d.id), d.created ? ` · created ${d.created}` : "", d.updated ? ` · updated ${d.updated}` : "") : null);
    }

    sections() {
        const { ed, d } = this;
        const out = [];
        if (d.type === "view") {
            out.push(["query", "Query", viewSection(ed, () => this.form)]);
        } else {
            const fields = fieldsSection(ed);
            this.indexes = indexesSection(ed);
            out.push(["fields", "Fields", h("div", {}, fields.el, this.indexes.el)]);
        }
        const rules = rulesSection(ed);
        out.push(["rules", "API rules", rules.el, rules.refresh]);
        if (d.type === "auth") {
            const auth = authSection(ed);
            out.push(["options", "Options", auth.el, auth.refresh]);
        }
        return out;
    }

    /** An ARIA tab list over the sections; all panels stay in the form so errors can land in any of them. */
    tabs(sections) {
        const key = this.isNew ? "" : this.d.name;
        let active = lastTab.get(key) ?? sections[0][0];
        if (!sections.some(([id]) => id === active)) active = sections[0][0];
        const buttons = [], panels = [];
        const select = (id, focus = false) => {
            active = id;
            lastTab.set(key, id);
            sections.forEach(([sid, , , onShow], i) => {
                const on = sid === id;
                buttons[i].setAttribute("aria-selected", String(on));
                buttons[i].tabIndex = on ? 0 : -1;
                panels[i].hidden = !on;
                if (on) { onShow?.(); if (focus) buttons[i].focus(); }
            });
        };
        sections.forEach(([id, label, el], i) => {
            const tabId = `ce-tab-${id}`, panelId = `ce-panel-${id}`;
            buttons.push(h("button", {
                type: "button", role: "tab", id: tabId, "aria-controls": panelId, class: "ce-tab", "data-testid": `tab-${id}`,
                onclick: () => select(id),
                onkeydown: (e) => {
                    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
                    if (!step) return;
                    e.preventDefault();
                    select(sections[(i + step + sections.length) % sections.length][0], true);
                },
            }, label));
            panels.push(h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "ce-panel", dataset: { tab: id } }, el));
        });
        this.selectTab = select;
        select(active);
        return h("div", { class: "ce-tabs-wrap" }, h("div", { role: "tablist", class: "ce-tabs", "aria-label": "Collection settings" }, buttons), panels);
    }

    /** Create form only: another type starts from its scaffold, keeping the name, rules and custom fields. */
    switchType(type) {
        const prev = structuredClone({ ...this.d, fields: this.ed.rows.filter((r) => !r.removed).map((r) => r.field) });
        this.setDraft(newDraft(type, this.scaffolds, prev));
        this.ed.changed();
        // Reflect the type in the URL without a re-render (which would start over from the scaffold).
        history.replaceState(null, "", `#/schema/new?type=${type}`);
        this.build();
        this.form.querySelector('[data-testid="collection-type"]')?.focus();
    }

    /** The collection JSON to submit. */
    payload() {
        const { ed } = this;
        const c = structuredClone(ed.draft);
        c.fields = ed.rows.filter((r) => !r.removed).map((r) => {
            const f = structuredClone(r.field);
            if (!f.id) delete f.id;
            return f;
        });
        c.indexes = withRenamedColumns((c.indexes || []).map((s) => withTable(s, c.name)), this.renamedFields());
        delete c.created;
        delete c.updated;
        if (this.isNew) {
            delete c.id;
            // The scaffold's auth indexes are named after the scaffold's own id (the same for every new auth
            // collection): unchanged ones are left out so the server adds them named after the new collection's id.
            const scaffold = new Set((this.scaffolds?.[c.type]?.indexes || []).map((s) => withTable(s, c.name)));
            c.indexes = c.indexes.filter((s) => !scaffold.has(s));
        }
        if (c.type === "auth" && c.oauth2) {
            // Providers come back without their secrets: resending them untouched could blank a stored secret, so they
            // are only sent when edited, and a secret only when one was typed.
            if (!this.isNew && !ed.providersDirty) delete c.oauth2.providers;
            else c.oauth2.providers = (c.oauth2.providers || []).map((p) => {
                const o = { ...p };
                if (!o.clientSecret) delete o.clientSecret;
                return o;
            });
        }
        return c;
    }

    /** [[oldName, newName]] of saved fields renamed in this edit. */
    renamedFields() {
        if (this.isNew) return [];
        const before = new Map(this.original.fields.map((f) => [f.id, f.name]));
        return this.ed.rows.filter((r) => !r.removed && r.field.id && before.has(r.field.id) && before.get(r.field.id) !== r.field.name)
            .map((r) => [before.get(r.field.id), r.field.name]);
    }

    /** The destructive parts of an edit, for a confirmation before saving. */
    changeSummary() {
        if (this.isNew) return [];
        const out = [];
        if (this.original.name !== this.d.name) out.push(`Rename the collection "${this.original.name}" → "${this.d.name}" (API URLs and rules that mention it change).`);
        for (const [from, to] of this.renamedFields()) out.push(`Rename field "${from}" → "${to}".`);
        for (const r of this.ed.rows) if (r.removed) out.push(`Delete field "${r.field.name}" and all its data.`);
        if (this.d.type === "view" && this.original.viewQuery !== this.d.viewQuery) out.push("Replace the view query (its fields are derived again).");
        return out;
    }

    /** Errors PocketBase would report that are cheap to catch first (empty or repeated field names). */
    localErrors() {
        const fields = {};
        const seen = new Map();
        this.ed.rows.filter((r) => !r.removed).forEach((r, i) => {
            const name = r.field.name.trim().toLowerCase();
            if (!name) fields[i] = { name: { code: "validation_required", message: "Cannot be blank." } };
            else if (seen.has(name)) fields[i] = { name: { code: "validation_duplicated_field_name", message: "Duplicated or invalid field name." } };
            seen.set(name, i);
        });
        return Object.keys(fields).length ? { fields } : null;
    }

    async save() {
        const { ed } = this;
        const local = this.d.type === "view" ? null : this.localErrors();
        if (local) {
            this.showAlert("Fix the highlighted fields.");
            setFieldErrors(this.form, local);
            this.revealErrors();
            return;
        }
        const summary = this.changeSummary();
        if (summary.length && !(await confirmDialog("This save will:\n• " + summary.join("\n• "), { confirmLabel: "Confirm and save" }))) return;
        this.saveBtn.disabled = true;
        this.showAlert("");
        setFieldErrors(this.form, {});
        const body = this.payload();
        const before = await migrationState();
        let saved;
        try {
            saved = this.isNew
                ? await send("/api/collections", { method: "POST", body })
                : await send(`/api/collections/${encodeURIComponent(this.original.id)}`, { method: "PATCH", body });
        } catch (err) {
            this.saveBtn.disabled = false;
            if (err.status !== 400) { showError(err); return; }
            const unplaced = setFieldErrors(this.form, err.data);
            this.revealErrors();
            this.showAlert([err.message, ...unplaced].join("\n"));
            return;
        }
        const after = await migrationState();
        ed.dirty = false;
        collections.invalidate();
        flash = { name: saved.name, created: this.isNew, before, after };
        if (!this.isNew && this.original.name !== saved.name) lastTab.set(saved.name, lastTab.get(this.original.name));
        if (this.isNew) lastTab.delete("");
        toast(this.isNew ? `Collection "${saved.name}" created.` : `Collection "${saved.name}" saved.`, "ok");
        this.ctx.navigate(`/schema/${encodeURIComponent(saved.name)}`, {}, { replace: true });
    }

    /** After a 400: open the tab and the collapsed field rows holding errors, then focus the first one. */
    revealErrors() {
        const errors = [...this.form.querySelectorAll(".form-field.has-error")];
        if (!errors.length) return;
        for (const el of errors) {
            const body = el.closest(".ce-field-body");
            if (body?.hidden) body.closest(".ce-field")?.querySelector(".ce-toggle")?.click();
        }
        const panel = errors[0].closest("[role=tabpanel]");
        if (panel?.hidden) this.selectTab(panel.dataset.tab);
        errors[0].querySelector("input:not([type=hidden]),select,textarea")?.focus();
    }

    showAlert(text) {
        this.formAlert.textContent = text;
        this.formAlert.classList.toggle("hidden", !text);
    }

    async remove() {
        const name = this.original.name;
        const input = h("input", { type: "text", autocomplete: "off", spellcheck: "false", class: "code", "data-testid": "delete-confirm-name" });
        const confirmField = field(`Type "${name}" to confirm`, input);
        const body = h("div", {},
            h("p", {}, `Delete the collection "${name}" with all its records and files? This can't be undone.`),
            confirmField);
        const pending = modal({
            title: "Delete collection",
            body,
            actions: [
                { label: "Cancel", value: false },
                {
                    label: "Delete collection", kind: "danger", value: true,
                    onClick: () => {
                        if (input.value === name) return true;
                        input.setAttribute("aria-invalid", "true");
                        confirmField.classList.add("has-error");
                        confirmField.querySelector(".field-error").textContent = "The name doesn't match.";
                        input.focus();
                        return false;
                    },
                },
            ],
        });
        // The modal's buttons get stable hooks for browser tests.
        document.querySelector("dialog.modal:last-of-type .btn-danger")?.setAttribute("data-testid", "confirm-delete");
        input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); document.querySelector('[data-testid="confirm-delete"]')?.click(); } });
        input.focus();
        if (!(await pending)) return;
        const before = await migrationState();
        try {
            await send(`/api/collections/${encodeURIComponent(this.original.id)}`, { method: "DELETE" });
        } catch (err) { showError(err); return; }
        const written = newFiles(before, await migrationState());
        this.ed.dirty = false;
        collections.invalidate();
        toast(`Collection "${name}" deleted.` + (written.length ? ` Automigrate wrote ${written.join(", ")}.` : ""), "ok", 6000);
        this.ctx.navigate("/collections");
    }

    async truncate() {
        const name = this.original.name;
        if (!(await confirmDialog(`Delete every record of "${name}" (and their files)? Cascade-delete relations in other collections follow. The collection itself stays.`, { confirmLabel: "Truncate", danger: true }))) return;
        try {
            await send(`/api/collections/${encodeURIComponent(this.original.id)}/truncate`, { method: "DELETE" });
            toast(`All records of "${name}" were deleted.`, "ok");
        } catch (err) { showError(err); }
    }
}

function typeHelp(type) {
    return {
        base: "Records with your own fields.",
        auth: "Users who can sign in: adds email, password, verified… and auth options.",
        view: "Read-only records from a SELECT query.",
    }[type];
}

/** GET /api/sptfy-dev/migrations, or null when unavailable. */
async function migrationState() {
    try { return await send("/api/sptfy-dev/migrations"); } catch { return null; }
}

/** Migration files present after a change but not before it. */
function newFiles(before, after) {
    if (!before || !after) return [];
    const known = new Set(before.files || []);
    return (after.files || []).filter((f) => !known.has(f));
}

/** The post-save notice: which migration file(s) automigrate wrote. */
function flashAlert({ name, created, before, after }) {
    const open = h("a", { href: `#/collections/${encodeURIComponent(name)}`, "data-testid": "open-records-link" }, "Open records");
    const verb = created ? "created" : "saved";
    if (!after) {
        return h("div", { class: "alert alert-info", role: "status", "data-testid": "migration-file" },
            `Collection ${verb}. The migrations endpoint didn't answer, so the written migration is unknown. `, open);
    }
    if (after.automigrate === false) {
        return h("div", { class: "alert alert-info", role: "status", "data-testid": "migration-file" },
            `Collection ${verb}. Automigrate is off: no migration file was written. `, open);
    }
    const files = newFiles(before, after);
    if (!files.length) {
        return h("div", { class: "alert alert-info", role: "status", "data-testid": "migration-file" },
            `Collection ${verb}. No new migration file was written (nothing in the schema changed?). `, open);
    }
    return h("div", { class: "alert alert-ok ce-flash", role: "status", "data-testid": "migration-file" },
        h("div", {}, `Collection ${verb}. Automigrate wrote `,
            files.map((f, i) => [i ? ", " : "", h("code", { class: "ce-migration-name" }, f)]),
            after.dir ? [" in ", h("code", {}, after.dir)] : null, "."),
        h("div", {}, open));
}
