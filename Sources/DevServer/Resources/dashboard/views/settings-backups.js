// Settings → Backups: the list (download, restore, delete), create and upload, and the backups settings
// (automatic cron backups, S3 storage).
import { auth, collections, send } from "../api.js";
import {
    confirmDialog, field, formatBytes, formatDate, h, modal, mount, nextId, pageHeader, setFieldErrors, showError, toast,
} from "../ui.js";
import {
    boundField, boundInput, changedGroups, clone, formAlert, loadSettings, saveSettings, secretField, section, toggle,
} from "./settings-common.js";

const NAME_PATTERN = /^[a-z0-9_-]+\.zip$/;
const CRON_PRESETS = [
    ["", "Presets…"], ["0 0 * * *", "Every day at 00:00"], ["0 0 * * 0", "Every Sunday at 00:00"],
    ["0 0 * * 1,3", "Monday and Wednesday at 00:00"], ["0 0 1 * *", "First day of the month at 00:00"], ["0 * * * *", "Every hour"],
];

export async function render({ root }) {
    const tbody = h("tbody");
    const status = h("div", { class: "alert alert-info hidden", role: "status", "data-testid": "backup-status" });
    const uploadInput = h("input", { type: "file", accept: ".zip,application/zip", class: "visually-hidden", tabindex: "-1", "aria-hidden": "true", "data-testid": "backup-upload" });
    const busyButtons = [];
    const setBusy = (on) => busyButtons.forEach((b) => { b.disabled = on; });
    const setStatus = (text, kind = "info") => {
        status.textContent = text || "";
        status.className = `alert alert-${kind}` + (text ? "" : " hidden");
    };

    // The settings form is reloaded after a restore too: the backup brings its own settings.
    function loadSettingsForm() {
        const box = root.querySelector(".backups-settings");
        settingsForm(box, reload).catch((err) => mount(box, h("div", { class: "alert alert-error" }, err.message)));
    }

    async function reload() {
        mount(tbody, h("tr", {}, h("td", { colspan: 4, class: "muted" }, "Loading…")));
        try {
            const list = await send("/api/backups");
            list.sort((a, b) => String(b.modified).localeCompare(String(a.modified)));
            mount(tbody, list.length ? list.map((b) => row(b, actions)) : h("tr", {}, h("td", { colspan: 4, class: "empty" }, "No backups yet.")));
        } catch (err) {
            mount(tbody, h("tr", {}, h("td", { colspan: 4 }, h("div", { class: "alert alert-error" }, err.message))));
        }
    }

    const actions = {
        download: downloadBackup,
        remove: async (b) => {
            if (!await confirmDialog(`Delete the backup "${b.key}"?`, { confirmLabel: "Delete", danger: true })) return;
            try { await send(`/api/backups/${encodeURIComponent(b.key)}`, { method: "DELETE" }); toast(`Deleted ${b.key}.`, "ok"); } catch (err) { showError(err); }
            reload();
        },
        restore: async (b) => {
            const ok = await confirmDialog(
                `Restore "${b.key}"?\n\nEverything in pb_data (records, collections, settings, uploaded files) is replaced by the backup's ` +
                "content and the server reloads. Changes made since the backup are lost. If the backup has other superusers, you will have to log in again.",
                { confirmLabel: "Restore", danger: true });
            if (!ok) return;
            setBusy(true);
            try {
                await send(`/api/backups/${encodeURIComponent(b.key)}/restore`, { method: "POST" });
                setStatus(`Restoring ${b.key}… waiting for the server.`);
                await waitForServer();
                collections.invalidate();  // the backup may hold another schema
                await checkSession();
                setStatus(`Restored ${b.key}. The data now matches the backup.`, "ok");
                toast(`Backup ${b.key} restored.`, "ok");
            } catch (err) {
                setStatus("Restore failed: " + err.message, "error");
            } finally {
                setBusy(false);
                // Not after a forced logout: the login page has taken over.
                if (auth.isValid) { reload(); loadSettingsForm(); }
            }
        },
    };

    const createBtn = h("button", { type: "button", class: "btn btn-primary", "data-testid": "backup-create", onclick: async () => { if (await createDialog()) reload(); } }, "New backup");
    const uploadBtn = h("button", { type: "button", class: "btn", "data-testid": "backup-upload-button", onclick: () => uploadInput.click() }, "Upload backup");
    const refreshBtn = h("button", { type: "button", class: "btn", onclick: reload }, "Refresh");
    busyButtons.push(createBtn, uploadBtn);
    uploadInput.addEventListener("change", async () => {
        const file = uploadInput.files?.[0];
        if (!file) return;
        const body = new FormData();
        body.append("file", file);
        uploadBtn.disabled = true;
        try {
            await send("/api/backups/upload", { method: "POST", body });
            toast(`Uploaded ${file.name}.`, "ok");
        } catch (err) {
            showError(new Error([err.message, ...Object.values(err.data || {}).map((v) => v?.message).filter(Boolean)].join(" ")));
        } finally {
            uploadBtn.disabled = false;
            uploadInput.value = "";
            reload();
        }
    });

    const table = h("div", { class: "table-wrap" },
        h("table", { class: "data backups-table", "data-testid": "backup-list" },
            h("caption", { class: "visually-hidden" }, "Backups"),
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col", class: "num" }, "Size"),
                h("th", { scope: "col" }, "Modified"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
            tbody));

    mount(root,
        pageHeader("Backups", { crumbs: [{ label: "Settings" }], actions: [refreshBtn, uploadBtn, createBtn, uploadInput] }),
        status, table,
        h("div", { class: "backups-settings" }, h("p", { class: "muted" }, "Loading backup settings…")));
    reload();
    loadSettingsForm();
}

function row(b, actions) {
    return h("tr", { "data-testid": "backup-row", dataset: { key: b.key } },
        h("td", { class: "mono", title: b.key }, b.key),
        h("td", { class: "num" }, formatBytes(b.size)),
        h("td", {}, formatDate(b.modified)),
        h("td", { class: "row-actions" }, h("div", { class: "row-buttons" },
            h("button", { type: "button", class: "btn btn-small", "data-testid": "backup-download", "aria-label": `Download ${b.key}`, onclick: () => actions.download(b) }, "Download"),
            h("button", { type: "button", class: "btn btn-small", "data-testid": "backup-restore", "aria-label": `Restore ${b.key}`, onclick: () => actions.restore(b) }, "Restore"),
            h("button", { type: "button", class: "btn btn-small btn-danger", "data-testid": "backup-delete", "aria-label": `Delete ${b.key}`, onclick: () => actions.remove(b) }, "Delete"))));
}

/** Downloads need a short-lived superuser file token in the query (a plain link can't send the header). */
async function downloadBackup(b) {
    try {
        const { token } = await send("/api/files/token", { method: "POST" });
        const a = h("a", { href: `/api/backups/${encodeURIComponent(b.key)}?token=${encodeURIComponent(token)}`, download: b.key });
        document.body.append(a);
        a.click();
        a.remove();
    } catch (err) {
        showError(err);
    }
}

/** The optional-name dialog; resolves true once a backup was created. */
async function createDialog() {
    const name = h("input", { type: "text", name: "name", class: "code", placeholder: "pb_backup_20250101000000.zip", autocomplete: "off", "data-testid": "backup-name" });
    const message = h("p", { class: "form-message", role: "alert" });
    const form = h("form", { novalidate: true, onsubmit: (e) => e.preventDefault() },
        field("Backup name", name, { name: "name", help: "Optional. Lowercase letters, digits, _ and -, ending in .zip. Empty: a name with the current date." }),
        h("p", { class: "muted" }, "The whole pb_data folder is archived; the server refuses writes for the few moments it takes."),
        message);
    const result = await modal({
        title: "New backup", body: form,
        actions: [
            { label: "Cancel", value: false },
            {
                label: "Start backup", kind: "primary", value: true,
                onClick: async () => {
                    message.textContent = "";
                    const value = name.value.trim();
                    if (value && !NAME_PATTERN.test(value)) {
                        setFieldErrors(form, { name: { message: "Must be lowercase letters, digits, _ or - and end with .zip." } });
                        return false;
                    }
                    try {
                        await send("/api/backups", { method: "POST", body: value ? { name: value } : {} });
                    } catch (err) {
                        const unplaced = setFieldErrors(form, err.data);
                        message.textContent = [err.message, ...unplaced].join("\n");
                        return false;
                    }
                    toast("Backup created.", "ok");
                    return true;
                },
            },
        ],
    });
    return result === true;
}

/**
 * After a restore the server swaps its storage (PocketBase restarts ~1 s after the 204): poll /api/health until it
 * answers again and no backup/restore is running.
 */
async function waitForServer(timeoutMs = 60000) {
    await sleep(1200);
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
        try {
            const res = await fetch("/api/health", { headers: auth.token ? { Authorization: auth.token } : {} });
            if (res.ok) {
                const body = await res.json();
                if (body?.data?.canBackup !== false) return;
            }
        } catch { /* still restarting */ }
        await sleep(700);
    }
    throw new Error("The server did not come back within a minute.");
}

/** The restored data may have other superusers: renew the token, or send the user to the login form. */
async function checkSession() {
    try {
        const res = await send("/api/collections/_superusers/auth-refresh", { method: "POST" });
        auth.save(res.token, res.record);
    } catch (err) {
        if (err.status === 401 || err.status === 403 || err.status === 404) {
            toast("The restored backup doesn't know your session: please log in again.", "info", 8000);
            auth.clear();
            location.hash = "#/login";
            throw new Error("Session ended by the restore.");
        }
        throw err;
    }
}

/** The cron input with a presets menu beside it (one labelled field, so errors land under both). */
function cronInputField(b) {
    const input = boundInput(b, "cron", { id: nextId("cron"), name: "backups.cron", class: "code", placeholder: "0 0 * * *", "data-testid": "backup-cron" });
    const errorId = input.id + "-error";
    input.setAttribute("aria-describedby", `${errorId} ${input.id}-help`);
    const preset = h("select", { "aria-label": "Cron presets" }, CRON_PRESETS.map(([v, l]) => h("option", { value: v }, l)));
    preset.addEventListener("change", () => {
        if (!preset.value) return;
        input.value = preset.value;
        input.dispatchEvent(new Event("input"));
        preset.value = "";
        input.focus();
    });
    return h("div", { class: "form-field", dataset: { field: "backups.cron" } },
        h("label", { for: input.id }, "Schedule (cron)"),
        h("div", { class: "input-addon" }, input, preset),
        h("p", { class: "help", id: `${input.id}-help` }, "Five fields: minute hour day month weekday (UTC). Empty disables automatic backups."),
        h("p", { class: "field-error", id: errorId, role: "alert" }));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Backups settings: cron schedule, how many to keep, S3 storage (+ connection test). */
async function settingsForm(box, onSaved) {
    let original = clone(await loadSettings());
    let state = clone(original);
    const alertBox = formAlert();
    const saveBtn = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "settings-save" }, "Save backup settings");
    const testBtn = h("button", { type: "button", class: "btn", "data-testid": "backup-s3-test" }, "Test S3 connection");
    const body = h("div");
    const form = h("form", { class: "settings-form", novalidate: true, "data-testid": "backups-settings-form" }, alertBox, body,
        h("div", { class: "settings-actions" }, testBtn, saveBtn));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const saved = await saveSettings(form, alertBox, changedGroups(original, state, ["backups"]), saveBtn);
        if (!saved) return;
        // Switching between local and S3 storage changes which backups exist.
        const storageChanged = JSON.stringify(original.backups?.s3) !== JSON.stringify(saved.backups?.s3);
        original = clone(saved);
        state = clone(saved);
        draw();
        if (storageChanged) onSaved?.();
    });
    testBtn.addEventListener("click", async () => {
        if (changedGroups(original, state, ["backups"]).backups) { toast("Save the settings first: the test uses the stored ones.", "info"); return; }
        testBtn.disabled = true;
        testBtn.textContent = "Testing…";
        try {
            await send("/api/settings/test/s3", { method: "POST", body: { filesystem: "backups" } });
            toast("S3 connection works.", "ok");
        } catch (err) {
            showError(err);
        } finally {
            testBtn.disabled = false;
            testBtn.textContent = "Test S3 connection";
        }
    });

    function draw() {
        const b = state.backups;
        b.s3 ||= {};
        testBtn.classList.toggle("hidden", !b.s3.enabled);
        const cronField = cronInputField(b);
        const s3 = b.s3;
        const s3Fields = h("div", { class: s3.enabled ? "" : "hidden" },
            h("div", { class: "form-row" },
                boundField("Endpoint", s3, "endpoint", "backups.s3.endpoint", { type: "url", placeholder: "https://s3.example.com" }, { required: true }),
                boundField("Bucket", s3, "bucket", "backups.s3.bucket", {}, { required: true }),
                boundField("Region", s3, "region", "backups.s3.region", {}, { required: true })),
            h("div", { class: "form-row" },
                boundField("Access key", s3, "accessKey", "backups.s3.accessKey", { autocomplete: "off" }, { required: true }),
                secretField("Secret", s3, "secret", "backups.s3.secret")),
            toggle("Force path-style addressing", s3, "forcePathStyle", { name: "backups.s3.forcePathStyle", help: "Needed by some providers (e.g. MinIO)." }));
        mount(body,
            section("Automatic backups",
                h("div", { class: "cron-row" }, cronField,
                    boundField("Keep the latest", b, "cronMaxKeep", "backups.cronMaxKeep", { type: "number", min: 1, step: 1 },
                        { help: "Older automatic backups are deleted." }))),
            section("Storage",
                toggle("Store backups in S3", s3, "enabled", {
                    name: "backups.s3.enabled",
                    onchange: (on) => { s3Fields.classList.toggle("hidden", !on); testBtn.classList.toggle("hidden", !on); },
                    help: "Off: backups are kept in pb_data/backups.",
                }),
                s3Fields));
    }
    draw();
    mount(box, h("h2", { class: "settings-subtitle" }, "Backup settings"), form);
}
