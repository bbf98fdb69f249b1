import Foundation
import HTTPTypes
import Hummingbird

/// PocketBase's error envelope `{"data":{…},"message":"…","status":N}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var data: JSONObject
    /// The underlying cause, for the request log's `details` only (PocketBase's `RawData()`; never sent to clients).
    public var details: JSONValue?

    public init(_ status: HTTPResponse.Status, _ message: String = "", data: JSONObject = JSONObject()) {
        self.status = status
        self.message = APIError.sentenize(message.isEmpty ? APIError.defaultMessage(status) : message)
        self.data = data
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "Missing or invalid authentication."
        case 403: "You are not allowed to perform this request."
        case 404: "The requested resource wasn't found."
        case 413: "Request entity too large."
        case 429: "Too Many Requests."
        default: "Something went wrong while processing your request."
        }
    }

    /// Upper-cases the first letter and ends with a period unless it already ends in `.?!`.
    public static func sentenize(_ s: String) -> String {
        guard let first = s.first else { return s }
        var out = String(first).uppercased() + s.dropFirst()
        if let last = out.last, !".?!".contains(last) { out += "." }
        return out
    }

    public static func badRequest(_ message: String = "", _ data: JSONObject = JSONObject()) -> APIError {
        APIError(.badRequest, message, data: data)
    }
    public static func notFound(_ message: String = "") -> APIError { APIError(.notFound, message) }
    public static func forbidden(_ message: String = "") -> APIError { APIError(.forbidden, message) }
    public static func unauthorized(_ message: String = "") -> APIError { APIError(.unauthorized, message) }

    static let superusersOnly = APIError.forbidden("Only superusers can perform this action.")
    static let requireAuth = APIError.unauthorized("The request requires valid record authorization token.")
    static let requireSuperuser = APIError.forbidden("The authorized record is not allowed to perform this action.")

    public var json: JSONValue {
        .object(JSONObject([("data", .object(data)), ("message", .string(message)), ("status", .number(Double(status.code)))]))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        httpResponse
    }

    /// Go's wording for 413, and the connection is closed since the body was not read.
    var httpResponse: Response {
        guard status.code == 413 else { return Response.json(json, status: status) }
        var r = Response.json(json, status: HTTPResponse.Status(code: 413, reasonPhrase: "Request Entity Too Large"))
        r.headers[.connection] = "close"
        return r
    }
}

/// One field's validation failure, rendered as `{"code","message","params"?}`.
public struct FieldError: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public var params: JSONObject?

    public init(_ code: String, _ message: String, params: JSONObject? = nil) {
        self.code = code
        self.message = message
        self.params = params
    }

    /// ozzo's nested `validation.Errors` (e.g. `fields.2.name`): rendered as the object itself, not a code/message.
    public var nestedJSON: JSONObject?

    /// Errors under keys (sorted, as Go marshals maps) in place of one message.
    public static func nested(_ children: [(String, FieldError)]) -> FieldError {
        var e = FieldError("", "")
        e.nestedJSON = JSONObject(children.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1.json) })
        return e
    }

    public var json: JSONValue {
        if let nestedJSON { return .object(nestedJSON) }
        var o = JSONObject([("code", .string(code)), ("message", .string(APIError.sentenize(message)))])
        if let params { o["params"] = .object(params) }
        return .object(o)
    }

    static let required = FieldError("validation_required", "Cannot be blank.")

    /// ozzo's Length(min, max) failure.
    static func lengthOutOfRange(min: Int, max: Int) -> FieldError {
        FieldError(
            "validation_length_out_of_range", "The length must be between \(min) and \(max).",
            params: JSONObject([("max", .number(Double(max))), ("min", .number(Double(min)))]))
    }
    static let notUnique = FieldError("validation_not_unique", "Value must be unique.")
}

extension Dictionary where Key == String, Value == FieldError {
    /// Go maps marshal sorted.
    var json: JSONObject { JSONObject(sorted { $0.key < $1.key }.map { ($0.key, $0.value.json) }) }
}
