// State: throw the data away and go back to the fixture world, or save/restore named snapshots of the data dir.
import { collections, send } from "../api.js";
import { confirmDialog, field, h, mount, showError, toast } from "../ui.js";
import { card, countsCard } from "./dev-common.js";

const api = "/api/sptfy-dev";
/** The snapshot the server takes on first start; reset restores it. */
const INITIAL = "initial";

export async function render(el) {
    const counts = countsCard();
    const list = h("div", {}, h("p", { class: "muted" }, "Loading…"));
    let names = [];

    /** After the data changed under the dashboard: schema cache, counts and list are stale. */
    async function afterChange() {
        collections.invalidate();
        counts.refresh(true);
        await loadSnapshots();
    }

    async function loadSnapshots() {
        try {
            names = await send(api + "/snapshots");
            mount(list, names.length
                ? h("ul", { class: "dev-snapshots", "aria-label": "Snapshots" }, names.map((name) => snapshotRow(name, afterChange)))
                : h("p", { class: "empty" }, "No snapshots yet."));
        } catch (err) {
            mount(list, h("p", { class: "alert alert-error" }, "Could not list snapshots: " + err.message));
        }
    }

    const resetBtn = h("button", {
        type: "button", class: "btn btn-danger", "data-testid": "dev-reset",
        onclick: async () => {
            const ok = await confirmDialog("Reset every collection to the initial fixture state?\nAll records, files and schema changes made since the server was first started are lost (snapshots are kept).",
                { confirmLabel: "Reset", danger: true });
            if (!ok) return;
            resetBtn.disabled = true;
            try {
                await send(api + "/reset", { method: "POST" });
                toast("Reset to the initial fixture state.", "ok");
                await afterChange();
            } catch (err) { showError(err); } finally { resetBtn.disabled = false; }
        },
    }, "Reset to the initial fixture state");

    mount(el,
        card("Reset", { id: "dev-reset-card" },
            h("p", { class: "dev-lead" }, "Puts the data directory back the way it was right after the first start: schema, superuser and the fixture world."),
            resetBtn),
        card("Snapshots", { id: "dev-snapshots", testid: "snapshots" },
            h("p", { class: "muted dev-lead" }, "A snapshot is a named copy of the whole data directory. Restoring one replaces the current data."),
            saveForm(afterChange, () => names),
            list),
        counts);
    await loadSnapshots();
}

function snapshotRow(name, afterChange) {
    const btn = h("button", {
        type: "button", class: "btn btn-small", "aria-label": `Restore snapshot ${name}`, "data-testid": "snapshot-restore",
        onclick: async () => {
            if (!await confirmDialog(`Restore the snapshot "${name}"?\nThe current data is replaced by it.`, { confirmLabel: "Restore", danger: true })) return;
            btn.disabled = true;
            try {
                await send(`${api}/snapshots/${encodeURIComponent(name)}/restore`, { method: "POST" });
                toast(`Restored "${name}".`, "ok");
                await afterChange();
            } catch (err) { showError(err); btn.disabled = false; }
        },
    }, "Restore");
    return h("li", { class: "dev-snapshot", "data-testid": "snapshot-row", dataset: { name } },
        h("span", { class: "dev-snapshot-name" }, h("code", {}, name),
            name === INITIAL ? h("span", { class: "badge badge-ok" }, "what Reset restores") : null), btn);
}

function saveForm(afterChange, existing) {
    const input = h("input", { type: "text", name: "name", placeholder: "e.g. before-migration", autocomplete: "off", "data-testid": "snapshot-name", required: true });
    const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "snapshot-save" }, "Save snapshot");
    const f = field("Snapshot name", input, { name: "name", help: "1–100 letters, digits, dashes or underscores. Saving under an existing name replaces that snapshot." });
    const form = h("form", { class: "dev-inline-form", novalidate: true }, f, submit);
    const error = f.querySelector(".field-error");
    const setError = (msg) => {
        error.textContent = msg || "";
        f.classList.toggle("has-error", !!msg);
        if (msg) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    };
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const name = input.value.trim();
        if (!name) { setError("Enter a name."); input.focus(); return; }
        setError("");
        // Overwriting is allowed by the server; ask first, and say so loudly for the snapshot a reset restores.
        if (existing().includes(name)) {
            const text = name === INITIAL
                ? `Overwrite "${INITIAL}"?\nReset restores this snapshot: from now on it resets to the current data instead of the fixture world.`
                : `A snapshot named "${name}" exists. Overwrite it?`;
            if (!await confirmDialog(text, { confirmLabel: "Overwrite", danger: true })) return;
        }
        submit.disabled = true;
        try {
            await send(`${api}/snapshots/${encodeURIComponent(name)}`, { method: "POST" });
            toast(`Saved snapshot "${name}".`, "ok");
            input.value = "";
            await afterChange();
        } catch (err) {
            // The server answers a bad name with a PocketBase 400 envelope whose message says what is wrong.
            setError(err.message);
            input.focus();
        } finally { submit.disabled = false; }
    });
    return form;
}
