// The REST client: PocketBase's public API with the superuser token, as PocketBase's own dashboard uses it.
const STORAGE_KEY = "sptfy_dev_superuser_auth";

/** A failed API call: PocketBase's envelope (`status`, `message`, `data` with per-field `{code, message}`). */
export class ApiError extends Error {
    constructor(status, body) {
        super(body?.message || `HTTP ${status}`);
        this.status = status;
        this.data = body?.data || {};
        this.body = body;
    }
}

function loadAuth() {
    try { return JSON.parse(localStorage.getItem(STORAGE_KEY) || "null"); } catch { return null; }
}

export const auth = {
    state: loadAuth(),
    get token() { return this.state?.token || ""; },
    get record() { return this.state?.record || null; },
    /** Valid when present and the JWT's `exp` is in the future. */
    get isValid() {
        const payload = tokenPayload(this.token);
        return !!payload && (payload.exp || 0) * 1000 > Date.now();
    },
    save(token, record) {
        this.state = { token, record };
        localStorage.setItem(STORAGE_KEY, JSON.stringify(this.state));
    },
    clear() {
        this.state = null;
        localStorage.removeItem(STORAGE_KEY);
    },
};

export function tokenPayload(token) {
    try {
        const part = (token || "").split(".")[1];
        if (!part) return null;
        return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
    } catch { return null; }
}

/** Query string from an object; undefined/null/"" values are skipped. */
export function qs(params = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
        if (v === undefined || v === null || v === "") continue;
        q.set(k, String(v));
    }
    const s = q.toString();
    return s ? "?" + s : "";
}

/**
 * One API call. `body`: a plain object (sent as JSON) or FormData. `token`: overrides the stored token (installer).
 * Returns the parsed JSON (or null for 204); throws ApiError with PocketBase's envelope.
 */
export async function send(path, { method = "GET", body, query, token, raw = false, signal } = {}) {
    const headers = {};
    const auth_ = token ?? auth.token;
    if (auth_) headers["Authorization"] = auth_;
    let payload = body;
    if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
        headers["Content-Type"] = "application/json";
        payload = JSON.stringify(body);
    }
    const res = await fetch(path + qs(query), { method, headers, body: payload, signal });
    if (raw && res.ok) return res;
    const text = res.status === 204 ? "" : await res.text();
    let json = null;
    if (text) { try { json = JSON.parse(text); } catch { json = { message: text }; } }
    if (!res.ok) {
        // An expired or revoked session: back to the login form.
        if (res.status === 401 && !token && auth.token && path !== "/api/collections/_superusers/auth-refresh") {
            auth.clear();
            location.hash = "#/login";
        }
        throw new ApiError(res.status, json);
    }
    return json;
}

/** Every page of a records list (bounded, for pickers and small collections). */
export async function listAll(collection, query = {}, max = 2000) {
    const items = [];
    for (let page = 1; items.length < max; page++) {
        const res = await send(`/api/collections/${encodeURIComponent(collection)}/records`, { query: { perPage: 500, skipTotal: 1, ...query, page } });
        items.push(...res.items);
        if (res.items.length < 500) break;
    }
    return items;
}

export const collections = {
    cache: null,
    async all(force = false) {
        if (!this.cache || force) {
            const res = await send("/api/collections", { query: { perPage: 500, sort: "name" } });
            this.cache = res.items;
        }
        return this.cache;
    },
    async get(nameOrId, force = false) {
        const list = await this.all(force);
        return list.find((c) => c.id === nameOrId || c.name === nameOrId) || null;
    },
    invalidate() { this.cache = null; },
};

export function recordsPath(collection, id) {
    return `/api/collections/${encodeURIComponent(collection)}/records` + (id ? `/${encodeURIComponent(id)}` : "");
}

/** The URL of a record's file (thumb: e.g. "100x100"); a file token is added for protected files. */
export function fileURL(record, filename, { thumb, token } = {}) {
    const base = `/api/files/${encodeURIComponent(record.collectionId)}/${encodeURIComponent(record.id)}/${encodeURIComponent(filename)}`;
    return base + qs({ thumb, token });
}
