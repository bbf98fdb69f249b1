// The Query tab of a view collection: the SELECT statement and a preview of the fields PocketBase infers from it.
import { h, mount, nextId, setFieldErrors, showError } from "../ui.js";
import { send } from "../api.js";

export function viewSection(ed, getForm) {
    const d = ed.draft;
    const id = nextId("vq");
    const ta = h("textarea", {
        id, name: "viewQuery", class: "code ce-viewquery", rows: 8, value: d.viewQuery || "", spellcheck: "false",
        placeholder: "SELECT id, url, created FROM random_short WHERE utm_view != ''",
        "aria-describedby": `${id}-help ${id}-error`,
        oninput: (e) => { d.viewQuery = e.target.value; ed.changed(); },
    });
    const wrapper = h("div", { class: "form-field required", dataset: { field: "viewQuery" } },
        h("label", { for: id }, "Select query"),
        ta,
        h("p", { class: "help", id: `${id}-help` }, "One SELECT statement. It must return an ", h("code", {}, "id"), " column (unique per row); column aliases become field names. Types come from the source fields (or casts)."),
        h("p", { class: "field-error", id: `${id}-error`, role: "alert" }));

    const result = h("div", { class: "ce-preview", "aria-live": "polite" });
    const btn = h("button", { type: "button", class: "btn", "data-testid": "view-preview", onclick: preview }, "Preview fields");

    async function preview() {
        btn.disabled = true;
        clearError();
        mount(result, h("p", { class: "muted" }, "Reading the query…"));
        try {
            const res = await send("/api/sptfy-dev/view-preview", { method: "POST", body: { viewQuery: d.viewQuery || "" } });
            showFields(res?.fields || [], "Fields this query produces");
        } catch (err) {
            mount(result);
            if (err.status === 400) {
                const form = getForm();
                setFieldErrors(form, err.data || {});
                // A 400 without a viewQuery key still belongs to the query.
                if (!wrapper.classList.contains("has-error")) placeError(err.message);
            } else if (err.status === 404) {
                placeError("The preview endpoint isn't available on this server.");
            } else showError(err);
        } finally {
            btn.disabled = false;
        }
    }

    function placeError(message) {
        wrapper.classList.add("has-error");
        wrapper.querySelector(".field-error").textContent = message;
        ta.setAttribute("aria-invalid", "true");
    }
    function clearError() {
        wrapper.classList.remove("has-error");
        wrapper.querySelector(".field-error").textContent = "";
        ta.removeAttribute("aria-invalid");
    }

    function showFields(fields, caption) {
        const names = new Map(ed.collections.map((c) => [c.id, c.name]));
        const detail = (f) => f.type === "relation" ? `→ ${names.get(f.collectionId) || f.collectionId || "?"}${f.maxSelect > 1 ? " (multiple)" : ""}`
            : f.type === "select" && f.values?.length ? f.values.join(", ")
            : f.type === "file" && f.maxSelect > 1 ? "multiple" : "";
        mount(result, fields.length ? h("div", { class: "table-wrap" },
            h("table", { class: "data", "data-testid": "view-preview-table" },
                h("caption", { class: "ce-caption" }, caption),
                h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Details"))),
                h("tbody", {}, fields.map((f) => h("tr", {},
                    h("td", {}, h("code", {}, f.name)),
                    h("td", {}, h("span", { class: "ce-type-tag", dataset: { type: f.type } }, f.type)),
                    h("td", { class: "muted" }, detail(f)))))))
            : h("p", { class: "muted" }, "No fields."));
    }

    // A saved view shows its current fields until a preview replaces them.
    if (d.fields?.length) showFields(d.fields, "Current fields");

    return h("section", { class: "ce-section", "aria-label": "View query" },
        wrapper,
        h("div", { class: "toolbar" }, btn, h("span", { class: "muted" }, "Fields are derived by the server when you save.")),
        result);
}
