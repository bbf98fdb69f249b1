// First run (PocketBase's installer, "/pbinstal/:token"): create the first superuser with the one-time token the
// server printed (or handed to a loopback browser), then log in.
import { send, tokenPayload } from "../api.js";
import { field, h, mount, setFieldErrors, toast } from "../ui.js";
import { brand, logIn } from "./login.js";

export async function render({ root, params, navigate }) {
    const token = params.token;
    const payload = tokenPayload(token);
    try {
        if (!payload?.id) throw new Error("bad token");
        await send(`/api/collections/_superusers/records/${encodeURIComponent(payload.id)}`, { token });
    } catch {
        toast("The installer token is invalid or has expired.", "error");
        navigate("/login", {}, { replace: true });
        return;
    }
    const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
    const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true, minlength: 8 });
    const confirm = h("input", { type: "password", name: "passwordConfirm", autocomplete: "new-password", required: true });
    const message = h("p", { class: "form-message", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Create and Login");
    const form = h("form", { class: "card auth-card", novalidate: true },
        h("h1", {}, "Create your first superuser account in order to continue"),
        field("Email", email, { name: "email", required: true }),
        field("Password", password, { name: "password", required: true, help: "Minimum 8 characters." }),
        field("Confirm Password", confirm, { name: "passwordConfirm", required: true }),
        message, submit);
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        message.textContent = "";
        submit.disabled = true;
        try {
            await send("/api/collections/_superusers/records", {
                method: "POST", token, body: { email: email.value, password: password.value, passwordConfirm: confirm.value },
            });
            await logIn(email.value, password.value);
            navigate("/collections");
        } catch (err) {
            const unplaced = setFieldErrors(form, err.data);
            message.textContent = unplaced.length ? unplaced.join("; ") : (Object.keys(err.data || {}).length ? "" : err.message);
        } finally {
            submit.disabled = false;
        }
    });
    mount(root, h("div", { class: "auth-page" }, brand(), form));
    email.focus();
}
