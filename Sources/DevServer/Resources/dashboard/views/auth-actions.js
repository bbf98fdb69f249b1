// The pages PocketBase's own emails and OAuth2 redirect point at (`/_/#/auth/...`), and the superuser password
// reset: without them the links in the dev mailbox and the all-in-one OAuth2 popup would land on the login form.
// Record actions are sent without the superuser's token, as PocketBase's UI does ("a custom client").
import { send, tokenPayload } from "../api.js";
import { field, h, mount, setFieldErrors } from "../ui.js";
import { brand } from "./login.js";

export async function render(ctx) {
    const parts = ctx.path.split("/").filter(Boolean);
    // `/auth/<action>` (and 0.22's `/users/<action>`) act on a record; the rest are the superuser's own pages.
    const record = parts[0] === "auth" || parts[0] === "users";
    const action = record ? parts[1] : parts[0];
    const page = record ? RECORD_PAGES[action] : SUPERUSER_PAGES[action];
    if (!page) return ctx.navigate("/login", {}, { replace: true });
    const body = await page(ctx);
    mount(ctx.root, h("div", { class: "auth-page" }, brand(), body));
    ctx.root.querySelector("input")?.focus();
}

const RECORD_PAGES = {
    "confirm-password-reset": (ctx) => recordReset(ctx),
    "confirm-verification": (ctx) => recordVerification(ctx),
    "confirm-email-change": (ctx) => recordEmailChange(ctx),
    "oauth2-redirect-success": () => oauth2Done(true),
    "oauth2-redirect-failure": () => oauth2Done(false),
};
const SUPERUSER_PAGES = {
    "request-password-reset": () => superuserRequestReset(),
    "confirm-password-reset": (ctx) => superuserReset(ctx),
};

const payloadOf = (token) => { try { return tokenPayload(token) || {}; } catch { return {}; } };
const expired = (payload) => typeof payload.exp === "number" && payload.exp * 1000 <= Date.now();

function done(lines, { close = true, back = false } = {}) {
    return h("div", { class: "card auth-card", "data-testid": "auth-action-done" },
        h("div", { class: "alert alert-ok", role: "status" }, lines.map((l) => h("p", {}, l))),
        close ? h("button", { type: "button", class: "btn btn-block", onclick: () => window.close() }, "Close") : null,
        back ? h("p", { class: "center" }, h("a", { href: "#/login" }, "Back to login")) : null);
}

/** A password form posting `body(values)` to `path`; PocketBase's field errors land under their inputs. */
function passwordForm({ title, fields, submitLabel, path, body, onDone, footer }) {
    const inputs = fields.map(([name, label]) => [name, label, h("input", { type: "password", name, required: true, autocomplete: "new-password" })]);
    const message = h("p", { class: "form-message", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, submitLabel);
    const form = h("form", { class: "card auth-card", novalidate: true, "data-testid": "auth-action-form" },
        h("h1", {}, ...title), ...inputs.map(([name, label, input]) => field(label, input, { name, required: true })), message, submit, footer || null);
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        message.textContent = "";
        submit.disabled = true;
        const values = Object.fromEntries(inputs.map(([name, , input]) => [name, input.value]));
        try {
            await send(path, { method: "POST", token: "", body: body(values) });
            form.replaceWith(onDone());
        } catch (err) {
            const unplaced = setFieldErrors(form, err.data);
            message.textContent = [err.message, ...unplaced].join("\n");
        } finally {
            submit.disabled = false;
        }
    });
    return form;
}

function recordReset({ params }) {
    const payload = payloadOf(params.token);
    return passwordForm({
        title: ["Reset your user password", ...(payload.email ? [" for ", h("strong", {}, payload.email)] : [])],
        fields: [["password", "New password"], ["passwordConfirm", "New password confirm"]],
        submitLabel: "Set new password",
        path: `/api/collections/${encodeURIComponent(payload.collectionId || "_")}/confirm-password-reset`,
        body: (v) => ({ token: params.token, ...v }),
        onDone: () => done(["Successfully changed the user password.", "You can now sign in with your new password."]),
    });
}

function recordEmailChange({ params }) {
    const payload = payloadOf(params.token);
    return passwordForm({
        title: ["Type your password to confirm changing your email address", ...(payload.newEmail ? [" to ", h("strong", {}, payload.newEmail)] : [])],
        fields: [["password", "Password"]],
        submitLabel: "Confirm new email",
        path: `/api/collections/${encodeURIComponent(payload.collectionId || "_")}/confirm-email-change`,
        body: (v) => ({ token: params.token, ...v }),
        onDone: () => done(["Successfully changed the user email address.", "You can now sign in with your new email address."]),
    });
}

/** Confirms on arrival; an expired token offers to send a new link (PocketBase's "Resend"). */
async function recordVerification({ params }) {
    const payload = payloadOf(params.token);
    try {
        await send(`/api/collections/${encodeURIComponent(payload.collectionId || "_")}/confirm-verification`,
            { method: "POST", token: "", body: { token: params.token } });
        return done(["Successfully verified email address."]);
    } catch { /* shown below */ }
    const box = h("div", { class: "card auth-card", "data-testid": "auth-action-failed" },
        h("div", { class: "alert alert-error", role: "alert" }, "Invalid or expired verification token."));
    if (params.token && expired(payload) && payload.collectionId && payload.email) {
        const resend = h("button", { type: "button", class: "btn btn-block" }, "Resend");
        resend.addEventListener("click", async () => {
            resend.disabled = true;
            try {
                await send(`/api/collections/${encodeURIComponent(payload.collectionId)}/request-verification`,
                    { method: "POST", token: "", body: { email: payload.email } });
                box.replaceWith(done(["Please check your email for the new verification link."]));
            } catch (err) {
                box.append(h("p", { class: "form-message", role: "alert" }, err.message));
                resend.disabled = false;
            }
        });
        box.append(resend);
    }
    return box;
}

/** Where `/api/oauth2-redirect` sends the all-in-one OAuth2 popup; the SDK already has the result via realtime. */
function oauth2Done(ok) {
    setTimeout(() => window.close(), 0);
    return h("div", { class: "card auth-card center", "data-testid": ok ? "oauth2-success" : "oauth2-failure" },
        h("h1", {}, ok ? "Auth completed." : "Auth failed."),
        h("p", { class: "muted" }, ok ? "You can close this window and go back to the app." : "You can close this window and go back to the app to try again."));
}

function superuserRequestReset() {
    const email = h("input", { type: "email", name: "email", required: true, autocomplete: "username" });
    const message = h("p", { class: "form-message", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Send recovery link");
    const form = h("form", { class: "card auth-card", novalidate: true, "data-testid": "auth-action-form" },
        h("h1", {}, "Forgotten superuser password"),
        h("p", { class: "muted center" }, "Enter the email associated with your account and we’ll send you a recovery link:"),
        field("Email", email, { name: "email", required: true }), message, submit,
        h("p", { class: "center" }, h("a", { href: "#/login" }, "Back to login")));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        message.textContent = "";
        submit.disabled = true;
        try {
            await send("/api/collections/_superusers/request-password-reset", { method: "POST", token: "", body: { email: email.value } });
            form.replaceWith(h("div", { class: "card auth-card", "data-testid": "auth-action-done" },
                h("div", { class: "alert alert-ok", role: "status" }, "Check ", h("strong", {}, email.value), " for the recovery link.",
                    h("p", { class: "muted" }, "The dev server delivers it to the dev mailbox (Dev → Mailbox, or GET /api/sptfy-dev/mails).")),
                h("p", { class: "center" }, h("a", { href: "#/login" }, "Back to login"))));
        } catch (err) {
            const unplaced = setFieldErrors(form, err.data);
            message.textContent = [err.message, ...unplaced].join("\n");
        } finally {
            submit.disabled = false;
        }
    });
    return form;
}

function superuserReset({ params }) {
    const payload = payloadOf(params.token);
    return passwordForm({
        title: ["Reset your superuser password", ...(payload.email ? [" for ", h("strong", {}, payload.email)] : [])],
        fields: [["password", "New password"], ["passwordConfirm", "New password confirm"]],
        submitLabel: "Set new password",
        path: "/api/collections/_superusers/confirm-password-reset",
        body: (v) => ({ token: params.token, ...v }),
        onDone: () => done(["Your password was changed.", "You can now log in with the new password."], { close: false, back: true }),
        footer: h("p", { class: "center" }, h("a", { href: "#/login" }, "Back to login")),
    });
}
