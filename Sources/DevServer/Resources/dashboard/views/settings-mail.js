// Settings → Mail: the SMTP section (stored like PocketBase does, though the dev server delivers every email to its
// dev mailbox) and the "Send test email" dialog.
import { auth, collections, send } from "../api.js";
import { field, h, modal, mount, pageHeader, setFieldErrors, toast } from "../ui.js";
import {
    boundField, boundSelect, changedGroups, clone, formAlert, loadSettings, saveSettings, secretField, section, showFormAlert, toggle,
} from "./settings-common.js";

const TEMPLATES = [
    ["verification", "Verification"], ["password-reset", "Password reset"], ["email-change", "Confirm email change"],
    ["otp", "One-time password (OTP)"], ["login-alert", "Login alert"],
];

export async function render({ root }) {
    const header = () => pageHeader("Mail settings", {
        crumbs: [{ label: "Settings" }],
        actions: [h("button", { type: "button", class: "btn", "data-testid": "mail-test", onclick: testEmailDialog }, "Send test email")],
    });
    mount(root, header(), h("p", { class: "muted" }, "Loading…"));
    let original = clone(await loadSettings());
    let state = clone(original);

    const alertBox = formAlert();
    const saveBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save" }, "Save changes");
    const body = h("div", { class: "settings-groups" });
    const form = h("form", { class: "settings-form", novalidate: true, "data-testid": "settings-mail-form" }, alertBox, body,
        h("div", { class: "settings-actions" },
            h("button", { type: "button", class: "btn", onclick: () => { state = clone(original); draw(); } }, "Reset"), saveBtn));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const saved = await saveSettings(form, alertBox, changedGroups(original, state, ["meta", "smtp"]), saveBtn);
        if (saved) { original = clone(saved); state = clone(saved); draw(); }
    });

    function draw() {
        setFieldErrors(form, {});
        showFormAlert(alertBox, "");
        mount(body, senderGroup(state.meta), smtpGroup(state.smtp));
    }
    draw();
    mount(root, header(),
        h("div", { class: "alert alert-info", "data-testid": "mail-devnote" },
            "The dev server never sends real email: every message (including test emails) lands in its ",
            h("a", { href: "#/dev/mailbox" }, "dev mailbox"), ". The SMTP settings below are stored for parity with PocketBase."),
        form);
}

function senderGroup(meta) {
    return section("Sender",
        h("div", { class: "form-row" },
            boundField("Sender name", meta, "senderName", "meta.senderName", {}, { required: true }),
            boundField("Sender address", meta, "senderAddress", "meta.senderAddress", { type: "email" }, { required: true })));
}

function smtpGroup(smtp) {
    const details = h("div", { class: "smtp-details" + (smtp.enabled ? "" : " hidden") },
        h("div", { class: "form-row" },
            boundField("SMTP host", smtp, "host", "smtp.host", { class: "code", placeholder: "smtp.example.com" }, { required: true }),
            boundField("Port", smtp, "port", "smtp.port", { type: "number", min: 0, step: 1 }, { required: true }),
            field("TLS encryption", tlsSelect(smtp), { name: "smtp.tls" })),
        h("div", { class: "form-row" },
            boundField("Username", smtp, "username", "smtp.username", { autocomplete: "off" }),
            secretField("Password", smtp, "password", "smtp.password")),
        h("div", { class: "form-row" },
            field("Auth method", boundSelect(smtp, "authMethod", [["", "Default (PLAIN)"], ["PLAIN", "PLAIN"], ["LOGIN", "LOGIN"]]), { name: "smtp.authMethod" }),
            boundField("EHLO/HELO domain", smtp, "localName", "smtp.localName", { class: "code", placeholder: "localhost" })));
    return section("SMTP",
        toggle("Use an SMTP mail server", smtp, "enabled", {
            name: "smtp.enabled", onchange: (on) => details.classList.toggle("hidden", !on),
            help: "Off: PocketBase uses the system's sendmail. Here, either way, mail goes to the dev mailbox.",
        }),
        details);
}

/** `smtp.tls` is a bool: "always TLS" vs. StartTLS when the server offers it. */
function tlsSelect(smtp) {
    const select = h("select", {},
        h("option", { value: "", selected: !smtp.tls }, "Auto (StartTLS)"), h("option", { value: "1", selected: !!smtp.tls }, "Always"));
    select.addEventListener("change", () => { smtp.tls = select.value === "1"; });
    return select;
}

/** Asks for an address, template and auth collection, then POST /api/settings/test/email. */
async function testEmailDialog() {
    const auths = (await collections.all().catch(() => [])).filter((c) => c.type === "auth");
    const email = h("input", { type: "email", name: "email", value: auth.record?.email || "", required: true, "data-testid": "mail-test-email" });
    const template = h("select", { name: "template", "data-testid": "mail-test-template" }, TEMPLATES.map(([v, l]) => h("option", { value: v }, l)));
    const coll = h("select", { name: "collection" }, (auths.length ? auths : [{ name: "_superusers" }]).map((c) =>
        h("option", { value: c.name, selected: c.name === "_superusers" }, c.name)));
    const message = h("p", { class: "form-message", role: "alert" });
    const form = h("form", { novalidate: true, onsubmit: (e) => e.preventDefault() },
        field("Send to", email, { name: "email", required: true }),
        field("Template", template, { name: "template" }),
        field("Auth collection (whose template is used)", coll, { name: "collection" }),
        message);
    await modal({
        title: "Send test email", body: form,
        actions: [
            { label: "Cancel", value: false },
            {
                label: "Send", kind: "primary", value: true,
                onClick: async () => {
                    message.textContent = "";
                    try {
                        await send("/api/settings/test/email", { method: "POST", body: { email: email.value.trim(), template: template.value, collection: coll.value } });
                    } catch (err) {
                        const unplaced = setFieldErrors(form, err.data);
                        message.textContent = [err.message, ...unplaced].join("\n");
                        return false;
                    }
                    toast(`Test email sent to ${email.value.trim()}; see the dev mailbox.`, "ok");
                    return true;
                },
            },
        ],
    });
}
