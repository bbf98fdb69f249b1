// Settings → Files storage: PocketBase's `s3` settings (uploaded files on an S3-compatible bucket instead of
// pb_data/storage) and its connection test (`POST /api/settings/test/s3` with `filesystem: "storage"`).
import { send } from "../api.js";
import { h, mount, pageHeader, setFieldErrors, showError, toast } from "../ui.js";
import { boundField, changedGroups, clone, formAlert, loadSettings, saveSettings, secretField, section, showFormAlert, toggle } from "./settings-common.js";

export async function render({ root }) {
    const header = pageHeader("Files storage", { crumbs: [{ label: "Settings" }] });
    mount(root, header, h("p", { class: "muted" }, "Loading…"));
    let original = clone(await loadSettings());
    let state = clone(original);

    const alertBox = formAlert();
    const saveBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save" }, "Save changes");
    const testBtn = h("button", { type: "button", class: "btn", "data-testid": "storage-s3-test" }, "Test S3 connection");
    const body = h("div", { class: "settings-groups" });
    const form = h("form", { class: "settings-form", novalidate: true, "data-testid": "settings-storage-form" }, alertBox, body,
        h("div", { class: "settings-actions" }, testBtn,
            h("button", { type: "button", class: "btn", onclick: () => { state = clone(original); draw(); } }, "Reset"), saveBtn));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const saved = await saveSettings(form, alertBox, changedGroups(original, state, ["s3"]), saveBtn);
        if (saved) { original = clone(saved); state = clone(saved); draw(); }
    });
    testBtn.addEventListener("click", async () => {
        if (changedGroups(original, state, ["s3"]).s3) { toast("Save the settings first: the test uses the stored ones.", "info"); return; }
        testBtn.disabled = true;
        try {
            await send("/api/settings/test/s3", { method: "POST", body: { filesystem: "storage" } });
            toast("S3 connection works.", "ok");
        } catch (err) {
            showError(err);
        } finally {
            testBtn.disabled = false;
        }
    });

    function draw() {
        setFieldErrors(form, {});
        showFormAlert(alertBox, "");
        const s3 = (state.s3 ||= {});
        testBtn.classList.toggle("hidden", !original.s3?.enabled);
        const fields = h("div", { class: s3.enabled ? "" : "hidden" },
            h("div", { class: "form-row" },
                boundField("Endpoint", s3, "endpoint", "s3.endpoint", { type: "url", placeholder: "https://s3.example.com" }, { required: true }),
                boundField("Bucket", s3, "bucket", "s3.bucket", {}, { required: true }),
                boundField("Region", s3, "region", "s3.region", {}, { required: true })),
            h("div", { class: "form-row" },
                boundField("Access key", s3, "accessKey", "s3.accessKey", { autocomplete: "off" }, { required: true }),
                secretField("Secret", s3, "secret", "s3.secret")),
            toggle("Force path-style addressing", s3, "forcePathStyle", { name: "s3.forcePathStyle", help: "Needed by some providers (e.g. MinIO)." }));
        mount(body, section("Uploaded files",
            h("p", { class: "muted" }, "By default PocketBase keeps uploaded files in pb_data/storage. Existing files are not moved when you switch."),
            toggle("Use S3 storage", s3, "enabled", {
                name: "s3.enabled",
                onchange: (on) => fields.classList.toggle("hidden", !on),
                help: "Off: files stay in pb_data/storage.",
            }),
            fields));
    }
    mount(root, header, form);
    draw();
}
