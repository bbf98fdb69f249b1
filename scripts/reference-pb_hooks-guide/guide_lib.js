// sptfy-devkit reference hooks for the "guide" profile (docs/guide-profile.md): the data model of sptfy.in's
// "Database Setup" guide, written for a real PocketBase 0.23.12 so the contract suite can compare it with
// `sptfy-dev serve --profile guide`.
// A CommonJS module (not a *.pb.js file): PocketBase runs every handler in isolation, so each one require()s this.
//
// Environment:
//   CF_SECRET_KEY         Turnstile secret (sent as `secret`; omitted when unset, like production).
//   TURNSTILE_VERIFY_URL  siteverify URL (default Cloudflare's).
//   IP_API_URL            ip-api base URL (default http://ip-api.com).
//   IP_HASH_SALT          salt for analytics.ip (default DEFAULT_IP_HASH_SALT; empty counts as unset).

const DEFAULT_IP_HASH_SALT = "sptfy-dev-insecure-ip-salt";

// Carried over from production's update guard (random_short keeps production's `""` update rule).
const PROTECTED_FIELDS = ["name", "from", "id_url", "subdomain", "enable", "analytics", "utm_userAgent"];
const OWNER_EDITABLE_FIELDS = ["id_url", "from", "subdomain"];

// --- IP hashing -------------------------------------------------------------------------------------------

// Lower-case hex SHA-256 of salt + ip (UTF-8), e.g. `printf '%s' "$SALT$IP" | sha256sum`.
function hashIP(ip) {
    const salt = $os.getenv("IP_HASH_SALT") || DEFAULT_IP_HASH_SALT;
    return $security.sha256(salt + ip);
}

// --- Geolocation ------------------------------------------------------------------------------------------

// ip-api's countryCode for ip, or "" (private/reserved address, unreachable service, anything not two
// upper-case letters). Never throws; waits at most one second.
function countryCodeOf(ip) {
    try {
        const base = ($os.getenv("IP_API_URL") || "http://ip-api.com").replace(/\/+$/, "");
        const res = $http.send({
            // Not percent-encoded: an address is only [0-9A-Fa-f.:] (IPv6 colons stay as they are).
            url: base + "/json/" + ip + "?fields=countryCode",
            method: "GET",
            timeout: 1,
        });
        const code = res.json && res.json.countryCode;
        return typeof code === "string" && /^[A-Z]{2}$/.test(code) ? code : "";
    } catch (err) {
        console.log("guide: geolocation of " + ip + " failed: " + err);
        return "";
    }
}

// --- analytics model hooks (every save: the click route, superuser API creates, fixtures) ------------------

// onRecordCreate: raw ip → country_code (when empty) → hashed ip; empty timestamp → now.
function prepareAnalyticsCreate(e) {
    const ip = e.record.getString("ip");
    if (ip !== "") {
        if (e.record.getString("country_code") === "") {
            e.record.set("country_code", countryCodeOf(ip));
        }
        e.record.set("ip", hashIP(ip));
    }
    if (e.record.getDateTime("timestamp").isZero()) {
        e.record.set("timestamp", new DateTime());
    }
}

// onRecordUpdate: an ip changed by the update is hashed too (an unchanged one is already a hash).
function prepareAnalyticsUpdate(e) {
    const ip = e.record.getString("ip");
    if (ip !== "" && ip !== e.record.original().getString("ip")) {
        e.record.set("ip", hashIP(ip));
    }
}

// --- Blocks -----------------------------------------------------------------------------------------------

function activeBlockExists(type, values) {
    const params = { type: type };
    const alternatives = [];
    values.forEach((v, i) => {
        params["v" + i] = v;
        alternatives.push("value = {:v" + i + "}");
    });
    const rows = $app.findRecordsByFilter(
        "blocks",
        "type = {:type} && (" + alternatives.join(" || ") + ") && (expires = '' || expires > @now)",
        "",
        1,
        0,
        params,
    );
    return rows.length > 0;
}

// Link creation and click recording: 403 when the caller's user id (type user) or IP (type ip; the block's
// value may be the raw e.realIP() or its hash as stored in analytics) has a block without expires or with
// expires in the future. Superusers are never blocked.
function blockGate(e) {
    const auth = e.auth;
    if (auth && auth.isSuperuser()) return;
    if (auth && activeBlockExists("user", [auth.id])) {
        throw new ForbiddenError("Your account is blocked.");
    }
    const ip = e.realIP();
    if (activeBlockExists("ip", [ip, hashIP(ip)])) {
        throw new ForbiddenError("Your IP address is blocked.");
    }
}

// --- Turnstile (random_short create; same contract as production's hook) -----------------------------------

function turnstileGate(e) {
    // requestInfo() header keys are snake-cased: X-Turnstile-Token, x-turnstile-token, X_Turnstile_Token all match.
    const headers = e.requestInfo().headers || {};
    let token = "";
    for (const name in headers) {
        if (name.toLowerCase() === "x_turnstile_token") {
            token = headers[name];
            break;
        }
    }
    if (!token) {
        throw new BadRequestError("Turnstile error", {
            verification: { code: "missing_token", message: "Turnstile token not found." },
        });
    }
    const body = {};
    const secret = $os.getenv("CF_SECRET_KEY");
    if (secret) body.secret = secret;
    body.response = token;
    const res = $http.send({
        url: $os.getenv("TURNSTILE_VERIFY_URL") || "https://challenges.cloudflare.com/turnstile/v0/siteverify",
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        timeout: 5,
    });
    const answer = res.json;
    if (!answer || !answer.success) {
        const codes = (answer && answer["error-codes"]) || [];
        const code = codes.length > 0 ? codes[0] : "verification_failed";
        throw new BadRequestError("Turnstile verification failed.", {
            verification: new ValidationError(code, "Turnstile verification failed."),
        });
    }
}

// --- random_short update guard (production's, limited to random_short) -----------------------------------

function protectUpdate(e) {
    const auth = e.auth;
    if (auth && auth.isSuperuser()) return;
    const stored = e.record.original();
    const owner = stored.get("user");
    for (const name of PROTECTED_FIELDS) {
        if (e.record.get(name) === stored.get(name)) continue;
        const ownerMayEdit = OWNER_EDITABLE_FIELDS.indexOf(name) >= 0 && auth && auth.id === owner;
        if (!ownerMayEdit) {
            throw new BadRequestError('Field "' + name + '" cannot be updated.');
        }
    }
    const before = stored.get("utm_view") || 0;
    const after = e.record.get("utm_view") || 0;
    if (after !== before && after !== before + 1) {
        throw new BadRequestError('Field "utm_view" can only be incremented by 1.');
    }
}

// --- Click recording: POST /api/sptfy/click/{id_url} ------------------------------------------------------

// "scheme://host[:port]" of an http(s) Referer, else "": scheme and host lower-cased; userinfo, path, query,
// fragment and the scheme's default port (:80, :443) dropped.
function referrerOrigin(raw) {
    const m = /^(https?):\/\/([^\/?#\s]+)/i.exec(raw || "");
    if (!m) return "";
    const scheme = m[1].toLowerCase();
    let authority = m[2].slice(m[2].lastIndexOf("@") + 1).toLowerCase();
    const defaultPort = scheme === "https" ? ":443" : ":80";
    if (authority.endsWith(defaultPort)) authority = authority.slice(0, -defaultPort.length);
    return authority ? scheme + "://" + authority : "";
}

function recordClick(e) {
    blockGate(e);
    const idUrl = e.request.pathValue("id_url");
    let link;
    try {
        link = $app.findFirstRecordByData("random_short", "id_url", idUrl);
    } catch (_) {
        throw new NotFoundError();
    }

    const click = new Record($app.findCollectionByNameOrId("analytics"));
    click.set("link", link.id);
    click.set("timestamp", new DateTime());
    click.set("ip", e.realIP()); // hashed (and geolocated) by the analytics onRecordCreate hook
    click.set("user_agent", e.request.header.get("User-Agent"));
    click.set("referrer", referrerOrigin(e.request.header.get("Referer")));
    try {
        $app.save(click);
    } catch (err) {
        if (click.getString("referrer") === "") throw err;
        // An origin PocketBase's url validator still rejects is dropped rather than losing the click.
        // The failed save already hashed ip (and set country_code): put the raw address back for the hook.
        click.set("referrer", "");
        click.set("ip", e.realIP());
        $app.save(click);
    }

    $app.db()
        .newQuery("UPDATE random_short SET utm_view = COALESCE(utm_view, 0) + 1 WHERE id = {:id}")
        .bind({ id: link.id })
        .execute();
    const fresh = $app.findRecordById("random_short", link.id);

    return e.json(200, {
        id: fresh.id,
        id_url: fresh.getString("id_url"),
        from: fresh.getString("from"),
        subdomain: fresh.getString("subdomain"),
        utm_view: fresh.getInt("utm_view"),
    });
}

module.exports = {
    DEFAULT_IP_HASH_SALT,
    hashIP,
    countryCodeOf,
    prepareAnalyticsCreate,
    prepareAnalyticsUpdate,
    blockGate,
    turnstileGate,
    protectUpdate,
    referrerOrigin,
    recordClick,
};
