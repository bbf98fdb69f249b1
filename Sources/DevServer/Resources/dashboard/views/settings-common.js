// Form pieces the settings sections share: inputs bound to a plain settings object, toggles, and the PATCH call
// with PocketBase's per-field errors put back under the inputs.
import { send } from "../api.js";
import { field, h, setFieldErrors, toast } from "../ui.js";

/** The current settings (secrets come back omitted). */
export function loadSettings() {
    return send("/api/settings");
}

/** Deep copy of JSON data, so a form can edit without touching the loaded original. */
export const clone = (v) => JSON.parse(JSON.stringify(v ?? null));

/**
 * A text/number/url/email input bound to `obj[key]`: edits write back at once, numbers as numbers (empty → 0, as
 * Go decodes a missing int).
 */
export function boundInput(obj, key, attrs = {}) {
    const type = attrs.type || "text";
    const input = h("input", { ...attrs, type, value: obj[key] ?? "" });
    input.addEventListener("input", () => {
        obj[key] = type === "number" ? (input.value === "" ? 0 : Number(input.value)) : input.value;
    });
    return input;
}

/** A `<select>` bound to `obj[key]`; options [[value, label]]; `numeric` stores numbers. */
export function boundSelect(obj, key, options, { numeric = false, ...attrs } = {}) {
    const select = h("select", attrs, options.map(([v, label]) => h("option", { value: String(v), selected: String(obj[key] ?? "") === String(v) }, label)));
    select.addEventListener("change", () => { obj[key] = numeric ? Number(select.value) : select.value; });
    return select;
}

/** A labelled checkbox bound to `obj[key]`, wrapped like `field()` so errors and `data-field` work the same. */
export function toggle(label, obj, key, { name, help, onchange } = {}) {
    const input = h("input", { type: "checkbox", checked: !!obj[key], name: name || key });
    input.addEventListener("change", () => { obj[key] = input.checked; onchange?.(input.checked); });
    return h("div", { class: "form-field", dataset: { field: name || key } },
        h("label", { class: "check" }, input, h("span", {}, label)),
        help ? h("p", { class: "help" }, help) : null,
        h("p", { class: "field-error", role: "alert" }));
}

/** `field()` for a bound input, the input's name doubling as the error path (`batch.maxRequests`). */
export function boundField(label, obj, key, path, attrs = {}, opts = {}) {
    return field(label, boundInput(obj, key, attrs), { name: path, ...opts });
}

/**
 * A secret input (SMTP password, S3 secret): the API never returns it, so an empty box means "keep the stored one"
 * and only a typed value is sent.
 */
export function secretField(label, obj, key, path) {
    const input = h("input", { type: "password", autocomplete: "new-password", placeholder: "Unchanged (stored on the server)" });
    input.addEventListener("input", () => {
        if (input.value) obj[key] = input.value; else delete obj[key];
    });
    return field(label, input, { name: path, help: "Leave empty to keep the current value." });
}

/** An alert box for messages that belong to no single input. */
export function formAlert() {
    return h("div", { class: "alert alert-error hidden", role: "alert", "data-testid": "settings-error" });
}

export function showFormAlert(box, text) {
    box.textContent = text || "";
    box.classList.toggle("hidden", !text);
}

/**
 * PATCHes `patch` (only the changed groups); on 400 puts the errors under their inputs and the rest in `alertBox`.
 * Returns the saved settings, or null on failure.
 */
export async function saveSettings(form, alertBox, patch, button) {
    showFormAlert(alertBox, "");
    setFieldErrors(form, {});
    if (!Object.keys(patch).length) {
        toast("Nothing to save: no changes.", "info");
        return null;
    }
    if (button) button.disabled = true;
    try {
        const saved = await send("/api/settings", { method: "PATCH", body: patch });
        toast("Settings saved.", "ok");
        return saved;
    } catch (err) {
        const unplaced = setFieldErrors(form, err.data);
        const placed = Object.keys(err.data || {}).length && !unplaced.length;
        showFormAlert(alertBox, [err.message + (placed ? " Check the highlighted fields." : ""), ...unplaced].join("\n"));
        return null;
    } finally {
        if (button) button.disabled = false;
    }
}

/** The groups of `current` that differ from `original` (PocketBase merges a PATCH, so unchanged ones are left out). */
export function changedGroups(original, current, groups) {
    const patch = {};
    for (const g of groups) {
        if (JSON.stringify(original[g]) !== JSON.stringify(current[g])) patch[g] = current[g];
    }
    return patch;
}

/** A titled card section inside a settings form. */
export function section(title, ...children) {
    return h("fieldset", { class: "card settings-group" }, h("legend", {}, title), ...children);
}
