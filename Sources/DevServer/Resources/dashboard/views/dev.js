// The dev panels: what a local dev environment adds to PocketBase's dashboard (fixtures, resets and snapshots, the
// captured mailbox, the Turnstile and Spotify stubs, sptfy.in's stats). Each section is its own module, loaded on
// first use, rendering into the right-hand column of a `.split` page.
import { h, loadCSS, mount, pageHeader, showError } from "../ui.js";

const sections = [
    ["overview", "Overview", "./dev-overview.js"],
    ["state", "State & snapshots", "./dev-state.js"],
    ["mailbox", "Mailbox", "./dev-mailbox.js"],
    ["turnstile", "Turnstile", "./dev-turnstile.js"],
    ["spotify", "Spotify stub", "./dev-spotify.js"],
    ["stats", "Stats", "./dev-stats.js"],
];

export async function render(ctx) {
    loadCSS("./views/dev.css");
    let entry = sections.find(([id]) => id === ctx.params.section);
    if (!entry) {
        // `#/dev` (or an unknown section) shows the overview; the hash is fixed in place so reloads and the
        // subnav agree, without a second render.
        entry = sections[0];
        history.replaceState(null, "", "#/dev/" + entry[0]);
    }
    const [id, label, module] = entry;
    const content = h("div", { class: "dev-content", id: "dev-" + id, "data-section": id });
    mount(ctx.root, h("div", { class: "split dev-page" },
        h("nav", { class: "subnav", "aria-label": "Dev sections" },
            h("h2", {}, "Dev environment"),
            h("ul", {}, sections.map(([sid, slabel]) =>
                h("li", {}, h("a", { href: "#/dev/" + sid, "aria-current": sid === id ? "page" : false, "data-testid": "dev-nav-" + sid }, slabel))))),
        h("div", { class: "dev-main" },
            pageHeader(label, { crumbs: [{ label: "Dev", href: "#/dev/overview" }, { label }] }),
            content)));
    content.append(h("p", { class: "muted" }, "Loading…"));
    try {
        const view = await import(module);
        return await view.render(content, ctx);
    } catch (err) {
        showError(err);
        mount(content, h("p", { class: "alert alert-error" }, "This panel failed to load: " + (err?.message || err)));
    }
}
