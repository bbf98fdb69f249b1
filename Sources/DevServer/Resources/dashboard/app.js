// The dashboard shell: hash routes, the session, the navigation. Views are ES modules loaded on first use, so a cold
// load fetches only this file, api.js, ui.js and the stylesheet.
import { auth, send } from "./api.js";
import { h, mount, showError } from "./ui.js";

/** [pattern, module, needs a session]. `:name` segments become params. */
const routes = [
    ["/pbinstal/:token", "./views/installer.js", false],
    ["/login", "./views/login.js", false],
    // The pages PocketBase's emails and OAuth2 redirect link to, and the superuser password reset.
    ["/auth/:action", "./views/auth-actions.js", false],
    ["/auth/:action/:token", "./views/auth-actions.js", false],
    ["/users/:action/:token", "./views/auth-actions.js", false],
    ["/request-password-reset", "./views/auth-actions.js", false],
    ["/confirm-password-reset/:token", "./views/auth-actions.js", false],
    ["/collections", "./views/collections.js", true],
    ["/collections/:collection", "./views/collections.js", true],
    ["/schema/new", "./views/collection-editor.js", true],
    ["/schema/:collection", "./views/collection-editor.js", true],
    ["/logs", "./views/logs.js", true],
    ["/settings", "./views/settings.js", true],
    ["/settings/:section", "./views/settings.js", true],
    ["/dev", "./views/dev.js", true],
    ["/dev/:section", "./views/dev.js", true],
];

const nav = [
    ["#/collections", "Collections", "/collections", "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zm0 0v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"],
    ["#/logs", "Logs", "/logs", "M4 19h16M7 16V9m5 7V5m5 11v-4"],
    ["#/settings", "Settings", "/settings", "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm7.4-3a7.4 7.4 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14.5 3h-5l-.4 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2l.4 2.6h5l.4-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z"],
    ["#/dev", "Dev", "/dev", "M8 8l-4 4 4 4m8-8l4 4-4 4M14 4l-4 16"],
];

function parseHash() {
    const raw = location.hash.replace(/^#/, "") || "/";
    const [path, search = ""] = raw.split("?");
    return { path: path.replace(/\/+$/, "") || "/", query: Object.fromEntries(new URLSearchParams(search)) };
}

function match(path) {
    const parts = path.split("/").filter(Boolean);
    for (const [pattern, module, needsAuth] of routes) {
        const pp = pattern.split("/").filter(Boolean);
        if (pp.length !== parts.length) continue;
        const params = {};
        let ok = true;
        for (let i = 0; i < pp.length; i++) {
            if (pp[i].startsWith(":")) params[pp[i].slice(1)] = decodeURIComponent(parts[i]);
            else if (pp[i] !== parts[i]) { ok = false; break; }
        }
        if (ok) return { module, needsAuth, params };
    }
    return null;
}

/** Navigates to `#path` with an optional query object (empty values dropped). */
export function navigate(path, query = {}, { replace = false } = {}) {
    const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "")).toString();
    const hash = "#" + path + (q ? "?" + q : "");
    if (replace) history.replaceState(null, "", hash); else location.hash = hash;
    if (replace) render();
}

let cleanup = null;
let renderSeq = 0;
const app = document.getElementById("app");

function layout(path) {
    const main = h("main", { id: "main", class: "main", tabindex: "-1" });
    const email = auth.record?.email || "";
    const shell = h("div", { class: "layout" },
        h("nav", { class: "app-nav", "aria-label": "Main" },
            h("a", { class: "brand", href: "#/collections", title: "sptfy-dev" },
                h("img", { src: "./favicon.svg", alt: "", width: 28, height: 28 }), h("span", { class: "brand-text" }, "sptfy-dev")),
            h("ul", { class: "nav-links" }, nav.map(([href, label, prefix, icon]) =>
                h("li", {}, h("a", { href, class: "nav-link", "aria-current": path.startsWith(prefix) ? "page" : false },
                    svgIcon(icon), h("span", {}, label))))),
            h("div", { class: "nav-user" },
                h("span", { class: "nav-email", title: email }, email),
                h("button", { type: "button", class: "btn btn-small", onclick: logout }, "Logout"))),
        main);
    mount(app, shell);
    return main;
}

function svgIcon(d) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "icon");
    const p = document.createElementNS(ns, "path");
    p.setAttribute("d", d);
    svg.append(p);
    return svg;
}

export function logout() {
    auth.clear();
    navigate("/login");
}

async function render() {
    const seq = ++renderSeq;
    const { path, query } = parseHash();
    if (path === "/") return navigate(auth.isValid ? "/collections" : "/login", {}, { replace: true });
    const route = match(path);
    if (!route) return navigate("/collections", {}, { replace: true });
    if (route.needsAuth && !auth.isValid) return navigate("/login", {}, { replace: true });
    if (path === "/login" && auth.isValid) return navigate("/collections", {}, { replace: true });
    if (typeof cleanup === "function") { try { cleanup(); } catch { /* a view's teardown must not block navigation */ } }
    // A dialog belongs to the page that opened it: leaving the page dismisses it (as Escape would).
    document.querySelectorAll("dialog.modal[open]").forEach((d) => d.dispatchEvent(new Event("cancel")));
    cleanup = null;
    let root;
    if (route.needsAuth) root = layout(path);
    else {
        root = h("main", { id: "main", class: "main main-full", tabindex: "-1" });
        mount(app, root);
    }
    try {
        const view = await import(route.module);
        if (seq !== renderSeq) return;
        cleanup = await view.render({ root, params: route.params, query, path, navigate, rerender: render });
    } catch (err) {
        if (seq !== renderSeq) return;
        showError(err);
        mount(root, h("div", { class: "empty" }, h("p", {}, "This page failed to load: " + (err?.message || err))));
    }
    document.title = (document.querySelector("main h1")?.textContent || "Dashboard") + " · sptfy-dev";
}

async function boot() {
    // A stored session is checked (and its token renewed) once per load: it survives reloads until it expires.
    if (auth.isValid) {
        try {
            const res = await send("/api/collections/_superusers/auth-refresh", { method: "POST" });
            auth.save(res.token, res.record);
        } catch {
            auth.clear();
        }
    }
    // First run: with no superuser yet, the server hands a loopback browser the installer token.
    if (!auth.isValid && !parseHash().path.startsWith("/pbinstal/")) {
        try {
            const res = await fetch("./installer");
            if (res.status === 200) {
                const { token } = await res.json();
                if (token) history.replaceState(null, "", "#/pbinstal/" + token);
            }
        } catch { /* offline or no installer: the login form */ }
    }
    window.addEventListener("hashchange", render);
    render();
}

boot();
