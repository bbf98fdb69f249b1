import Foundation
import Hummingbird

/// `GET /api/health` with PocketBase's exact body (superusers also get `data`).
struct HealthController {
    func register(on router: Router<AppRequestContext>) {
        router.get("api/health", use: health)
    }

    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        var data = JSONObject()
        if context.isSuperuser {
            let ip: String = context.remoteAddress?.ipAddress ?? "127.0.0.1"
            data = JSONObject([("canBackup", true), ("possibleProxyHeader", ""), ("realIP", .string(ip))])
        }
        let body = JSONValue.object(JSONObject([
            ("message", "API is healthy."), ("code", 200), ("data", .object(data)),
        ]))
        return FieldsProjection.respond(body, fields: request.uri.queryParams["fields"])
    }
}
