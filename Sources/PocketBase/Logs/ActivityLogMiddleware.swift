import Foundation
import HTTPTypes
import Hummingbird

/// PocketBase's activity logger: every request (its method, URL, status, timing, auth and addresses) becomes a
/// `_logs` line; errors at level 8 with the error message and its details. Successful calls to the logs API, the
/// realtime stream and the OAuth2 redirect are left out, as PocketBase does (their URLs can carry secrets), and so
/// are the dashboard's files under `/_/` (PocketBase's static handler skips successes "to avoid flooding").
struct ActivityLogMiddleware: RouterMiddleware {
    let storage: Storage

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws
        -> Response
    {
        let logs = storage.logs
        guard logs.settings.maxDays > 0 else { return try await next(request, context) }
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            if !Self.skipsSuccess(request) {
                log(request, context, started: started, status: Int(response.status.code), error: nil)
            }
            return response
        } catch {
            let apiError = ConventionsMiddleware<AppRequestContext>.apiError(for: error, method: request.method)
            log(request, context, started: started, status: Int(apiError.status.code), error: apiError)
            throw error
        }
    }

    static func skipsSuccess(_ request: Request) -> Bool {
        let path = request.uri.path
        return path == "/api/logs" || path.hasPrefix("/api/logs/") || (request.method == .get && path == "/api/realtime")
            || path == "/api/oauth2-redirect" || path == "/_" || path.hasPrefix("/_/")
    }

    func log(_ request: Request, _ context: AppRequestContext, started: ContinuousClock.Instant, status: Int, error: APIError?) {
        let elapsed = ContinuousClock.now - started
        let execTime = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let settings = storage.logs.settings
        let method = Self.cut(request.method.rawValue.uppercased(), 50)
        let uri = Self.cut(request.uri.description, 3000)
        var data = JSONObject([("type", "request"), ("execTime", .number(execTime))])
        if let error {
            data["error"] = .string(error.message)
            data["details"] = Self.details(error)
        }
        data["url"] = .string(uri)
        data["method"] = .string(method)
        data["status"] = .number(Double(status))
        data["referer"] = .string(Self.cut(request.headers[.referer] ?? "", 2000))
        data["userAgent"] = .string(Self.cut(request.headers[.userAgent] ?? "", 2000))
        data["auth"] = .string(context.auth?.collection.name ?? "")
        if let auth = context.auth, settings.logAuthId { data["authId"] = .string(auth.record.id) }
        if settings.logIP {
            data["userIP"] = .string(ClientIP.real(request, context: context, settings: storage.cachedSettings))
            data["remoteIP"] = .string(ClientIP.remote(context))
        }
        // Go's url.PathUnescape; the raw URI when it does not decode.
        let message = method + " " + (uri.utf8.contains(UInt8(ascii: "%")) ? (uri.removingPercentEncoding ?? uri) : uri)
        storage.logs.add(LogEntry(level: error == nil ? 0 : 8, message: message, data: data))
    }

    /// What PocketBase's logger writes for an error's raw data: validation errors as `{"data":{field: message},
    /// "raw": "field: Message."}`, a plain error as its text, nothing as null.
    static func details(_ error: APIError) -> JSONValue {
        if let d = error.details { return d }
        guard !error.data.isEmpty else { return .null }
        var messages = JSONObject()
        var raw: [String] = []
        for (key, value) in error.data.sorted() {
            let text = rawMessage(value)
            messages[key] = .string(text)
            raw.append("\(key): \(text)")
        }
        return .object(JSONObject([("data", .object(messages)), ("raw", .string(raw.joined(separator: "; ") + "."))]))
    }

    /// The validator's own text before the API sentenized it: ozzo-validation's built-in rules speak in lower case
    /// ("cannot be blank"), PocketBase's field validators in sentences without the final period.
    static func rawMessage(_ error: JSONValue) -> String {
        var text = error["message"]?.stringValue ?? ""
        if text.hasSuffix(".") { text.removeLast() }
        let code = error["code"]?.stringValue ?? ""
        if ozzoCodes.contains(code) || code.hasPrefix("validation_is_"), let first = text.first {
            text = first.lowercased() + text.dropFirst()
        }
        return text
    }

    static let ozzoCodes: Set<String> = [
        "validation_required", "validation_nil_or_not_empty_required", "validation_nil", "validation_empty", "validation_length_too_long",
        "validation_length_too_short", "validation_length_out_of_range", "validation_length_invalid", "validation_length_empty_required",
        "validation_min_greater_equal_than_required", "validation_min_greater_than_required", "validation_max_less_equal_than_required",
        "validation_max_less_than_required", "validation_match_invalid", "validation_in_invalid", "validation_not_in_invalid",
        "validation_date_invalid", "validation_date_out_of_range", "validation_multiple_of_invalid",
    ]

    /// PocketBase's cutStr: at most `max` bytes, then "...".
    static func cut(_ s: String, _ max: Int) -> String {
        guard s.utf8.count > max else { return s }
        return String(decoding: s.utf8.prefix(max), as: UTF8.self) + "..."
    }
}
