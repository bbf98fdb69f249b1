// The Options tab of an auth collection: password/OAuth2/OTP/MFA settings, auth alerts and token durations.
// Secrets are never returned by the API, so a provider's client secret is only sent when the user typed one.
import { h, mount, nextId } from "../ui.js";
import { checkField, textField, numberField, listField, selectField, group, humanSeconds } from "./schema-ui.js";
import { ruleEditor } from "./schema-rules.js";

const TOKENS = [
    ["authToken", "Auth token", "How long a login stays valid."],
    ["passwordResetToken", "Password reset token", ""],
    ["emailChangeToken", "Email change token", ""],
    ["verificationToken", "Verification token", ""],
    ["fileToken", "File token", "For protected files."],
];

/** Providers PocketBase 0.23 ships (for the name suggestions). */
const KNOWN_PROVIDERS = ["apple", "bitbucket", "discord", "facebook", "gitea", "gitee", "github", "gitlab", "google",
    "instagram", "kakao", "linear", "livechat", "mailcow", "microsoft", "monday", "notion", "oidc", "oidc2", "oidc3",
    "patreon", "planningcenter", "spotify", "strava", "twitch", "twitter", "vk", "wakatime", "yandex"];

export function authSection(ed) {
    const d = ed.draft;
    // Older or partial JSON: make sure every section exists before inputs bind to it.
    d.passwordAuth ??= { enabled: true, identityFields: ["email"] };
    d.oauth2 ??= { providers: [], mappedFields: { id: "", name: "", username: "", avatarURL: "" }, enabled: false };
    d.oauth2.providers ??= [];
    d.oauth2.mappedFields ??= { id: "", name: "", username: "", avatarURL: "" };
    d.otp ??= { enabled: false, duration: 180, length: 8 };
    d.mfa ??= { enabled: false, duration: 1800, rule: "" };
    d.authAlert ??= { enabled: true };
    for (const [k] of TOKENS) d[k] ??= { duration: 0 };

    const isSuperusers = d.name === "_superusers" && d.system;
    const set = (obj, key, after) => (v) => { obj[key] = v; ed.changed(); after?.(v); };
    const fieldList = h("datalist", { id: nextId("fieldnames") });
    const drawFieldList = () => mount(fieldList, ed.rows.filter((r) => !r.removed).map((r) => h("option", { value: r.field.name })));
    drawFieldList();

    const providerBox = h("div", { class: "ce-providers" });
    const providerList = h("datalist", { id: nextId("providers") }, KNOWN_PROVIDERS.map((p) => h("option", { value: p })));
    const drawProviders = () => mount(providerBox,
        d.oauth2.providers.length ? d.oauth2.providers.map((p, i) => providerCard(ed, p, i, drawProviders, providerList.id))
            : h("p", { class: "muted" }, "No OAuth2 provider configured."),
        h("button", {
            type: "button", class: "btn btn-small", "data-testid": "add-provider",
            onclick: () => {
                d.oauth2.providers.push({ name: "", displayName: "", clientId: "", clientSecret: "", authURL: "", tokenURL: "", userInfoURL: "", pkce: null, extra: null });
                ed.providersDirty = true;
                ed.changed();
                drawProviders();
                providerBox.querySelectorAll(".ce-provider")[d.oauth2.providers.length - 1]?.querySelector("input")?.focus();
            },
        }, "+ Add provider"));
    drawProviders();

    const durationField = (obj, key, label, name, help = "") => {
        const hint = h("span", { class: "muted" });
        const upd = () => { hint.textContent = humanSeconds(obj[key]); };
        upd();
        const el = numberField(label, obj[key], set(obj, key, upd), { name, min: 0, help });
        el.querySelector("label").append(" ", hint);
        return el;
    };

    const mf = d.oauth2.mappedFields;
    const el = h("section", { class: "ce-section ce-auth", "aria-label": "Auth options" },
        fieldList, providerList,
        group("Password auth",
            checkField("Enable email/password (identity/password) auth", d.passwordAuth.enabled, set(d.passwordAuth, "enabled"), { name: "passwordAuth.enabled" }),
            listField("Identity fields", d.passwordAuth.identityFields, set(d.passwordAuth, "identityFields"), {
                name: "passwordAuth.identityFields", code: true, placeholder: "email, username",
                help: "Comma separated; each must be a field with a unique index (email always has one).",
            })),
        isSuperusers ? null : group("OAuth2",
            checkField("Enable OAuth2 auth", d.oauth2.enabled, set(d.oauth2, "enabled"), { name: "oauth2.enabled" }),
            h("h3", { class: "ce-subhead" }, "Providers"),
            providerBox,
            h("h3", { class: "ce-subhead" }, "Map OAuth2 user data to fields of a new record"),
            h("div", { class: "form-row" },
                [["id", "OAuth2 id →"], ["name", "OAuth2 name →"], ["username", "OAuth2 username →"], ["avatarURL", "OAuth2 avatar →"]].map(([k, label]) =>
                    textField(label, mf[k], set(mf, k), { name: `oauth2.mappedFields.${k}`, code: true, list: fieldList.id, placeholder: "field name" })))),
        group("One-time password (OTP)",
            checkField("Enable OTP (email code)", d.otp.enabled, set(d.otp, "enabled"), { name: "otp.enabled" }),
            h("div", { class: "form-row" },
                durationField(d.otp, "duration", "Duration (seconds)", "otp.duration"),
                numberField("Password length", d.otp.length, set(d.otp, "length"), { name: "otp.length", min: 0 }))),
        group("Multi-factor auth (MFA)",
            checkField("Enable MFA (a second, different method is required)", d.mfa.enabled, set(d.mfa, "enabled"), { name: "mfa.enabled", help: "Needs at least two auth methods enabled." }),
            h("div", { class: "form-row" }, durationField(d.mfa, "duration", "MFA session duration (seconds)", "mfa.duration")),
            ruleEditor(d.mfa, "rule", "MFA rule", "Records matching it must use MFA; empty = everyone.", ed, undefined, { nullable: false, fieldKey: "mfa.rule" })),
        group("Auth alert",
            checkField("Email an alert on a login from a new device", d.authAlert.enabled, set(d.authAlert, "enabled"), { name: "authAlert.enabled" })),
        group("Token durations",
            h("div", { class: "form-row" }, TOKENS.map(([k, label, help]) => durationField(d[k], "duration", `${label} (seconds)`, `${k}.duration`, help)))));
    return { el, refresh: drawFieldList };
}

function providerCard(ed, p, index, redraw, listId) {
    const key = (k) => `oauth2.providers.${index}.${k}`;
    const set = (k) => (v) => { p[k] = v; ed.providersDirty = true; ed.changed(); };
    // A provider loaded from the server has a stored (hidden) secret; one added here doesn't.
    const stored = !!ed.original?.oauth2?.providers?.some((o) => o.name === p.name);
    const extraText = p.extra == null ? "" : JSON.stringify(p.extra, null, 2);
    const extra = textField("Extra (JSON object)", extraText, (v) => {
        const wrapper = extra;
        const err = wrapper.querySelector(".field-error");
        if (!v.trim()) { set("extra")(null); err.textContent = ""; return; }
        try {
            const parsed = JSON.parse(v);
            set("extra")(parsed);
            err.textContent = "";
        } catch {
            err.textContent = "Not valid JSON yet: the previous value is kept.";
        }
    }, { name: key("extra"), code: true, rows: 2, placeholder: "{}", help: "Provider specific settings (e.g. for oidc)." });
    return h("fieldset", { class: "ce-provider", "data-testid": "provider", dataset: { name: p.name } },
        h("legend", {}, p.displayName || p.name || "New provider"),
        h("div", { class: "form-row" },
            textField("Name", p.name, set("name"), { name: key("name"), code: true, list: listId, required: true }),
            textField("Display name", p.displayName, set("displayName"), { name: key("displayName") }),
            textField("Client ID", p.clientId, set("clientId"), { name: key("clientId"), code: true }),
            textField("Client secret", p.clientSecret ?? "", set("clientSecret"), {
                name: key("clientSecret"), type: "password", autocomplete: "new-password",
                placeholder: stored ? "•••••• (stored, hidden)" : "",
                help: stored ? "The API never returns secrets: leave empty to keep the stored one." : "",
            })),
        h("div", { class: "form-row" },
            textField("Auth URL", p.authURL, set("authURL"), { name: key("authURL"), code: true, type: "url", placeholder: "provider default" }),
            textField("Token URL", p.tokenURL, set("tokenURL"), { name: key("tokenURL"), code: true, type: "url", placeholder: "provider default" }),
            textField("User info URL", p.userInfoURL, set("userInfoURL"), { name: key("userInfoURL"), code: true, type: "url", placeholder: "provider default" })),
        h("div", { class: "form-row" },
            selectField("PKCE", p.pkce, [[null, "Provider default"], [true, "On"], [false, "Off"]], set("pkce"), { name: key("pkce") }),
            extra),
        h("div", { class: "ce-provider-actions" },
            h("button", {
                type: "button", class: "btn btn-small", "data-testid": "remove-provider",
                onclick: () => { ed.draft.oauth2.providers.splice(index, 1); ed.providersDirty = true; ed.changed(); redraw(); },
            }, `Remove ${p.name || "provider"}`)));
}
