// The API rules tab. A rule is `null` (locked: superusers only), "" (everyone) or a filter expression.
import { h, nextId } from "../ui.js";

const RULES = [
    ["listRule", "List/Search rule", "Who may list records; records not matching are filtered out."],
    ["viewRule", "View rule", "Who may fetch a single record."],
    ["createRule", "Create rule", "Checked against the submitted data (@request.body.*)."],
    ["updateRule", "Update rule", "Checked against the stored record and @request.body.*."],
    ["deleteRule", "Delete rule", "Who may delete a record."],
];
const AUTH_RULES = [
    ["authRule", "Authentication rule", "Extra condition a record must meet to authenticate (e.g. verified = true). Empty = everyone; locked = no one but superusers."],
    ["manageRule", "Manage rule", "Who may manage other records' email, password and verified state like a superuser (e.g. @request.auth.role = 'admin')."],
];

/** The rules tab for `ed.draft` (views only have list/view rules). Returns the section element. */
export function rulesSection(ed) {
    const d = ed.draft;
    const rules = d.type === "view" ? RULES.slice(0, 2) : d.type === "auth" ? [...RULES, ...AUTH_RULES] : RULES;
    const fieldNames = () => ed.rows ? ed.rows.filter((r) => !r.removed).map((r) => r.field.name).filter(Boolean) : (d.fields || []).map((f) => f.name);
    let lastFocused = null;
    const editors = rules.map(([key, label, help]) => ruleEditor(d, key, label, help, ed, (ta) => { lastFocused = ta; }));

    // Clicking a field name inserts it where the caret was in the last focused rule.
    const chips = h("div", { class: "ce-chips", "aria-label": "Insert a field name into the last focused rule" });
    const drawChips = () => {
        chips.replaceChildren(...["@request.auth.id", "@request.body.", ...fieldNames()].map((name) =>
            h("button", {
                type: "button", class: "btn btn-small code", onclick: () => {
                    const ta = lastFocused && !lastFocused.disabled ? lastFocused : null;
                    if (!ta) return;
                    const at = ta.selectionStart ?? ta.value.length;
                    ta.value = ta.value.slice(0, at) + name + ta.value.slice(ta.selectionEnd ?? at);
                    ta.dispatchEvent(new Event("input"));
                    ta.focus();
                    ta.selectionStart = ta.selectionEnd = at + name.length;
                },
            }, name)));
    };
    drawChips();

    return {
        el: h("section", { class: "ce-section", "aria-label": "API rules" },
            h("p", { class: "muted" }, "Locked rules (the default) let only superusers through. An unlocked empty rule makes the action public; otherwise it is a filter every request must match."),
            h("div", { class: "ce-chip-bar" }, h("span", { class: "muted" }, "Insert: "), chips),
            editors,
            cheatSheet()),
        refresh: drawChips,
    };
}

/** One rule: a lock toggle plus a textarea; the wrapper's data-field is the rule key for server errors. */
export function ruleEditor(obj, key, label, help, ed, onFocus = () => {}, { nullable = true, fieldKey = key } = {}) {
    const id = nextId("rule");
    let text = obj[key] ?? "";
    const locked = () => nullable && obj[key] === null;
    const ta = h("textarea", {
        id, name: fieldKey, class: "code", rows: 2, value: text, spellcheck: "false", "data-testid": `rule-${fieldKey}`,
        placeholder: "Empty = everyone. Example: @request.auth.id != \"\"",
        "aria-describedby": id + "-error",
        oninput: (e) => { text = e.target.value; obj[key] = text; ed.changed(); sync(); },
        onfocus: (e) => onFocus(e.target),
    });
    const state = h("span", { class: "badge" });
    const lock = nullable ? h("button", {
        type: "button", class: "btn btn-small", "data-testid": `rule-lock-${fieldKey}`,
        onclick: () => { obj[key] = locked() ? text : null; ed.changed(); sync(); if (!locked()) ta.focus(); },
    }) : null;
    function sync() {
        const isLocked = locked();
        ta.disabled = isLocked;
        ta.classList.toggle("hidden", isLocked);
        if (lock) {
            lock.textContent = isLocked ? "Unlock and set a rule" : "Set superusers only";
            lock.setAttribute("aria-pressed", String(isLocked));
        }
        state.className = "badge " + (isLocked ? "badge-danger" : obj[key] === "" && nullable ? "badge-warn" : "badge-ok");
        // Only nullable rules gate access; the MFA rule selects whom it applies to.
        state.textContent = isLocked ? "Superusers only" : obj[key] === "" ? (nullable ? "Public: everyone" : "Applies to everyone") : "Filter";
    }
    sync();
    return h("div", { class: "form-field ce-rule", dataset: { field: fieldKey } },
        h("div", { class: "ce-rule-head" }, h("label", { for: id }, label), state, lock),
        ta,
        help ? h("p", { class: "help" }, help) : null,
        h("p", { class: "field-error", id: id + "-error", role: "alert" }));
}

/** A compact reminder of PocketBase 0.23's filter syntax. */
function cheatSheet() {
    const row = (code, text) => h("tr", {}, h("td", {}, h("code", {}, code)), h("td", {}, text));
    return h("details", { class: "ce-cheats" },
        h("summary", {}, "Filter syntax cheat sheet"),
        h("div", { class: "table-wrap" }, h("table", { class: "data ce-cheat-table" },
            h("tbody", {},
                row("= != > >= < <=", "equal, not equal, greater/less (or equal)"),
                row("~ !~", "contains / doesn't contain (LIKE; % wildcards allowed)"),
                row("?= ?!= ?> ?~ …", "“any” variants for multi-value fields (at least one item matches)"),
                row("&& || ( )", "and, or, grouping"),
                row("@request.auth.id", "id of the authenticated record (\"\" for guests)"),
                row("@request.auth.collectionName", "which auth collection the caller belongs to"),
                row("@request.body.title", "a submitted value (create/update)"),
                row("@request.query.x / @request.headers.x_token", "query parameter / header (names snake_cased)"),
                row("@request.method / @request.context", "GET…, and default | expand | realtime | protectedFile | oauth2 | batch"),
                row("@collection.users.email", "join any collection"),
                row("rel.field / users_via_author.name", "follow a relation / a back-relation"),
                row("field:isset field:length field:each", "modifiers (isset only on @request.*)"),
                row("@now @todayStart @monthEnd @year …", "date macros (UTC)"),
                row("user = @request.auth.id", "owner-only example"),
                row("@request.auth.id != \"\" && status = \"published\"", "signed-in users, published records only")))));
}
