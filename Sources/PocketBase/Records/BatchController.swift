import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import NIOHTTP1

/// `POST /api/batch`: record creates, updates, upserts and deletes in one transaction (PocketBase 0.23's
/// `apis/batch.go`): off unless the `batch` settings enable it, each request run by the records handlers with the
/// caller's auth and `@request.context = "batch"`, all rolled back when one fails.
struct BatchController {
    let storage: Storage
    let records: RecordsController

    func register(on router: Router<AppRequestContext>) {
        router.post("api/batch", use: batch)
    }

    struct Settings {
        var enabled = false
        var maxRequests = 50
        var timeout = 3
        var maxBodySize = 0

        init(_ settings: JSONObject) {
            let b = settings["batch"]?.objectValue ?? JSONObject()
            enabled = b["enabled"]?.boolValue ?? false
            maxRequests = Int(saturating: b["maxRequests"]?.numberValue ?? 50)
            timeout = Int(saturating: b["timeout"]?.numberValue ?? 3)
            maxBodySize = Int(saturating: b["maxBodySize"]?.numberValue ?? 0)
        }
    }

    /// One entry of `requests`.
    struct Item: Sendable {
        var method = ""
        var url = ""
        var headers: [(String, String)] = []
        var body = JSONObject()
        var files: [String: [UploadedFile]] = [:]
    }

    @Sendable func batch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let settings = Settings(try await storage.settings())
        guard settings.enabled, settings.maxRequests > 0 else { throw APIError.forbidden("Batch requests are not allowed.") }
        let unreadable = APIError.badRequest("Failed to read the submitted batch data.")
        let parsed: ParsedBody
        do {
            parsed = try await BodyParser.parse(request, limit: settings.maxBodySize > 0 ? settings.maxBodySize : 128 << 20)
        } catch let error as APIError where error.status == .contentTooLarge {
            throw error
        } catch {
            throw unreadable  // malformed JSON, unsupported content types…
        }
        guard let items = Self.items(parsed) else { throw unreadable }
        if let errors = Self.validate(items, max: settings.maxRequests) {
            throw APIError.badRequest("Invalid batch request data.", JSONObject([("requests", errors)]))
        }
        let timeout = Duration.seconds(settings.timeout > 0 ? settings.timeout : 3)
        let results: [JSONValue]
        do {
            results = try await storage.inTransaction(timeout: timeout) { try await run(items, request: request, context: context) }
        } catch let failure as Failure {
            let entry = JSONObject([
                ("code", "batch_request_failed"), ("message", "Batch request failed."), ("response", failure.error.json),
            ])
            throw APIError.badRequest("Batch transaction failed.", JSONObject([("requests", .object(JSONObject([(String(failure.index), .object(entry))])))]))
        } catch {
            throw APIError.badRequest("Batch transaction failed.")
        }
        return records.respond(.array(results), request)
    }

    /// The `requests` array, or nil when the body does not bind to it (a wrong type anywhere).
    static func items(_ body: ParsedBody) -> [Item]? {
        guard let raw = body.values["requests"] else { return [] }
        if raw == .null { return [] }
        guard case .array(let list) = raw else { return nil }
        var items: [Item] = []
        for (i, value) in list.enumerated() {
            guard case .object(let o) = value else { return nil }
            var item = Item()
            for (key, field) in o.pairs {
                switch (key, field) {
                case ("method", .string(let s)): item.method = s
                case ("url", .string(let s)): item.url = s
                case ("body", .object(let b)): item.body = b
                case ("headers", .object(let h)):
                    for (k, v) in h.pairs {
                        guard case .string(let s) = v else { return nil }
                        item.headers.append((k, s))
                    }
                case ("method", .null), ("url", .null), ("body", .null), ("headers", .null): break
                case ("method", _), ("url", _), ("body", _), ("headers", _): return nil
                default: break
                }
            }
            // Files travel as `requests.{i}.{field}` or `requests[{i}].{field}` parts.
            for (name, files) in body.files {
                for prefix in ["requests.\(i).", "requests[\(i)]."] where name.hasPrefix(prefix) {
                    item.files[String(name.dropFirst(prefix.count)), default: []] += files
                }
            }
            items.append(item)
        }
        return items
    }

    static func validate(_ items: [Item], max: Int) -> JSONValue? {
        if items.isEmpty { return FieldError.required.json }
        if items.count > max {
            return FieldError("validation_length_too_long", "The length must be no more than \(max).", params: JSONObject([("max", .number(Double(max))), ("min", 0)])).json
        }
        var errors = JSONObject()
        for (i, item) in items.enumerated() {
            var e = JSONObject()
            if item.method.isEmpty {
                e["method"] = FieldError.required.json
            } else if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(item.method) {
                e["method"] = FieldError("validation_in_invalid", "Must be a valid value.").json
            }
            if item.url.isEmpty {
                e["url"] = FieldError.required.json
            } else if item.url.count > 2000 {
                e["url"] = FieldError("validation_length_too_long", "The length must be no more than 2000.", params: JSONObject([("max", 2000), ("min", 0)])).json
            }
            if !e.isEmpty { errors[String(i)] = .object(e) }
        }
        return errors.isEmpty ? nil : .object(errors)
    }

    /// The failing request's index and its error response.
    struct Failure: Error {
        let index: Int
        let error: APIError
    }

    func run(_ items: [Item], request: Request, context: AppRequestContext) async throws -> [JSONValue] {
        var results: [JSONValue] = []
        for (i, item) in items.enumerated() {
            do {
                let (status, body) = try await perform(item, request: request, context: context)
                results.append(.object(JSONObject([("body", body), ("status", .number(Double(status)))])))
            } catch let error as APIError {
                throw Failure(index: i, error: error)
            } catch is CancellationError {
                throw Storage.TransactionTimeout()  // the transaction ended under this request
            } catch {
                // PocketBase runs request i+1 inside request i's handler, which turns a plain error into a 500 on the
                // way out; only the first request's plain errors reach the batch as the generic 400.
                throw Failure(index: i, error: i == 0 ? APIError.badRequest() : APIError(.internalServerError))
            }
        }
        return results
    }

    struct UnknownAction: Error {}

    /// Runs one sub-request through the records handlers; its status and JSON body (null when empty).
    func perform(_ item: Item, request: Request, context: AppRequestContext) async throws -> (Int, JSONValue) {
        guard let action = Action(method: item.method, url: item.url) else { throw UnknownAction() }
        var method = action.method
        var url = item.url
        var id = action.id
        if method == "PUT" {
            // Upsert: an update when `body.id` names an existing record, else a create.
            let bodyID = item.body["id"]?.stringValue ?? ""
            if !bodyID.isEmpty, let c = storage.collection(action.collection), try await storage.findRecord(c, id: bodyID) != nil {
                (method, id, url) = ("PATCH", bodyID, "/api/collections/\(action.collection)/records/\(bodyID)\(action.query)")
            } else {
                (method, url) = ("POST", "/api/collections/\(action.collection)/records\(action.query)")
            }
        }
        var head = HTTPRequest(method: HTTPRequest.Method(method) ?? .post, scheme: nil, authority: nil, path: url)
        head.headerFields = request.headers
        for (name, value) in item.headers where name.lowercased() != "authorization" {
            if let field = HTTPField.Name(name) { head.headerFields[field] = value }
        }
        let body = try Self.encode(item)
        head.headerFields[.contentType] = body.contentType
        head.headerFields[.contentLength] = String(body.bytes.readableBytes)
        var sub = context
        sub.infoContext = .batch
        sub.coreContext.parameters = ["collection": Substring(action.collection)]
        if let id { sub.coreContext.parameters.append(key: "id", value: Substring(id)) }
        let subRequest = Request(head: head, body: RequestBody(buffer: body.bytes))
        try RateLimitMiddleware.check(subRequest, context: sub, storage: storage)
        let response: Response
        switch method {
        case "POST": response = try await records.create(subRequest, context: sub)
        case "PATCH": response = try await records.update(subRequest, context: sub)
        default: response = try await records.delete(subRequest, context: sub)
        }
        let collected = ResponseCollector()
        try await response.body.write(collected)
        let bytes = collected.bytes
        return (Int(response.status.code), bytes.isEmpty ? .null : (try? JSONValue.parse(bytes)) ?? .null)
    }

    /// The sub-request's body: JSON, or multipart with `@jsonPayload` when it carries files (as PocketBase
    /// re-encodes it; the stored names are normalised again, PocketBase's double-normalisation quirk).
    static func encode(_ item: Item) throws -> (contentType: String, bytes: ByteBuffer) {
        guard !item.files.isEmpty else { return ("application/json", ByteBuffer(string: JSONValue.object(item.body).encoded())) }
        let boundary = "sptfydevbatch" + Identifiers.recordID()
        var parts = [MultipartPart(headers: ["Content-Disposition": "form-data; name=\"@jsonPayload\""], body: JSONValue.object(item.body).encoded())]
        for (field, files) in item.files.sorted(by: { $0.key < $1.key }) {
            for file in files {
                let name = FileNames.normalize(file.filename)
                parts.append(MultipartPart(
                    headers: ["Content-Disposition": "form-data; name=\"\(field)\"; filename=\"\(name)\"", "Content-Type": "application/octet-stream"],
                    body: file.data))
            }
        }
        var buffer = ByteBuffer()
        try MultipartSerializer().serialize(parts: parts, boundary: boundary, into: &buffer)
        return ("multipart/form-data; boundary=\(boundary)", buffer)
    }

    /// One of the four record actions a batch may contain (PocketBase's `ValidBatchActions`).
    struct Action {
        var method: String
        var collection: String
        var id: String?
        var query: String

        init?(method: String, url: String) {
            let path = url.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            query = path.count > 1 ? "?" + path[1] : ""
            let segments = path[0].split(separator: "/", omittingEmptySubsequences: false)
            // "", "api", "collections", {collection}, "records"[, {id}]
            guard segments.count >= 5, segments.count <= 6, segments[0].isEmpty, segments[1] == "api", segments[2] == "collections",
                segments[4] == "records", !segments[3].isEmpty
            else { return nil }
            self.method = method.uppercased()
            collection = String(segments[3])
            if segments.count == 6 {
                guard !segments[5].isEmpty, self.method == "PATCH" || self.method == "DELETE" else { return nil }
                id = String(segments[5])
            } else {
                guard self.method == "POST" || self.method == "PUT" else { return nil }
            }
        }
    }
}

/// Collects a response body (the batch reads its sub-requests' responses back).
final class ResponseCollector: ResponseBodyWriter, @unchecked Sendable {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { bytes += buffer.readableBytesView }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
