// The Fields tab: one collapsible row per field with every option of its PocketBase 0.23 type.
// Rows live in `ed.rows` ({field, removed, open}); the field objects are the JSON that gets submitted, so inputs
// write straight into them. Structural changes (add/remove/move) re-render the list so each row's `data-field`
// prefix matches the field's index in the submitted `fields` array (PocketBase reports errors as `fields.{i}.{opt}`).
import { h, mount, nextId, field } from "../ui.js";
import { checkField, textField, numberField, listField, selectField } from "./schema-ui.js";

/** Field types with a short description, in the order PocketBase's "New field" menu lists them. */
export const FIELD_TYPES = [
    ["text", "Plain text"], ["editor", "Rich editor (HTML)"], ["number", "Number"], ["bool", "Bool"],
    ["email", "Email"], ["url", "URL"], ["date", "Datetime"], ["autodate", "Autodate"], ["select", "Select"],
    ["file", "File"], ["relation", "Relation"], ["json", "JSON"], ["password", "Password"],
];

/** Each type's options with the values a new field starts with (the admin UI's defaults). */
const DEFAULTS = {
    text: { min: 0, max: 0, pattern: "", autogeneratePattern: "", primaryKey: false, required: false },
    editor: { maxSize: 0, convertURLs: false, required: false },
    number: { min: null, max: null, onlyInt: false, required: false },
    bool: { required: false },
    email: { exceptDomains: null, onlyDomains: null, required: false },
    url: { exceptDomains: null, onlyDomains: null, required: false },
    date: { min: "", max: "", required: false },
    autodate: { onCreate: true, onUpdate: false },
    select: { values: [], maxSelect: 1, required: false },
    file: { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [], protected: false, required: false },
    relation: { collectionId: "", cascadeDelete: false, minSelect: 0, maxSelect: 1, required: false },
    json: { maxSize: 0, required: false },
    password: { min: 0, max: 0, pattern: "", cost: 0, required: false },
};

/** A new field of `type` with a name not yet used (`field`, `field2`, …). New fields carry no id: the server assigns it. */
export function newField(type, takenNames, base = {}) {
    let name = base.name;
    if (!name) {
        const taken = new Set(takenNames);
        name = "field";
        for (let i = 2; taken.has(name); i++) name = "field" + i;
    }
    return {
        name, type, system: false,
        hidden: base.hidden ?? false, presentable: base.presentable ?? false,
        ...structuredClone(DEFAULTS[type] || {}),
        ...(base.required !== undefined && "required" in (DEFAULTS[type] || {}) ? { required: base.required } : {}),
    };
}

/** The Fields tab. Returns {el, refresh}. */
export function fieldsSection(ed) {
    const list = h("ol", { class: "ce-fields", "aria-label": "Fields" });
    // The error slot for `fields` itself (e.g. a missing primary key); it holds no input of its own.
    const listError = h("div", { class: "form-field", dataset: { field: "fields" } }, h("p", { class: "field-error", role: "alert" }));
    const chooser = h("div", { class: "ce-type-chooser", role: "group", "aria-label": "New field type", "data-testid": "new-field-type", hidden: true },
        FIELD_TYPES.filter(([t]) => t !== "password" || ed.draft.type === "auth").map(([type, label]) =>
            h("button", { type: "button", class: "btn btn-small ce-type-btn", dataset: { type }, onclick: () => add(type) },
                h("span", { class: "ce-type-tag", dataset: { type } }, type), h("span", {}, label))));
    const addBtn = h("button", {
        type: "button", class: "btn", "data-testid": "add-field", "aria-expanded": "false",
        onclick: () => toggleChooser(chooser.hidden),
    }, "+ Add field");

    function toggleChooser(open) {
        chooser.hidden = !open;
        addBtn.setAttribute("aria-expanded", String(open));
        if (open) {
            chooser.querySelector("button")?.focus();
            chooser.scrollIntoView({ block: "nearest" });
        }
    }
    chooser.addEventListener("keydown", (e) => { if (e.key === "Escape") { toggleChooser(false); addBtn.focus(); } });

    function add(type) {
        toggleChooser(false);
        const row = { field: newField(type, ed.rows.map((r) => r.field.name)), removed: false, open: true };
        ed.rows.push(row);
        ed.changed();
        refresh();
        // Focus the new name so the user can type it straight away.
        const input = list.lastElementChild?.querySelector('[data-testid="field-name"]');
        input?.focus();
        input?.select();
    }

    function refresh() {
        let submitted = 0;
        mount(list, ed.rows.map((row, i) => fieldRow(ed, row, i, row.removed ? -1 : submitted++, refresh)));
    }

    refresh();
    const el = h("section", { class: "ce-section", "aria-label": "Fields" },
        listError, list,
        h("div", { class: "ce-add" }, addBtn, chooser));
    return { el, refresh };
}

function fieldRow(ed, row, index, submittedIndex, refresh) {
    const f = row.field;
    // Removed rows are not submitted: their inputs get no error key.
    const key = (opt) => (submittedIndex >= 0 ? `fields.${submittedIndex}.${opt}` : "");
    const locked = !!f.system;
    const bodyId = nextId("fbody");

    const nameInput = h("input", {
        type: "text", class: "code", value: f.name, readonly: locked || row.removed, "data-testid": "field-name",
        autocomplete: "off", spellcheck: "false",
        oninput: (e) => { f.name = e.target.value; ed.changed(); },
    });
    const nameField = field("Field name", nameInput);
    nameField.dataset.field = key("name");
    nameField.classList.add("ce-name");
    nameField.querySelector("label").classList.add("visually-hidden");

    const toggle = h("button", {
        type: "button", class: "btn btn-small ce-toggle", "aria-expanded": String(row.open), "aria-controls": bodyId,
        "aria-label": `Options of ${f.name || "field"}`, title: "Options",
        onclick: () => setOpen(!row.open),
    }, h("span", { "aria-hidden": "true" }, "⚙"), h("span", { class: "ce-toggle-text" }, "Options"));
    const body = h("div", { class: "ce-field-body", id: bodyId, hidden: !row.open || row.removed });
    function setOpen(open) {
        row.open = open;
        body.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
    }
    row.reveal = () => setOpen(true);

    const move = (delta) => {
        const j = index + delta;
        if (j < 0 || j >= ed.rows.length) return;
        [ed.rows[index], ed.rows[j]] = [ed.rows[j], ed.rows[index]];
        ed.changed();
        refresh();
        // Keep focus on the same button of the moved row so repeated moves work from the keyboard.
        const moved = document.querySelectorAll('.ce-fields > [data-testid="field-row"]')[j];
        moved?.querySelector(delta < 0 ? ".ce-up" : ".ce-down")?.focus();
    };
    const label = f.name || "field";
    const actions = h("div", { class: "ce-row-actions" },
        h("button", { type: "button", class: "btn btn-small ce-up", "aria-label": `Move ${label} up`, title: "Move up", disabled: index === 0, onclick: () => move(-1) }, "↑"),
        h("button", { type: "button", class: "btn btn-small ce-down", "aria-label": `Move ${label} down`, title: "Move down", disabled: index === ed.rows.length - 1, onclick: () => move(1) }, "↓"),
        row.removed ? null : toggle,
        locked ? null : row.removed
            ? h("button", { type: "button", class: "btn btn-small", "data-testid": "field-restore", onclick: () => { row.removed = false; ed.changed(); refresh(); } }, "Restore")
            : h("button", {
                type: "button", class: "btn btn-small ce-remove", "data-testid": "field-remove", "aria-label": `Remove ${label}`, title: "Remove field",
                onclick: () => {
                    // A field never saved simply disappears; a saved one is marked so it can be restored before saving.
                    if (!f.id) ed.rows.splice(index, 1); else row.removed = true;
                    ed.changed();
                    refresh();
                },
            }, "✕"));

    const badges = h("div", { class: "ce-badges" });
    // The flags summary is redrawn in place so toggling a checkbox keeps its focus.
    row.updateBadges = () => mount(badges,
        locked ? h("span", { class: "badge", title: "System field: it can't be renamed or removed" }, "system") : null,
        row.field.required ? h("span", { class: "badge badge-warn" }, "required") : null,
        row.field.hidden ? h("span", { class: "badge" }, "hidden") : null,
        row.field.presentable ? h("span", { class: "badge badge-ok" }, "presentable") : null,
        !f.id ? h("span", { class: "badge badge-ok" }, "new") : null,
        row.removed ? h("span", { class: "badge badge-danger" }, "will be deleted") : null,
        summary(ed, row.field));
    row.updateBadges();

    if (!row.removed) mount(body, optionsFor(ed, row, key, refresh));
    return h("li", {
        class: "ce-field" + (row.removed ? " is-removed" : "") + (locked ? " is-system" : ""),
        "data-testid": "field-row", dataset: { type: f.type, name: f.name, removed: row.removed ? "1" : "" },
    },
        h("div", { class: "ce-field-head" },
            h("span", { class: "ce-type-tag", dataset: { type: f.type }, title: f.type }, f.type),
            nameField, badges, actions),
        body);
}

/** A one-line hint of the options that matter most, visible while the row is collapsed. */
function summary(ed, f) {
    let text = "";
    if (f.type === "relation") {
        const target = ed.collections.find((c) => c.id === f.collectionId);
        text = `→ ${target?.name || f.collectionId || "?"}${f.maxSelect > 1 ? ` (max ${f.maxSelect})` : ""}`;
    } else if (f.type === "select") text = `${(f.values || []).join(", ")}${f.maxSelect > 1 ? ` (max ${f.maxSelect})` : ""}`;
    else if (f.type === "file" && f.maxSelect > 1) text = `max ${f.maxSelect} files`;
    else if (f.type === "autodate") text = [f.onCreate && "on create", f.onUpdate && "on update"].filter(Boolean).join(" + ");
    return text ? h("span", { class: "ce-summary", title: text }, text) : null;
}

/** The options body of one field: the type's own options, then the common flags. */
function optionsFor(ed, row, key, refresh) {
    const f = row.field;
    const set = (opt) => (v) => { f[opt] = v; ed.changed(); row.updateBadges?.(); };
    const out = [];
    if (!f.id) {
        // Only a field that was never saved may change its type (PocketBase refuses type changes).
        out.push(h("div", { class: "form-row" }, selectField("Type", f.type, FIELD_TYPES
            .filter(([t]) => t !== "password" || ed.draft.type === "auth").map(([t, l]) => [t, `${t} — ${l}`]), (t) => {
            row.field = newField(t, [], f);
            ed.changed();
            refresh();
        }, { name: key("type"), testid: "field-type" })));
    } else {
        out.push(h("p", { class: "muted ce-id" }, "id: ", h("code", {}, f.id)));
    }
    const typeOpts = (TYPE_OPTIONS[f.type] || (() => []))(f, key, set, ed);
    if (typeOpts.length) out.push(h("div", { class: "form-row" }, typeOpts));
    out.push(h("div", { class: "ce-flags" },
        "required" in f || DEFAULTS[f.type]?.required !== undefined
            ? checkField(f.type === "bool" ? "Required (must be true)" : "Nonempty (required)", f.required, (v) => { set("required")(v); row.updateBadges(); }, { name: key("required"), disabled: isLockedFlag(f, "required") })
            : null,
        checkField("Hidden (never in API responses)", f.hidden, (v) => { set("hidden")(v); row.updateBadges(); }, { name: key("hidden"), disabled: isLockedFlag(f, "hidden") }),
        checkField("Presentable (shown in relation pickers)", f.presentable, (v) => { set("presentable")(v); row.updateBadges(); }, { name: key("presentable") }),
        checkField("System", f.system, () => {}, { name: key("system"), disabled: true, help: "Set by PocketBase; read-only." })));
    return out;
}

/** Flags PocketBase forces on auth system fields (password/tokenKey are always hidden and required). */
function isLockedFlag(f, flag) {
    if (!f.system) return false;
    if (f.name === "id") return true;
    if (["password", "tokenKey"].includes(f.name)) return flag === "hidden" || flag === "required";
    return false;
}

const DATE_HELP = "UTC, e.g. 2024-01-31 00:00:00.000Z; empty = no limit.";
const BYTES = (n) => (n ? `${n} bytes (${(n / 1048576).toFixed(2)} MB)` : "0 = default limit");

const TYPE_OPTIONS = {
    text: (f, key, set) => [
        numberField("Min length", f.min, set("min"), { name: key("min"), min: 0, help: "0 = no limit" }),
        numberField("Max length", f.max, set("max"), { name: key("max"), min: 0, help: "0 = default (5000)" }),
        textField("Validation pattern", f.pattern, set("pattern"), { name: key("pattern"), code: true, placeholder: "^[a-z0-9]+$", help: "Regex the value must match." }),
        textField("Autogenerate pattern", f.autogeneratePattern, set("autogeneratePattern"), { name: key("autogeneratePattern"), code: true, placeholder: "[a-z0-9]{30}", help: "Fills empty values with a random string." }),
        f.name === "id" || f.primaryKey ? checkField("Primary key", f.primaryKey, () => {}, { name: key("primaryKey"), disabled: true }) : null,
    ].filter(Boolean),
    editor: (f, key, set) => [
        numberField("Max size (bytes)", f.maxSize, set("maxSize"), { name: key("maxSize"), min: 0, help: BYTES(f.maxSize) }),
        checkField("Convert URLs (relative → absolute)", f.convertURLs, set("convertURLs"), { name: key("convertURLs") }),
    ],
    number: (f, key, set) => [
        numberField("Min", f.min, set("min"), { name: key("min"), nullable: true, step: "any", help: "Empty = no limit" }),
        numberField("Max", f.max, set("max"), { name: key("max"), nullable: true, step: "any", help: "Empty = no limit" }),
        checkField("Integers only", f.onlyInt, set("onlyInt"), { name: key("onlyInt") }),
    ],
    bool: () => [],
    email: domainOptions,
    url: domainOptions,
    date: (f, key, set) => [
        textField("Min date", f.min, set("min"), { name: key("min"), code: true, placeholder: "2024-01-01 00:00:00.000Z", help: DATE_HELP }),
        textField("Max date", f.max, set("max"), { name: key("max"), code: true, placeholder: "2030-12-31 23:59:59.999Z", help: DATE_HELP }),
    ],
    autodate: (f, key, set) => [
        checkField("Set on create", f.onCreate, set("onCreate"), { name: key("onCreate") }),
        checkField("Set on update", f.onUpdate, set("onUpdate"), { name: key("onUpdate") }),
    ],
    select: (f, key, set) => [
        listField("Choices", f.values, set("values"), { name: key("values"), placeholder: "draft, published, archived", help: "Comma separated." }),
        numberField("Max select", f.maxSelect, set("maxSelect"), { name: key("maxSelect"), min: 1, help: "1 = single value, more = multiple (JSON array)." }),
    ],
    file: (f, key, set) => [
        numberField("Max files", f.maxSelect, set("maxSelect"), { name: key("maxSelect"), min: 1, help: "1 = single file, more = multiple." }),
        numberField("Max file size (bytes)", f.maxSize, set("maxSize"), { name: key("maxSize"), min: 0, help: BYTES(f.maxSize) }),
        listField("Allowed MIME types", f.mimeTypes, set("mimeTypes"), { name: key("mimeTypes"), placeholder: "image/png, image/jpeg", help: "Comma separated; empty = any." }),
        listField("Thumb sizes", f.thumbs, set("thumbs"), { name: key("thumbs"), placeholder: "100x100, 0x300, 200x200t", help: "WxH, WxHt (top), WxHb (bottom), WxHf (fit), 0xH, Wx0." }),
        checkField("Protected (files need a file token)", f.protected, set("protected"), { name: key("protected") }),
    ],
    relation: (f, key, set, ed) => [
        relationTarget(f, key, set, ed),
        checkField("Cascade delete (delete records that point to a deleted one)", f.cascadeDelete, set("cascadeDelete"), { name: key("cascadeDelete") }),
        numberField("Min select", f.minSelect, set("minSelect"), { name: key("minSelect"), min: 0 }),
        numberField("Max select", f.maxSelect, set("maxSelect"), { name: key("maxSelect"), min: 1, help: "1 = single relation, more = multiple." }),
    ],
    json: (f, key, set) => [
        numberField("Max size (bytes)", f.maxSize, set("maxSize"), { name: key("maxSize"), min: 0, help: BYTES(f.maxSize) }),
    ],
    password: (f, key, set) => [
        numberField("Min length", f.min, set("min"), { name: key("min"), min: 0 }),
        numberField("Max length", f.max, set("max"), { name: key("max"), min: 0, help: "0 = default (71, bcrypt's limit)" }),
        textField("Validation pattern", f.pattern, set("pattern"), { name: key("pattern"), code: true }),
        numberField("bcrypt cost", f.cost, set("cost"), { name: key("cost"), min: 0, help: "0 = default (10)" }),
    ],
};

function domainOptions(f, key, set) {
    return [
        listField("Except domains", f.exceptDomains, set("exceptDomains"), { name: key("exceptDomains"), empty: null, placeholder: "spam.example", help: "Comma separated; these domains are refused." }),
        listField("Only domains", f.onlyDomains, set("onlyDomains"), { name: key("onlyDomains"), empty: null, placeholder: "example.com", help: "Comma separated; only these are accepted." }),
    ];
}

/** The related collection: a <select> of every collection (the one being edited too, when it's already saved). */
function relationTarget(f, key, set, ed) {
    const options = [["", "— choose a collection —"]];
    const sorted = [...ed.collections].sort((a, b) => Number(a.system) - Number(b.system) || a.name.localeCompare(b.name));
    for (const c of sorted) options.push([c.id, `${c.name} (${c.type}${c.system ? ", system" : ""})`]);
    if (f.collectionId && !sorted.some((c) => c.id === f.collectionId)) options.push([f.collectionId, f.collectionId]);
    return selectField("Related collection", f.collectionId, options, set("collectionId"), { name: key("collectionId"), testid: "relation-collection" });
}
