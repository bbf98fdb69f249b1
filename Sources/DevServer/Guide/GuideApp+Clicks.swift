import Foundation
import GRDB
import Hummingbird
import PocketBase

extension GuideApp {
    /// `POST /api/sptfy/click/{id_url}`: what the redirect page calls. Blocks (403) → the link by exact id_url (404)
    /// → an analytics record (ip hashed and geolocated, User-Agent, Referer origin) → `utm_view + 1` in SQL (atomic,
    /// no validation, `updated` untouched) → the link's redirect data. Guests allowed, no Turnstile (a redirect has
    /// no page to show a widget on).
    func recordClick(_ request: Request, context: AppRequestContext, storage: Storage) async throws -> Response {
        let ip = ClientIP.real(request, context: context, settings: storage.cachedSettings)
        try await blockGate(storage, auth: context.auth, isSuperuser: context.isSuperuser, ip: ip)
        let idURL = context.parameters.get("id_url") ?? ""
        guard storage.collection("random_short") != nil, storage.collection("analytics") != nil,
            let linkID = try await storage.read({ db in try String.fetchOne(db, sql: "SELECT id FROM random_short WHERE id_url = ? LIMIT 1", arguments: [idURL]) })
        else { throw APIError.notFound() }
        var click: [String: JSONValue] = [
            "link": .string(linkID), "timestamp": .string(PBDate.now()), "ip": .string(ip),
            "user_agent": .string(request.headers[.userAgent] ?? ""), "referrer": .string(Self.referrerOrigin(request.headers[.referer] ?? "")),
        ]
        click = await prepareClick(click)
        do {
            try await save(click, storage)
        } catch let error as APIError where error.status == .badRequest && click["referrer"] != "" && error.data["referrer"] != nil {
            // An origin the url validator still rejects is dropped rather than losing the click.
            click["referrer"] = ""
            try await save(click, storage)
        }
        let fresh = try await storage.write { db -> [String]? in
            try db.execute(sql: "UPDATE random_short SET utm_view = COALESCE(utm_view, 0) + 1 WHERE id = ?", arguments: [linkID])
            return try Row.fetchOne(db, sql: "SELECT \"from\", id, id_url, subdomain, CAST(utm_view AS TEXT) FROM random_short WHERE id = ?", arguments: [linkID])
                .map { row in (0..<5).map { row[$0] as String? ?? "" } }
        }
        guard let fresh else { throw APIError.notFound() }
        // PocketBase's e.json of a JS object: keys sorted.
        return Response.json(.object(JSONObject([
            ("from", .string(fresh[0])), ("id", .string(fresh[1])), ("id_url", .string(fresh[2])), ("subdomain", .string(fresh[3])),
            ("utm_view", .number(Double(fresh[4]) ?? 0)),
        ])))
    }

    /// `$app.save` from a route: a validation failure is the generic 400 with the field errors kept.
    func save(_ values: [String: JSONValue], _ storage: Storage) async throws {
        do {
            _ = try await storage.createRecordAsSuperuser("analytics", values: JSONObject(values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        } catch let error as APIError where error.status == .badRequest {
            throw APIError(.badRequest, "Something went wrong while processing your request.", data: error.data)
        }
    }

    /// `scheme://host[:port]` of an http(s) Referer, else "": scheme and host lower-cased; userinfo, path, query,
    /// fragment and the scheme's default port dropped (the viewList groups clicks by site, and no other site's
    /// paths or query strings are stored).
    public static func referrerOrigin(_ raw: String) -> String {
        let lower = raw.lowercased()
        let scheme: String
        if lower.hasPrefix("https://") { scheme = "https" } else if lower.hasPrefix("http://") { scheme = "http" } else { return "" }
        let rest = raw.dropFirst(scheme.count + 3)
        let authority = rest.prefix { !"/?#".contains($0) && !$0.isWhitespace }
        var host = String(authority.split(separator: "@", omittingEmptySubsequences: false).last ?? "").lowercased()
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if host.hasSuffix(defaultPort) { host.removeLast(defaultPort.count) }
        return host.isEmpty ? "" : scheme + "://" + host
    }
}
