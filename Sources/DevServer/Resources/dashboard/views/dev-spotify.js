// Spotify stub: which OAuth2 provider the server uses, the offline stub's accounts, and which app users are linked
// to which Spotify account (PocketBase's `_externalAuths`).
import { collections, listAll } from "../api.js";
import { formatDate, h, mount } from "../ui.js";
import { card, copyButton, infoMissing, kvList, loadInfo, quote, recordsLink, table } from "./dev-common.js";

export async function render(el) {
    const [info, links] = await Promise.all([loadInfo(), loadLinks()]);
    const sp = info?.spotify;
    mount(el,
        info ? modeCard(sp) : infoMissing(),
        sp?.mode !== "real" && sp ? accountsCard(sp.accounts || [], links) : null,
        linksCard(links, sp));
}

/** `_externalAuths` rows for Spotify, each with the user record it points at (or an error to show). */
async function loadLinks() {
    try {
        const auths = await listAll("_externalAuths", { filter: "provider='spotify'", sort: "created" });
        const all = await collections.all();
        const byCollection = new Map();
        for (const a of auths) byCollection.set(a.collectionRef, [...(byCollection.get(a.collectionRef) || []), a]);
        const records = new Map();
        await Promise.all([...byCollection].map(async ([collectionRef, rows]) => {
            const c = all.find((x) => x.id === collectionRef);
            if (!c) return;
            const ids = [...new Set(rows.map((r) => r.recordRef))];
            const filter = ids.map((id) => `id=${quote(id)}`).join("||");
            const found = await listAll(c.name, { filter, fields: "id,username,email,name" });
            for (const r of found) records.set(r.id, { ...r, collectionName: c.name });
        }));
        return { rows: auths.map((a) => ({ ...a, user: records.get(a.recordRef) || null, collectionName: all.find((x) => x.id === a.collectionRef)?.name || a.collectionRef })) };
    } catch (err) {
        return { error: err };
    }
}

function modeCard(sp) {
    if (!sp) return card("Provider", { id: "dev-sp-mode" }, h("p", { class: "muted" }, "No Spotify provider information."));
    return card("Provider", { id: "dev-sp-mode", testid: "spotify-mode" }, kvList([
        ["Mode", h("span", {},
            h("span", { class: "badge " + (sp.mode === "real" ? "badge-warn" : "badge-ok") }, sp.mode), " ",
            h("span", { class: "muted" }, sp.mode === "real" ? "logins go to accounts.spotify.com" : "an offline stand-in: pick or invent an account, no network"))],
        ["Authorize URL", sp.authorizeURL ? h("span", { class: "dev-copyable" },
            /^(https?:\/\/|\/(?!\/))/i.test(sp.authorizeURL) ? h("a", { href: sp.authorizeURL, target: "_blank", rel: "noopener noreferrer", class: "mono" }, sp.authorizeURL) : h("code", {}, sp.authorizeURL),
            copyButton(sp.authorizeURL, "Copy the authorize URL")) : null],
    ]));
}

function accountsCard(accounts, links) {
    const usersFor = (id) => (links.rows || []).filter((r) => r.providerId === id);
    return card(`Stub accounts (${accounts.length})`, { id: "dev-sp-accounts", testid: "spotify-accounts" },
        h("p", { class: "muted dev-lead" }, "The stub's authorize page offers these (a new id typed there becomes a new account until the server restarts)."),
        table("Spotify stub accounts", ["Spotify id", "Display name", "Email", "Linked user"], accounts.map((a) =>
            h("tr", { "data-testid": "spotify-account", dataset: { id: a.id } },
                h("td", {}, h("code", {}, a.id)),
                h("td", {}, a.display_name || ""),
                h("td", {}, a.email || ""),
                h("td", {}, usersFor(a.id).length ? usersFor(a.id).map((r) => h("div", {}, userCell(r))) : h("span", { class: "muted" }, "not linked yet")))),
        { empty: "The stub has no accounts.", stack: true }));
}

function linksCard(links, sp) {
    if (links.error) {
        return card("Linked users", { id: "dev-sp-links" }, h("p", { class: "alert alert-error" }, "Could not read _externalAuths: " + links.error.message));
    }
    const known = new Set((sp?.accounts || []).map((a) => a.id));
    return card(`Linked users (${links.rows.length})`, { id: "dev-sp-links", testid: "spotify-links" },
        h("p", { class: "muted dev-lead" }, "Rows of _externalAuths with provider 'spotify': a Spotify account id (providerId) and the user record it logs in to (recordRef).",
            sp?.mode === "stub" ? " To log in as a user whose id the stub does not list, type that id on the stub's authorize page." : ""),
        table("Spotify links", ["Spotify id (providerId)", "User (recordRef)", "Linked"], links.rows.map((r) =>
            h("tr", { "data-testid": "spotify-link", dataset: { providerId: r.providerId, recordRef: r.recordRef } },
                h("td", {}, h("code", {}, r.providerId), known.has(r.providerId) ? [" ", h("span", { class: "badge badge-ok", title: "Listed on the stub's authorize page" }, "stub account")] : null),
                h("td", {}, userCell(r), r.collectionName !== "users" ? h("span", { class: "muted" }, ` in ${r.collectionName}`) : null),
                h("td", { title: formatDate(r.created), class: "dev-nowrap" }, String(r.created || "").slice(0, 10)))),
        { empty: "No user has logged in with Spotify yet." }),
        h("p", { class: "muted" }, recordsLink("_externalAuths", "provider='spotify'", "Open these rows in the records browser")));
}

function userCell(r) {
    const u = r.user;
    const text = u ? (u.username || u.email || u.id) + (u.name ? ` (${u.name})` : "") : r.recordRef;
    return h("span", {}, recordsLink(u?.collectionName || r.collectionName, `id=${quote(r.recordRef)}`, text),
        u ? null : [" ", h("span", { class: "badge badge-warn" }, "record missing")]);
}
