import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
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

    /// Go's `multipart.Reader.ReadForm` limits (mime/multipart, GODEBUG multipartmaxparts / multipartmaxheaders):
    /// more parts, or more header lines in one part, and PocketBase refuses the body.
    static let maxMultipartParts = 1000
    static let maxMultipartHeaders = 10_000

    static func parseMultipart(_ bytes: [UInt8], contentType: String) throws -> ParsedBody {
        guard let b = contentType.components(separatedBy: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })
        else { throw APIError.badRequest() }
        let boundary = String(b.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        // Go: an empty boundary is `ErrMissingBoundary` (MultipartKit's parser traps on it).
        guard !boundary.isEmpty, !MultipartGuard.mayTrapMultipartKit(bytes, boundary: Array(boundary.utf8)) else { throw APIError.badRequest() }
        let parser = MultipartParser(boundary: boundary)
        final class State {
            var headers: [String: String] = [:]
            var headerCount = 0
            var maxHeaderCount = 0
            var body: [UInt8] = []
            var parts: [([String: String], [UInt8])] = []
        }
        let state = State()
        parser.onHeader = { k, v in
            state.headerCount += 1
            state.maxHeaderCount = max(state.maxHeaderCount, state.headerCount)
            state.headers[k.lowercased()] = v
        }
        parser.onBody = { buf in state.body += buf.readBytes(length: buf.readableBytes) ?? [] }
        parser.onPartComplete = {
            state.parts.append((state.headers, state.body))
            state.headerCount = 0
            state.headers = [:]
            state.body = []
        }
        do { try parser.execute(bytes) } catch { throw APIError.badRequest() }
        // Counted after parsing: the body is already bounded by the size limit, so the work is linear in it.
        guard state.parts.count <= maxMultipartParts, state.maxHeaderCount <= maxMultipartHeaders else { throw APIError.badRequest() }
        var pairs: [(String, String)] = []
        var files: [String: [UploadedFile]] = [:]
        for (headers, body) in state.parts {
            guard let disp = headers["content-disposition"], let name = dispositionParam(disp, "name") else { continue }
            if let filename = dispositionParam(disp, "filename") {
                files[name, default: []].append(UploadedFile(filename: filename, data: body))
            } else {
                pairs.append((name, String(decoding: body, as: UTF8.self)))
            }
        }
        return ParsedBody(values: try formValues(pairs), files: files)
    }

    static func dispositionParam(_ header: String, _ key: String) -> String? {
        for part in header.components(separatedBy: ";") {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.lowercased().hasPrefix(key + "=") {
                return String(p.dropFirst(key.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
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
