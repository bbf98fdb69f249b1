// Settings → Export collections: PocketBase's export format, i.e. the collections as GET /api/collections returns
// them minus `created`, `updated` and `oauth2.providers` (what PocketBase 0.23's UI strips), which
// PUT /api/collections/import takes back.
import { send } from "../api.js";
import { download, h, mount, pageHeader, toast } from "../ui.js";

/** One collection in the export shape. */
export function exportable(collection) {
    const c = JSON.parse(JSON.stringify(collection));
    delete c.created;
    delete c.updated;
    if (c.oauth2) delete c.oauth2.providers;
    return c;
}

export async function render({ root }) {
    mount(root, pageHeader("Export collections", { crumbs: [{ label: "Settings" }] }), h("p", { class: "muted" }, "Loading…"));
    const res = await send("/api/collections", { query: { perPage: 500, sort: "name" } });
    const all = res.items.map(exportable);
    const selected = new Set(all.map((c) => c.id));

    const preview = h("textarea", { class: "code export-json", readonly: true, rows: 24, spellcheck: "false", "data-testid": "export-json", "aria-label": "Exported JSON" });
    const counter = h("span", { class: "muted", "aria-live": "polite" });
    const json = () => JSON.stringify(all.filter((c) => selected.has(c.id)), null, 4);
    const allBox = h("input", { type: "checkbox", checked: true, "data-testid": "export-select-all" });
    const boxes = all.map((c) => {
        const box = h("input", { type: "checkbox", checked: true, value: c.id, dataset: { name: c.name }, "data-testid": "export-collection" });
        box.addEventListener("change", () => { box.checked ? selected.add(c.id) : selected.delete(c.id); update(); });
        return h("li", {}, h("label", { class: "check" }, box, h("span", {}, c.name), h("span", { class: "badge" }, c.type)));
    });
    allBox.addEventListener("change", () => {
        for (const li of boxes) {
            const box = li.querySelector("input");
            box.checked = allBox.checked;
            allBox.checked ? selected.add(box.value) : selected.delete(box.value);
        }
        update();
    });
    function update() {
        preview.value = json();
        counter.textContent = `${selected.size} of ${all.length} selected`;
        allBox.checked = selected.size === all.length;
        allBox.indeterminate = selected.size > 0 && selected.size < all.length;
        downloadBtn.disabled = copyBtn.disabled = selected.size === 0;
    }
    const downloadBtn = h("button", { type: "button", class: "btn btn-primary", "data-testid": "export-download", onclick: () => download("pb_schema.json", json()) }, "Download JSON");
    const copyBtn = h("button", { type: "button", class: "btn", "data-testid": "export-copy", onclick: () => copy(json(), preview) }, "Copy");

    mount(root,
        pageHeader("Export collections", { crumbs: [{ label: "Settings" }], actions: [copyBtn, downloadBtn] }),
        h("p", { class: "muted" }, "The JSON below can be imported into another PocketBase (Settings → Import collections) or kept in version control."),
        h("div", { class: "export-layout" },
            h("fieldset", { class: "card export-pick" },
                h("legend", {}, "Collections"),
                h("label", { class: "check select-all" }, allBox, h("strong", {}, "Select all")), counter,
                h("ul", { class: "check-list" }, boxes)),
            h("div", { class: "card export-preview" }, preview)));
    update();
}

/** Clipboard API where allowed (secure contexts: localhost counts), else the old select-and-copy. */
async function copy(text, textarea) {
    try {
        await navigator.clipboard.writeText(text);
    } catch {
        textarea.focus();
        textarea.select();
        if (!document.execCommand("copy")) { toast("Copy failed: select the text and copy it by hand.", "error"); return; }
    }
    toast("The collections JSON was copied to the clipboard.", "ok");
}
