import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `/api/backups` (superusers): list, create, upload, download (with a superuser file token), delete, restore.
struct BackupsController {
    let storage: Storage

    func register(on router: Router<AppRequestContext>) {
        router.get("api/backups", use: list)
        router.post("api/backups", use: create)
        router.post("api/backups/upload", use: upload)
        router.get("api/backups/:key", use: download)
        router.delete("api/backups/:key", use: delete)
        router.post("api/backups/:key/restore", use: restore)
    }

    static let validating = "An error occurred while validating the submitted data."
    static let busy = APIError.badRequest("Try again later - another backup/restore process has already been started.")

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let files: [BackupFile]
        do { files = try await storage.backupStore().list() } catch {
            throw APIError.badRequest("Failed to retrieve backup items. Raw error: \n\(error).")
        }
        return FieldsProjection.respond(.array(files.map(\.json)), fields: request.uri.queryParams["fields"])
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        if storage.backupInProgress { throw Self.busy }
        let body: ParsedBody
        do { body = try await BodyParser.parse(request) } catch { throw APIError.badRequest("An error occurred while loading the submitted data.") }
        var name = ""
        switch body.values["name"] {
        case nil, .null?: break
        case .string(let s)?: name = s
        default: throw APIError.badRequest("An error occurred while loading the submitted data.")
        }
        if !name.isEmpty {
            if let error = try await Self.nameError(name, store: storage.backupStore()) {
                throw APIError.badRequest(Self.validating, JSONObject([("name", error.json)]))
            }
        } else {
            name = storage.defaultBackupName()
        }
        do { try await storage.createBackup(name: name) } catch is Storage.BackupBusy { throw Self.busy } catch {
            throw APIError.badRequest("Failed to create backup.")
        }
        return .noContent()
    }

    /// Length 1–150, `^[a-z0-9_-]+\.zip$`, not taken — the first failing rule only.
    static func nameError(_ name: String, store: any BackupStore) async throws -> FieldError? {
        let length = name.unicodeScalars.count
        if length < 1 || length > 150 {
            return FieldError(
                "validation_length_out_of_range", "The length must be between 1 and 150.", params: JSONObject([("max", 150), ("min", 1)]))
        }
        let stem = name.hasSuffix(".zip") ? name.dropLast(4) : ""
        if stem.isEmpty || !stem.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) {
            return FieldError("validation_match_invalid", "Must be in a valid format.")
        }
        if try await store.find(name) != nil {
            return FieldError("validation_backup_name_exists", "The backup file name is invalid or already exists.")
        }
        return nil
    }

    /// Multipart field `file`; the stored key is the uploaded file's name (its last path component), which PocketBase
    /// does not validate; the content must sniff as a plain zip.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let body: ParsedBody
        do { body = try await BodyParser.parse(request, limit: Self.uploadLimit) } catch let e as APIError where e.status == .contentTooLarge {
            throw e
        } catch { body = ParsedBody() }
        guard let file = body.files["file"]?.first else {
            throw APIError.badRequest(Self.validating, JSONObject([("file", FieldError.required.json)]))
        }
        guard BackupArchive.isPlainZip(file.data) else {
            let shown = FileNames.normalize(file.filename)
            throw APIError.badRequest(
                Self.validating,
                JSONObject([("file", FieldError("validation_invalid_mime_type", "\"\(shown)\" mime type must be one of: application/zip.").json)]))
        }
        let key = (file.filename as NSString).lastPathComponent
        let store = storage.backupStore()
        guard LocalBackupStore.isValidKey(key), try await store.find(key) == nil else {
            throw APIError.badRequest(
                Self.validating, JSONObject([("file", FieldError("validation_backup_name_exists", "Backup file with the specified name already exists.").json)]))
        }
        let scratch = try BackupArchive.tempDir(storage.dataDir, prefix: "pb_upload_")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let temp = scratch.appendingPathComponent("upload.zip")
        do {
            try Data(file.data).write(to: temp)
            try await store.put(key, from: temp)
        } catch { throw APIError.badRequest("Failed to upload backup.") }
        return .noContent()
    }

    /// PocketBase disables the body limit here; ours is large but finite.
    static let uploadLimit = 4 << 30

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        // Only a superuser file token in `?token=` counts (the Authorization header does not).
        let token = request.uri.queryParams["token"] ?? ""
        let holder = token.isEmpty ? nil : await AuthToken.record(forToken: token, type: "file", secretKey: "fileToken", storage: storage)?.0
        guard let holder, holder.collection.name == SystemCollection.superusers else {
            throw APIError.forbidden("Insufficient permissions to access the resource.")
        }
        let key = context.parameters.get("key") ?? ""
        let store = storage.backupStore()
        guard let found = try? await store.find(key) else { throw APIError.badRequest() }
        let scratch = try BackupArchive.tempDir(storage.dataDir, prefix: "pb_download_")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let local = scratch.appendingPathComponent("download.zip")
        do { try await store.fetch(key, to: local) } catch { throw APIError.badRequest() }
        guard let data = FileManager.default.contents(atPath: local.path) else { throw APIError.badRequest() }
        let bytes = Array(data)
        return FilesController.fileResponse(
            bytes, contentType: BackupArchive.isPlainZip(Array(bytes.prefix(4096))) ? "application/zip" : "application/octet-stream",
            disposition: "attachment", filename: key, extra: [.lastModified: Self.httpDate(found.modified)])
    }

    static func httpDate(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        let key = context.parameters.get("key") ?? ""
        if let active = storage.activeBackupName, active == key {
            throw APIError.badRequest("The backup is currently being used and cannot be deleted.")
        }
        do { try await storage.backupStore().delete(key) } catch {
            throw APIError.badRequest("Invalid or already deleted backup file. Raw error: \n\(error).")
        }
        return .noContent()
    }

    /// 204 at once; the restore runs right after (PocketBase waits 1 s, restores and restarts its process). A failure
    /// afterwards only shows in the logs, as PocketBase's does.
    @Sendable func restore(_ request: Request, context: AppRequestContext) async throws -> Response {
        try context.requireSuperuser()
        if storage.backupInProgress { throw Self.busy }
        let key = context.parameters.get("key") ?? ""
        guard (try? await storage.backupStore().find(key)) != nil else { throw APIError.badRequest("Missing or invalid backup file.") }
        let storage = self.storage
        Task {
            do { try await storage.restoreBackup(key) } catch {
                storage.logger.error("Failed to restore backup", metadata: ["key": .string(key), "error": .string("\(error)")])
            }
        }
        return .noContent()
    }
}

extension BackupArchive {
    /// The content sniffs as exactly `application/zip`: a local file header whose first entry is not one that marks
    /// a zip-based format (jar, epub/OpenDocument, OOXML), which PocketBase's mime detection reports differently.
    static func isPlainZip(_ data: [UInt8]) -> Bool {
        guard data.count >= 30, data[0] == 0x50, data[1] == 0x4B, data[2] == 0x03, data[3] == 0x04 else { return false }
        let nameLength = Int(data[26]) | Int(data[27]) << 8
        guard data.count >= 30 + nameLength else { return true }
        let first = String(decoding: data[30..<(30 + nameLength)], as: UTF8.self)
        return !["META-INF/MANIFEST.MF", "mimetype", "[Content_Types].xml"].contains(first) && !first.hasPrefix("META-INF/")
    }
}
