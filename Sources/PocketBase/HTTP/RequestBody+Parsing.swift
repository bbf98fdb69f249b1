import Foundation
import HTTPTypes
import Hummingbird
import SafeMultipart
import NIOCore

/// A file part of a multipart body.
public struct UploadedFile: Sendable {
    public var filename: String
    public var data: [UInt8]
}

/// A request body bound the way PocketBase's `BindBody` does it.
public struct ParsedBody: Sendable {
    public var values = JSONObject()
    public var files: [String: [UploadedFile]] = [:]

    /// A form field as text, the way PocketBase's forms cast it ("" when missing).
    public func string(_ key: String) -> String { values[key].map(Coerce.toString) ?? "" }
}

enum BodyParser {
    /// PocketBase's default body limit (32 MiB).
    static let defaultLimit = 32 << 20

    static func collect(_ request: Request, limit: Int = defaultLimit) async throws -> ByteBuffer {
        if let len = request.headers[.contentLength].flatMap(Int.init), len > limit { throw APIError(.contentTooLarge) }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge)
        }
    }

    static func parse(_ request: Request, limit: Int = defaultLimit) async throws -> ParsedBody {
        let buffer = try await collect(request, limit: limit)
        if buffer.readableBytes == 0 { return ParsedBody() }
        // Go's BindBody matches the media type by case-sensitive prefix (`APPLICATION/JSON` is unsupported).
        let contentType = request.headers[.contentType] ?? ""
        let bytes = Array(buffer.readableBytesView)
        if contentType.hasPrefix("application/json") {
            guard let obj = (try? JSONValue.parse(bytes))?.objectValue else { throw APIError.badRequest() }
            return ParsedBody(values: obj)
        }
        if contentType.hasPrefix("multipart/form-data") {
            return try parseMultipart(bytes, contentType: request.headers[.contentType] ?? "")
        }
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            var pairs: [(String, String)] = []
            for part in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
                let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func dec(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
                pairs.append((dec(kv[0]), kv.count > 1 ? dec(kv[1]) : ""))
            }
            return try ParsedBody(values: formValues(pairs), files: [:])
        }
        throw APIError.badRequest("Unsupported Content-Type.")
    }

    static func parseMultipart(_ bytes: [UInt8], contentType: String) throws -> ParsedBody {
        let body: MultipartBody
        do { body = try MultipartBody(bytes, contentType: contentType) } catch { throw APIError.badRequest() }
        var pairs: [(String, String)] = []
        var files: [String: [UploadedFile]] = [:]
        for part in body.parts {
            guard let name = part.disposition("name") else { continue }
            if let filename = part.disposition("filename") {
                files[name, default: []].append(UploadedFile(filename: filename, data: part.body))
            } else {
                pairs.append((name, String(decoding: part.body, as: UTF8.self)))
            }
        }
        return ParsedBody(values: try formValues(pairs), files: files)
    }

    /// Form values: repeated keys become arrays, plain strings are type-inferred, `@jsonPayload` merged last.
    static func formValues(_ pairs: [(String, String)]) throws -> JSONObject {
        var grouped: [(String, [String])] = []
        var position: [String: Int] = [:]
        for (k, v) in pairs {
            if let i = position[k] {
                grouped[i].1.append(v)
            } else {
                position[k] = grouped.count
                grouped.append((k, [v]))
            }
        }
        var out = JSONObject()
        var payloads: [String] = []
        for (k, vs) in grouped {
            if k == "@jsonPayload" { payloads += vs; continue }
            out[k] = vs.count == 1 ? infer(vs[0]) : .array(vs.map(infer))
        }
        for p in payloads {
            guard let obj = (try? JSONValue.parse(p))?.objectValue else { throw APIError.badRequest() }
            for (k, v) in obj { out[k] = v }
        }
        return out
    }

    /// PocketBase's inference for plain form values.
    static func infer(_ s: String) -> JSONValue {
        if s == "true" { return .bool(true) }
        if s == "false" { return .bool(false) }
        if let d = Double(s), d.isFinite, JSONValue.formatNumber(d) == s { return .number(d) }
        return .string(s)
    }
}
