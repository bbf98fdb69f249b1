// The record editor: a wide modal to view, create, edit or delete one record of a collection.
import { recordsPath, send } from "../api.js";
import { confirmDialog, h, modal, setFieldErrors, toast } from "../ui.js";
import { isEditableField, recordInput } from "./record-inputs.js";

/**
 * Opens the editor for `record` of `collection` (null = a new record). Resolves "saved", "deleted" or null.
 * View collections open read-only.
 */
export async function openRecordEditor(collection, record) {
    const readOnly = collection.type === "view";
    const ctx = { collection, readOnly };
    const fields = collection.fields.filter(isEditableField);
    const inputs = fields.map((f) => recordInput(f, record, ctx));
    const message = h("p", { class: "form-message", role: "alert" });
    const form = h("form", { class: "record-form", "data-testid": "record-form", novalidate: true },
        readOnly ? h("p", { class: "alert alert-info" }, "View collection records are read-only.") : null,
        inputs.map((i) => i.node), message,
        // Enter in a text input submits through this default button (the visible Save is in the modal footer).
        h("button", { type: "submit", class: "visually-hidden", tabindex: "-1", "aria-hidden": "true" }, "Save"));

    const save = async () => {
        message.textContent = "";
        // Client-side checks first (invalid JSON, too many files): shown like server errors.
        const local = {};
        for (const [i, input] of inputs.entries()) {
            const problem = input.check();
            if (problem) local[fields[i].name] = { code: "client", message: problem };
        }
        if (Object.keys(local).length) { setFieldErrors(form, local); return false; }

        const out = { data: {}, files: [], fileChanged: false };
        for (const input of inputs) input.collect(out, { onlyChanged: !!record });
        if (record && !out.fileChanged && !Object.keys(out.data).length) { toast("Nothing changed."); return true; }

        let body = out.data;
        if (out.fileChanged) {
            // Like the JS SDK: non-file values travel as JSON in `@jsonPayload` (no multipart type inference).
            body = new FormData();
            body.append("@jsonPayload", JSON.stringify(out.data));
            for (const [key, file] of out.files) body.append(key, file, file.name);
        }
        try {
            const saved = await send(recordsPath(collection.name, record?.id), { method: record ? "PATCH" : "POST", body });
            toast(record ? `Saved record ${saved.id}.` : `Created record ${saved.id}.`, "ok");
            return true;
        } catch (err) {
            const unplaced = setFieldErrors(form, err.data);
            message.textContent = [err.message, ...unplaced].join(" ");
            if (!unplaced.length && Object.keys(err.data || {}).length) message.textContent = err.message + " See the highlighted fields.";
            return false;
        }
    };

    const remove = async () => {
        if (!await confirmDialog(`Delete record ${record.id} from ${collection.name}?`, { confirmLabel: "Delete", danger: true })) return false;
        try {
            await send(recordsPath(collection.name, record.id), { method: "DELETE" });
        } catch (err) {
            message.textContent = err.message;
            return false;
        }
        toast(`Deleted record ${record.id}.`, "ok");
        return true;
    };

    const actions = readOnly ? [{ label: "Close", value: null }] : [
        record ? { label: "Delete", kind: "danger", value: "deleted", onClick: remove, testid: "record-delete" } : null,
        { label: "Cancel", value: null, testid: "record-cancel" },
        { label: record ? "Save changes" : "Create", kind: "primary", value: "saved", onClick: save, testid: "record-save" },
    ].filter(Boolean);

    const title = `${readOnly ? "View" : record ? "Edit" : "New"} ${collection.name} record` + (record ? ` ${record.id}` : "");
    const result = modal({ title, body: form, actions, wide: true });

    // modal() builds its dialog synchronously: tag its buttons for tests and wire Enter-to-save.
    const dlg = [...document.querySelectorAll("dialog.modal")].at(-1);
    dlg.classList.add("record-dialog");
    const buttons = dlg.querySelectorAll(".modal-actions button");
    actions.forEach((a, i) => { if (a.testid && buttons[i]) buttons[i].dataset.testid = a.testid; });
    const saveButton = dlg.querySelector('[data-testid="record-save"]');
    form.addEventListener("submit", (e) => { e.preventDefault(); if (saveButton && !saveButton.disabled) saveButton.click(); });
    form.querySelector("input:not([readonly]):not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([readonly])")?.focus();
    return result;
}
