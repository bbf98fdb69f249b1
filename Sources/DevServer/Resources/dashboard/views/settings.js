// Settings (`#/settings/:section`): a left list of sections, each one its own module loaded on demand.
import { h, loadCSS, mount } from "../ui.js";

/** [id, label, module, group]. */
const SECTIONS = [
    ["application", "Application", "./settings-application.js", "System"],
    ["mail", "Mail", "./settings-mail.js", "System"],
    ["storage", "Files storage", "./settings-storage.js", "System"],
    ["export", "Export collections", "./settings-export.js", "Sync"],
    ["import", "Import collections", "./settings-import.js", "Sync"],
    ["backups", "Backups", "./settings-backups.js", "System"],
];

export async function render(ctx) {
    loadCSS("./views/settings.css");
    // PocketBase's own section paths (bookmarks, the guide's links) open the same sections.
    const alias = { "export-collections": "export", "import-collections": "import" }[ctx.params.section];
    if (alias) return ctx.navigate("/settings/" + alias, {}, { replace: true });
    const current = SECTIONS.find(([id]) => id === ctx.params.section);
    // `#/settings` (or an unknown section) lands on the first section.
    if (!current) return ctx.navigate("/settings/application", {}, { replace: true });

    const content = h("div", { class: "settings-content", "data-testid": `settings-${current[0]}` });
    mount(ctx.root, h("div", { class: "split settings-page" }, subnav(current[0]), content));
    // A failing section keeps the section list usable.
    try {
        const view = await import(current[2]);
        return await view.render({ ...ctx, root: content });
    } catch (err) {
        mount(content, h("div", { class: "alert alert-error", role: "alert" }, `This section failed to load: ${err?.message || err}`));
    }
}

function subnav(active) {
    const groups = [...new Set(SECTIONS.map((s) => s[3]))];
    return h("nav", { class: "subnav", "aria-label": "Settings sections" },
        groups.map((g) => [
            h("h2", {}, g),
            h("ul", {}, SECTIONS.filter((s) => s[3] === g).map(([id, label]) =>
                h("li", {}, h("a", { href: `#/settings/${id}`, "aria-current": id === active ? "page" : false, "data-testid": `settings-nav-${id}` }, label)))),
        ]));
}
