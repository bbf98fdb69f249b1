import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/realtime` (the SSE stream), `POST /api/realtime` (set the subscriptions and the client's auth), and
/// `GET|POST /api/oauth2-redirect` (the all-in-one OAuth2 flow's hand-back through the stream).
struct RealtimeController {
    let storage: Storage
    var broker: RealtimeBroker { storage.realtime }

    func register(on router: Router<AppRequestContext>) {
        router.get("api/realtime", use: connect)
        router.post("api/realtime", use: subscribe)
        router.get("api/oauth2-redirect", use: oauth2Redirect)
        router.post("api/oauth2-redirect", use: oauth2Redirect)
    }

    @Sendable func connect(_ request: Request, context: AppRequestContext) async throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
        let broker = self.broker, storage = self.storage
        // The client exists only while the body is written (a HEAD never registers one).
        let body = ResponseBody { writer in
            guard let client = broker.register(storage: storage) else {
                try await writer.finish(nil)
                return
            }
            defer { broker.unregister(client) }
            let watchdog = Task {
                while !Task.isCancelled {
                    let idleUntil = client.lastActivity + broker.idleTimeout
                    if ContinuousClock.now >= idleUntil {
                        client.close()
                        return
                    }
                    try? await Task.sleep(until: idleUntil, clock: .continuous)
                }
            }
            defer { watchdog.cancel() }
            // A stopping server ends its streams (graceful shutdown would otherwise wait for the idle timeout).
            try await withGracefulShutdownHandler {
                try await writer.write(ByteBuffer(string: "id:\(client.id)\nevent:PB_CONNECT\ndata:{\"clientId\":\"\(client.id)\"}\n\n"))
                for await frame in client.messages {
                    try await writer.write(ByteBuffer(string: frame))
                    client.delivered()
                }
                try await writer.finish(nil)
            } onGracefulShutdown: {
                client.close()
            }
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static let maxSubscriptions = 1000
    static let maxSubscriptionLength = 2500

    @Sendable func subscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body: ParsedBody
        do { body = try await BodyParser.parse(request) } catch let e as APIError where e.status == .contentTooLarge { throw e } catch {
            throw APIError.badRequest()
        }
        // Binding: wrong JSON types are a bind error (the generic 400, no data).
        let clientID: String
        switch body.values["clientId"] {
        case nil, .null?: clientID = ""
        case .string(let s)?: clientID = s
        default: throw APIError.badRequest()
        }
        let subscriptions: [String]
        switch body.values["subscriptions"] {
        case nil, .null?: subscriptions = []
        case .string(let s)? where !(request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json"):
            // A form's single `subscriptions` value; in JSON a string is a type error.
            subscriptions = [s]
        case .array(let items)?:
            var list: [String] = []
            for item in items {
                guard case .string(let s) = item else { throw APIError.badRequest() }
                list.append(s)
            }
            subscriptions = list
        default: throw APIError.badRequest()
        }
        var errors = JSONObject()
        if clientID.isEmpty {
            errors["clientId"] = FieldError.required.json
        } else if clientID.unicodeScalars.count > 255 {
            errors["clientId"] = FieldError(
                "validation_length_out_of_range", "The length must be between 1 and 255.", params: JSONObject([("max", 255), ("min", 1)])
            ).json
        }
        if subscriptions.count > Self.maxSubscriptions {
            errors["subscriptions"] = Self.tooLong(Self.maxSubscriptions)
        } else {
            var items = JSONObject()
            for (i, s) in subscriptions.enumerated() where s.unicodeScalars.count > Self.maxSubscriptionLength {
                items[String(i)] = Self.tooLong(Self.maxSubscriptionLength)
            }
            if !items.isEmpty { errors["subscriptions"] = .object(items.sorted()) }
        }
        if !errors.isEmpty { throw APIError.badRequest("", errors.sorted()) }
        guard let client = broker.client(clientID), !client.isClosed else { throw APIError.notFound("Missing or invalid client id.") }
        // A guest client may become an auth one; after that the auth must stay the same record.
        let newAuth = context.auth?.record
        if let stored = client.auth, !(newAuth?.id == stored.id && newAuth?.collection.id == stored.collection.id) {
            throw APIError.forbidden("The current and the previous request authorization don't match.")
        }
        client.setAuth(newAuth)
        client.replaceSubscriptions(subscriptions)
        return .noContent()
    }

    static func tooLong(_ max: Int) -> JSONValue {
        FieldError("validation_length_too_long", "The length must be no more than \(max).", params: JSONObject([("max", .number(Double(max))), ("min", 0)])).json
    }

    /// The provider's redirect: hands `state`/`code`/`error` to the client subscribed to `@oauth2` whose id is
    /// the state, then sends the browser to the dashboard's success or failure page.
    @Sendable func oauth2Redirect(_ request: Request, context: AppRequestContext) async throws -> Response {
        var values = JSONObject()
        if request.method == .post {
            values = (try? await BodyParser.parse(request))?.values ?? JSONObject()
        } else {
            for (k, v) in request.uri.queryParams.pairs where values[String(k)] == nil { values[String(k)] = .string(String(v)) }
        }
        let text = { (key: String) in values[key].map(Coerce.toString) ?? "" }
        let state = text("state"), code = text("code"), failure = text("error")
        let status: HTTPResponse.Status = request.method == .post ? .seeOther : .temporaryRedirect
        var ok = false
        if !state.isEmpty, let client = broker.client(state), !client.isClosed, client.subscriptions.contains("@oauth2") {
            var data = JSONObject([("state", .string(state)), ("code", .string(code))])
            if !failure.isEmpty { data["error"] = .string(failure) }
            client.send(event: "@oauth2", data: JSONValue.object(data).encoded())
            client.removeSubscription("@oauth2")
            ok = failure.isEmpty && !code.isEmpty
        }
        var headers = HTTPFields()
        headers[.location] = ok ? "../_/#/auth/oauth2-redirect-success" : "../_/#/auth/oauth2-redirect-failure"
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }
}
