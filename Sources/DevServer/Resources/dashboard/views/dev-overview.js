// Overview: the fixture world a developer logs in with (accounts, passwords, link slugs), where the data lives, and
// how many records each collection holds.
import { listAll } from "../api.js";
import { h, mount } from "../ui.js";
import { card, copyButton, copyable, countsCard, infoMissing, kvList, loadInfo, quote, recordsLink, table } from "./dev-common.js";

export async function render(el) {
    const info = await loadInfo();
    const owners = await ownerNames(info?.fixtures?.links || []);
    mount(el,
        info ? null : infoMissing(),
        info ? environmentCard(info) : null,
        info ? fixturesCards(info.fixtures, owners) : null,
        countsCard());
}

function environmentCard(info) {
    const m = info.migrations || {};
    return card("Environment", { id: "dev-env", testid: "dev-environment" }, kvList([
        ["Data directory", info.dataDir ? copyable(info.dataDir, "Copy the data directory path") : null],
        ["Migrations directory", m.dir ? copyable(m.dir, "Copy the migrations directory path") : h("span", { class: "muted" }, "none (bundled sptfy.in schema)")],
        ["Automigrate", m.automigrate === undefined ? null : badge(m.automigrate, "on: schema changes are written as migration files", "off")],
        ["Fixtures", info.fixtures ? `seed ${info.fixtures.seed}, scale ${info.fixtures.scale}` : h("span", { class: "muted" }, "none (started with --no-fixtures)")],
        ["Spotify", info.spotify ? h("a", { href: "#/dev/spotify" }, info.spotify.mode === "real" ? "real Spotify" : "offline stub") : null],
        ["Turnstile", info.turnstile ? h("a", { href: "#/dev/turnstile" }, info.turnstile.strict ? "stub, strict tokens" : "stub, test keys") : h("span", { class: "muted" }, "not stubbed")],
    ]));
}

function badge(on, yes, no) {
    return h("span", {}, h("span", { class: "badge " + (on ? "badge-ok" : "") }, on ? "on" : "off"), " ", h("span", { class: "muted" }, on ? yes : no));
}

/** Link owners are user ids: one filtered users call turns them into usernames (ids stay when that fails). */
async function ownerNames(links) {
    const ids = [...new Set(links.map((l) => l.owner).filter(Boolean))];
    if (!ids.length) return new Map();
    try {
        const users = await listAll("users", { filter: ids.map((id) => `id=${quote(id)}`).join("||"), fields: "id,username" });
        return new Map(users.map((u) => [u.id, u.username || u.id]));
    } catch { return new Map(); }
}

function fixturesCards(fx, owners) {
    if (!fx) {
        return card("Fixture world", { id: "dev-fixtures" },
            h("p", { class: "muted" }, "This server was started with --no-fixtures: there are no named accounts or links."));
    }
    const users = fx.users || [], links = fx.links || [];
    const accounts = card(`Named accounts (${users.length})`, { id: "dev-accounts", testid: "fixture-accounts" },
        h("p", { class: "muted dev-lead" }, `Seed ${fx.seed}, scale ${fx.scale}. Log in to the app with these; the same world comes back after a reset.`),
        table("Named fixture accounts", ["Username", "Email", "Password", "Name", "Spotify login"], users.map((u) =>
            h("tr", { dataset: { username: u.username } },
                h("td", {}, recordsLink("users", `username=${quote(u.username)}`, u.username)),
                h("td", {}, h("span", { class: "dev-copyable" }, h("span", {}, u.email), copyButton(u.email, `Copy ${u.username}'s email`))),
                h("td", {}, h("span", { class: "dev-copyable" }, h("code", {}, u.password), copyButton(u.password, `Copy ${u.username}'s password`, { testid: "copy-password" }))),
                h("td", {}, u.name || ""),
                h("td", {}, u.spotifyId ? h("code", {}, u.spotifyId) : h("span", { class: "muted" }, "—")))),
        { empty: "No named accounts.", stack: true }));
    const linkCard = card(`Named links (${links.length})`, { id: "dev-links", testid: "fixture-links" },
        table("Named fixture links", ["Slug", "Target URL", "Owner", { label: "Fixture clicks", num: true }], links.map((l) =>
            h("tr", { dataset: { slug: l.slug } },
                h("td", {}, h("span", { class: "dev-copyable" }, recordsLink("random_short", `id_url=${quote(l.slug)}`, l.slug), copyButton(l.slug, `Copy the slug ${l.slug}`))),
                h("td", { title: l.url }, safeLink(l.url)),
                h("td", {}, l.owner ? recordsLink("users", `id=${quote(l.owner)}`, owners.get(l.owner) || l.owner) : h("span", { class: "muted" }, "guest")),
                h("td", { class: "num" }, l.clicks ?? ""))),
        { empty: "No named links.", stack: true }));
    return [accounts, linkCard];
}

/** A link only for http(s) URLs; anything else stays text (a `javascript:` URL must never be clickable). */
function safeLink(url) {
    return /^https?:\/\//i.test(url || "") ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, url) : h("span", {}, url || "");
}
