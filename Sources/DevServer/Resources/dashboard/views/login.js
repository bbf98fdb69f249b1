// The superuser login form (PocketBase's "/login" page).
import { auth, send } from "../api.js";
import { field, h, mount, setFieldErrors } from "../ui.js";

export async function render({ root, navigate }) {
    const email = h("input", { type: "email", name: "identity", autocomplete: "username", required: true });
    const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
    const message = h("p", { class: "form-message", role: "alert" });
    const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Login");
    const form = h("form", { class: "card auth-card", novalidate: true },
        h("h1", {}, "Superuser login"),
        field("Email", email, { name: "identity", required: true }),
        field("Password", password, { name: "password", required: true }),
        message, submit,
        h("p", { class: "center" }, h("a", { href: "#/request-password-reset", "data-testid": "forgot-password" }, "Forgotten password?")));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        message.textContent = "";
        submit.disabled = true;
        try {
            await logIn(email.value, password.value);
            navigate("/collections");
        } catch (err) {
            const unplaced = setFieldErrors(form, err.data);
            // PocketBase answers bad credentials with 400 "Failed to authenticate." and no field errors.
            message.textContent = err.status === 400 && !Object.keys(err.data || {}).length ? "Invalid login credentials." : (unplaced.join("; ") || err.message);
        } finally {
            submit.disabled = false;
        }
    });
    mount(root, h("div", { class: "auth-page" }, brand(), form));
    email.focus();
}

/** Password login as a superuser; the session is stored (login form and first-run setup). */
export async function logIn(identity, password) {
    const res = await send("/api/collections/_superusers/auth-with-password", { method: "POST", token: "", body: { identity, password } });
    auth.save(res.token, res.record);
}

export function brand() {
    return h("div", { class: "auth-brand" }, h("img", { src: "./favicon.svg", alt: "", width: 40, height: 40 }),
        h("span", {}, "sptfy-dev"), h("small", {}, "PocketBase 0.23.12-compatible"));
}
