import MultipartKit

/// A multipart/form-data body split into parts with MultipartKit, but only after the checks that keep its parser
/// from trapping (an empty boundary, a high byte in a header name) and with Go's `ReadForm` limits.
public struct MultipartBody: Sendable {
    public struct Part: Sendable {
        /// Header names lower-cased.
        public var headers: [String: String]
        public var body: [UInt8]

        /// A `Content-Disposition` parameter (`name`, `filename`).
        public func disposition(_ key: String) -> String? {
            guard let header = headers["content-disposition"] else { return nil }
            for part in header.split(separator: ";") {
                let p = part.trimmingCharacters(in: .whitespaces)
                if p.lowercased().hasPrefix(key + "=") {
                    return String(p.dropFirst(key.count + 1)).trimmingCharacters(in: .init(charactersIn: "\""))
                }
            }
            return nil
        }
    }

    /// Why a body is refused (PocketBase and Go answer 400).
    public struct Invalid: Error, Sendable {}

    /// Go's `multipart.Reader.ReadForm` limits (GODEBUG multipartmaxparts / multipartmaxheaders).
    public static let maxParts = 1000
    public static let maxHeadersPerPart = 10_000

    public var parts: [Part]

    /// `contentType` is the request's header (the boundary parameter is read from it).
    public init(_ bytes: [UInt8], contentType: String) throws {
        guard let b = contentType.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") })
        else { throw Invalid() }
        let boundary = String(b.dropFirst("boundary=".count)).trimmingCharacters(in: .init(charactersIn: "\""))
        // Go: an empty boundary is `ErrMissingBoundary` (MultipartKit's parser traps on it).
        guard !boundary.isEmpty, !MultipartGuard.mayTrapMultipartKit(bytes, boundary: Array(boundary.utf8)) else { throw Invalid() }
        let parser = MultipartParser(boundary: boundary)
        final class State {
            var headers: [String: String] = [:]
            var headerCount = 0
            var maxHeaderCount = 0
            var body: [UInt8] = []
            var parts: [Part] = []
        }
        let state = State()
        parser.onHeader = { k, v in
            state.headerCount += 1
            state.maxHeaderCount = max(state.maxHeaderCount, state.headerCount)
            state.headers[k.lowercased()] = v
        }
        parser.onBody = { buf in state.body += buf.readBytes(length: buf.readableBytes) ?? [] }
        parser.onPartComplete = {
            state.parts.append(Part(headers: state.headers, body: state.body))
            state.headerCount = 0
            state.headers = [:]
            state.body = []
        }
        do { try parser.execute(bytes) } catch { throw Invalid() }
        // Counted after parsing: the body is already bounded by the size limit, so the work is linear in it.
        guard state.parts.count <= Self.maxParts, state.maxHeaderCount <= Self.maxHeadersPerPart else { throw Invalid() }
        parts = state.parts
    }
}
