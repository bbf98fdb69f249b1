// Settings → Application: meta, batch API, logs, rate limits and trusted proxy, saved with one PATCH of the
// changed groups.
import { send } from "../api.js";
import { field, h, mount, pageHeader } from "../ui.js";
import {
    boundField, boundInput, boundSelect, changedGroups, clone, formAlert, loadSettings, saveSettings, section, showFormAlert, toggle,
} from "./settings-common.js";

const GROUPS = ["meta", "batch", "logs", "rateLimits", "trustedProxy"];
export const LOG_LEVELS = [[-4, "DEBUG (-4)"], [0, "INFO (0)"], [4, "WARN (4)"], [8, "ERROR (8)"]];
const AUDIENCES = [["", "All"], ["@guest", "Guests only"], ["@auth", "Authenticated only"]];

export async function render({ root }) {
    mount(root, pageHeader("Application", { crumbs: [{ label: "Settings" }] }), h("p", { class: "muted" }, "Loading…"));
    const [settings, health] = await Promise.all([loadSettings(), send("/api/health").catch(() => null)]);
    let original = clone(settings);
    let state = clone(settings);

    const alertBox = formAlert();
    const saveBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save" }, "Save changes");
    const resetBtn = h("button", { type: "button", class: "btn", onclick: () => { state = clone(original); draw(); } }, "Reset");
    const body = h("div", { class: "settings-groups" });
    const form = h("form", { class: "settings-form", novalidate: true, "data-testid": "settings-application-form" },
        alertBox, body, h("div", { class: "settings-actions" }, resetBtn, saveBtn));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const saved = await saveSettings(form, alertBox, changedGroups(original, state, GROUPS), saveBtn);
        if (saved) { original = clone(saved); state = clone(saved); draw(); }
    });

    // Rebuilding the whole form keeps the inputs and `state` in step after a reset, a save or a removed rule.
    function draw() {
        showFormAlert(alertBox, "");
        mount(body, metaGroup(state.meta), batchGroup(state.batch), logsGroup(state.logs),
            rateLimitsGroup(state.rateLimits, draw), proxyGroup(state.trustedProxy, health?.data));
    }
    draw();
    mount(root, pageHeader("Application", { crumbs: [{ label: "Settings" }] }), form);
}

function metaGroup(meta) {
    return section("Application",
        h("div", { class: "form-row" },
            boundField("Application name", meta, "appName", "meta.appName", {}, { required: true }),
            boundField("Application URL", meta, "appURL", "meta.appURL", { type: "url" }, { required: true })),
        h("div", { class: "form-row" },
            boundField("Sender name", meta, "senderName", "meta.senderName", {}, { required: true }),
            boundField("Sender address", meta, "senderAddress", "meta.senderAddress", { type: "email" }, { required: true })),
        toggle("Hide collection create and edit controls", meta, "hideControls", {
            name: "meta.hideControls", help: "PocketBase's guard against accidental schema changes in production.",
        }));
}

function batchGroup(batch) {
    return section("Batch API",
        toggle("Enable the batch API (POST /api/batch)", batch, "enabled", { name: "batch.enabled" }),
        h("div", { class: "form-row" },
            boundField("Max requests per batch", batch, "maxRequests", "batch.maxRequests", { type: "number", min: 0, step: 1 }),
            boundField("Timeout (seconds)", batch, "timeout", "batch.timeout", { type: "number", min: 0, step: 1 }),
            boundField("Max body size (bytes)", batch, "maxBodySize", "batch.maxBodySize", { type: "number", min: 0, step: 1 },
                { help: "0 uses the default (128 MB)." })));
}

function logsGroup(logs) {
    return section("Logs",
        h("div", { class: "form-row" },
            boundField("Keep logs for (days)", logs, "maxDays", "logs.maxDays", { type: "number", min: 0, step: 1 },
                { help: "0 disables request logging." }),
            field("Minimum level", boundSelect(logs, "minLevel", LOG_LEVELS, { numeric: true }), { name: "logs.minLevel" })),
        toggle("Log the client IP", logs, "logIP", { name: "logs.logIP" }),
        toggle("Log the auth record id", logs, "logAuthId", { name: "logs.logAuthId" }));
}

function rateLimitsGroup(rl, redraw) {
    rl.rules ||= [];
    const rows = rl.rules.map((rule, i) => ruleRow(rule, i, () => { rl.rules.splice(i, 1); redraw(); }));
    const addBtn = h("button", {
        type: "button", class: "btn btn-small", "data-testid": "ratelimit-add",
        onclick: () => {
            rl.rules.push({ label: "", maxRequests: 300, duration: 10, audience: "" });
            redraw();
            document.querySelector(`[name="rateLimits.rules.${rl.rules.length - 1}.label"]`)?.focus();
        },
    }, "+ Add rule");
    return section("Rate limits",
        toggle("Enable rate limiting", rl, "enabled", { name: "rateLimits.enabled", help: "Superusers are never limited." }),
        h("div", { class: "form-field", dataset: { field: "rateLimits.rules" } },
            h("p", { class: "field-error", role: "alert" })),
        rows.length ? h("ol", { class: "rule-list", "aria-label": "Rate limit rules" }, rows) : h("p", { class: "muted" }, "No rules."),
        h("p", { class: "help muted" },
            "Labels: a tag like ", h("code", {}, "*:auth"), " or ", h("code", {}, "users:create"), ", a path like ",
            h("code", {}, "/api/"), " or ", h("code", {}, "POST /api/batch"), ". Duration is in seconds."),
        addBtn);
}

function ruleRow(rule, i, remove) {
    const p = `rateLimits.rules.${i}`;
    return h("li", { class: "rule-row", "data-testid": "ratelimit-rule" },
        boundField("Label", rule, "label", `${p}.label`, { class: "code", placeholder: "*:auth" }),
        boundField("Max requests", rule, "maxRequests", `${p}.maxRequests`, { type: "number", min: 1, step: 1 }),
        boundField("Duration (s)", rule, "duration", `${p}.duration`, { type: "number", min: 1, step: 1 }),
        field("Audience", boundSelect(rule, "audience", AUDIENCES), { name: `${p}.audience` }),
        h("button", {
            type: "button", class: "btn btn-small rule-remove", "aria-label": `Remove rule ${i + 1}${rule.label ? " (" + rule.label + ")" : ""}`,
            "data-testid": "ratelimit-remove", onclick: remove,
        }, "Remove"));
}

function proxyGroup(proxy, healthData) {
    // Headers are a string list; a comma-separated box is enough to edit them.
    const headers = { value: (proxy.headers || []).join(", ") };
    const input = boundInput(headers, "value", { class: "code", placeholder: "X-Forwarded-For, CF-Connecting-IP" });
    input.addEventListener("input", () => {
        proxy.headers = headers.value.split(",").map((s) => s.trim()).filter(Boolean);
    });
    const hint = healthData?.realIP
        ? h("p", { class: "help muted" }, `The server sees your IP as ${healthData.realIP}` +
            (healthData.possibleProxyHeader ? `; a proxy header was detected: ${healthData.possibleProxyHeader}.` : "."))
        : null;
    return section("Trusted proxy",
        field("Trusted proxy headers", input, { name: "trustedProxy.headers", help: "Comma separated; the first non-empty one gives the client IP." }),
        toggle("Use the leftmost IP of the header", proxy, "useLeftmostIP", { name: "trustedProxy.useLeftmostIP" }),
        hint);
}
