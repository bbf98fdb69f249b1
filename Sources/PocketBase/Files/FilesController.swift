import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /api/files/{collection}/{recordId}/{filename}` from `pb_data/storage/<collectionId>/<recordId>/`.
struct FilesController {
    let storage: Storage

    func register(on router: Router<AppRequestContext>) {
        router.post("api/files/token", use: token)
        router.get("api/files/:collection/:record/:filename", use: download)
    }

    /// `POST /api/files/token`: a short-lived `file` token for the caller (claims `collectionId, exp, id, type`,
    /// signed with the record's tokenKey + the collection's fileToken secret, the collection's fileToken duration).
    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let auth = context.auth else { throw APIError.requireAuth }
        let token = try await AuthToken.issue(for: auth.record, type: "file", secretKey: "fileToken")
        return .json(.obj(["token": .string(token)]))
    }

    /// PocketBase's protected-file check: only `?token=` (a file token) counts, never the Authorization header;
    /// the file's record must pass the collection's viewRule with that auth and `@request.context` "protectedFile".
    func canAccessProtected(_ record: Record, request: Request, context: AppRequestContext) async -> Bool {
        let c = record.collection
        var auth: Record?
        if let token = request.uri.queryParams["token"], !token.isEmpty {
            auth = await AuthToken.record(forToken: token, type: "file", secretKey: "fileToken", storage: storage)?.0
        }
        if auth?.collection.name == SystemCollection.superusers { return true }
        guard let rule = c.viewRule else { return false }
        var info = RequestInfo(request, context: context)
        info.context = RequestInfoContext.protectedFile.rawValue
        info.auth = auth
        guard let sql = try? storage.ruleQuery(c, id: record.id, rule: rule, request: info) else { return false }
        return ((try? await storage.read { db in try Storage.fetch(db, c, sql).first }) ?? nil) != nil
    }

    static let inlineTypes: Set<String> = [
        "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp", "video/webm", "video/mp4",
        "video/3gpp", "video/quicktime", "video/x-ms-wmv", "audio/basic", "audio/aiff", "audio/mpeg", "audio/midi", "audio/mp3",
        "audio/wave", "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a", "audio/aac", "application/pdf", "application/x-pdf",
    ]

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let cname = context.parameters.get("collection"), let c = storage.collection(cname) else {
            throw APIError.notFound("Missing or invalid collection context.")
        }
        guard let recordID = context.parameters.get("record"), let filename = context.parameters.get("filename"),
            let record = try await storage.findRecord(c, id: recordID),
            let field = c.fields.first(where: { $0.type == .file && Coerce.list(record[$0.name]).contains(filename) })
        else { throw APIError.notFound() }
        if field.bool("protected"), !(await canAccessProtected(record, request: request, context: context)) { throw APIError.notFound() }
        guard let data = try? await storage.fileStore().read(Storage.fileKey(c.id, record.id, filename)) else { throw APIError.notFound() }
        let type = MimeSniffer.contentType(Array(data), filename: filename)
        let download = request.uri.queryParams["download"].flatMap(ListQuery.parseBool) ?? false
        let disposition = (!download && Self.inlineTypes.contains(type)) ? "inline" : "attachment"
        return Self.fileResponse(data, contentType: type, disposition: disposition, filename: filename)
    }

    /// A stored file as PocketBase serves it (record files and backups alike): its type, length, disposition, the
    /// sandboxing CSP and the long cache lifetime.
    static func fileResponse(_ data: [UInt8], contentType: String, disposition: String, filename: String, extra: HTTPFields = [:]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(data.count)
        headers[.contentDisposition] = "\(disposition); filename=\(filename)"
        headers[.contentSecurityPolicy] = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
        headers[.cacheControl] = "max-age=2592000, stale-while-revalidate=86400"
        headers[.acceptRanges] = "bytes"
        headers.append(contentsOf: extra)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
