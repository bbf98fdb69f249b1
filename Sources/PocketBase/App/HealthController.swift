import Foundation
import HTTPTypes
import Hummingbird

/// `GET /api/health` with PocketBase's exact body (superusers also get `data`).
struct HealthController {
    let storage: Storage

    func register(on router: Router<AppRequestContext>) {
        router.get("api/health", use: health)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        var data = JSONObject()
        if context.isSuperuser {
            let settings = storage.cachedSettings
            let ip = ClientIP.real(request, context: context, settings: settings)
            // PocketBase's list also names "X‑Forwarded-For" spelled with a non-ASCII hyphen, which never matches a header.
            let trusted = settings["trustedProxy"]?["headers"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let possible = (trusted + ["CF-Connecting-IP", "Fly-Client-IP"]).first { name in
                HTTPField.Name(name).flatMap { request.headers[$0] }.map { !$0.isEmpty } ?? false
            }
            data = JSONObject([
                ("canBackup", .bool(!storage.backupInProgress)), ("possibleProxyHeader", .string(possible ?? "")), ("realIP", .string(ip)),
            ])
        }
        let body = JSONValue.object(JSONObject([
            ("message", "API is healthy."), ("code", 200), ("data", .object(data)),
        ]))
        return FieldsProjection.respond(body, fields: request.uri.queryParams["fields"])
    }
}
