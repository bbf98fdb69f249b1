// Form controls the schema editor builds over and over. Each returns a `.form-field` wrapper whose `data-field` is
// the PocketBase error key (e.g. `fields.2.max`), so `setFieldErrors` puts a 400's messages under the right input.
import { h, field, nextId } from "../ui.js";

/** A checkbox in a `.form-field` wrapper (so it can carry an error like any other option). */
export function checkField(label, checked, onChange, { name = "", help, disabled = false, testid } = {}) {
    const input = h("input", {
        type: "checkbox", id: nextId("chk"), checked: !!checked, disabled, "data-testid": testid,
        onchange: (e) => onChange(e.target.checked),
    });
    input.setAttribute("aria-describedby", input.id + "-error");
    return h("div", { class: "form-field form-check", dataset: { field: name } },
        h("label", { class: "check", for: input.id }, input, h("span", {}, label)),
        help ? h("p", { class: "help" }, help) : null,
        h("p", { class: "field-error", id: input.id + "-error", role: "alert" }));
}

/** A text (or textarea with `rows`) input writing its value through `onChange`. */
export function textField(label, value, onChange, opts = {}) {
    const { name = "", help, placeholder, code = false, readonly = false, rows, type = "text", required = false, testid, list, autocomplete = "off" } = opts;
    const attrs = {
        value: value ?? "", placeholder, readonly, class: code ? "code" : false, "data-testid": testid, list,
        spellcheck: code ? "false" : false, autocomplete,
        oninput: (e) => onChange(e.target.value),
    };
    const input = rows ? h("textarea", { ...attrs, rows }) : h("input", { ...attrs, type });
    const el = field(label, input, { help, required });
    el.dataset.field = name;
    return el;
}

/**
 * A number input. Empty → `null` when `nullable` (PocketBase's "no limit" for number min/max), else 0.
 * `step: "any"` allows decimals.
 */
export function numberField(label, value, onChange, { name = "", help, nullable = false, min, step = "1", readonly = false } = {}) {
    const input = h("input", {
        type: "number", value: value ?? "", min, step, readonly, inputmode: step === "1" ? "numeric" : "decimal",
        oninput: (e) => {
            const raw = e.target.value.trim();
            if (raw === "") return onChange(nullable ? null : 0);
            const n = Number(raw);
            if (Number.isFinite(n)) onChange(n);
        },
    });
    const el = field(label, input, { help });
    el.dataset.field = name;
    return el;
}

/** A comma separated list (select values, domains, MIME types, thumb sizes). Empty → `empty` (null or []). */
export function listField(label, list, onChange, { name = "", help, placeholder, empty = [], code = false } = {}) {
    return textField(label, (list || []).join(", "), (v) => {
        const parts = v.split(",").map((s) => s.trim()).filter(Boolean);
        onChange(parts.length ? parts : (Array.isArray(empty) ? [] : empty));
    }, { name, help, placeholder, code });
}

/** A `<select>` of `[value, label]` pairs; values are compared as JSON so `null`/booleans work. */
export function selectField(label, value, options, onChange, { name = "", help, disabled = false, testid } = {}) {
    const key = (v) => JSON.stringify(v ?? null);
    const input = h("select", {
        disabled, "data-testid": testid,
        onchange: (e) => onChange(options[e.target.selectedIndex][0]),
    }, options.map(([v, l]) => h("option", { value: key(v), selected: key(v) === key(value) }, l)));
    const el = field(label, input, { help });
    el.dataset.field = name;
    return el;
}

/** A `<fieldset>` with a legend, used to group options. */
export function group(legend, ...children) {
    return h("fieldset", { class: "ce-group" }, h("legend", {}, legend), ...children);
}

/** "604800" → "7 days": a hint next to duration inputs. */
export function humanSeconds(s) {
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) return "";
    const units = [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]];
    for (const [size, unit] of units) {
        if (n >= size && n % size === 0) { const v = n / size; return `${v} ${unit}${v === 1 ? "" : "s"}`; }
    }
    return `${n} seconds`;
}
