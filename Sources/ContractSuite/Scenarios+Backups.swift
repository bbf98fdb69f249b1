import Foundation
import PBJSON

extension ScenarioContext {
    /// A superuser file token (`POST /api/files/token`), the only credential backup downloads accept.
    public func fileToken(_ token: String) async throws -> String {
        let r = try await send("POST", "/api/files/token", token: token)
        try expectStatus(r, 200, "file token")
        return try r.json()["token"]?.stringValue ?? ""
    }

    /// Multipart body with one file part.
    public static func multipart(field: String, filename: String, content: [UInt8], boundary: String) -> [UInt8] {
        Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/zip\r\n\r\n".utf8)
            + content + Array("\r\n--\(boundary)--\r\n".utf8)
    }
}

extension Scenarios {
    static let backups: [Scenario] = [
        Scenario("backups: create, list, download with a file token, upload, delete — and every refusal", tags: [.mutating, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let key = "contract_\(ctx.runID).zip"
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/backups/\(key)", token: su) }
            let validating = "An error occurred while validating the submitted data."
            try expectError(try await ctx.send("GET", "/api/backups"), 401, "The request requires valid record authorization token.")
            let user = try await ctx.user("bk")
            try expectError(try await ctx.send("GET", "/api/backups", token: user.token), 403, "The authorized record is not allowed to perform this action.")
            for (bad, error) in [
                ("Bad.zip", fieldError("validation_match_invalid", "Must be in a valid format.")),
                ("nozip", fieldError("validation_match_invalid", "Must be in a valid format.")),
                (String(repeating: "a", count: 147) + ".zip",
                 fieldError("validation_length_out_of_range", "The length must be between 1 and 150.", params: ["max": 150, "min": 1])),
            ] {
                try expectError(try await ctx.send("POST", "/api/backups", json: .obj(["name": .string(bad)]), token: su), 400, validating, data: .obj(["name": error]))
            }
            try expectError(
                try await ctx.send("POST", "/api/backups", json: .obj(["name": 5]), token: su), 400, "An error occurred while loading the submitted data.")

            let created = try await ctx.send("POST", "/api/backups", json: .obj(["name": .string(key)]), token: su)
            try expectStatus(created, 204, "create: \(created.text)")
            try expect(created.body.isEmpty, "204 without a body")
            try expectError(
                try await ctx.send("POST", "/api/backups", json: .obj(["name": .string(key)]), token: su), 400, validating,
                data: .obj(["name": fieldError("validation_backup_name_exists", "The backup file name is invalid or already exists.")]))
            let listed = try await ctx.send("GET", "/api/backups", token: su)
            try expectStatus(listed, 200)
            let item = try listed.json().arrayValue?.first { $0["key"] == .string(key) }
            try expect(item?.objectValue?.keys == ["modified", "key", "size"], "item keys: \(listed.text)")
            try expect((item?["size"]?.numberValue ?? 0) > 1000, "size: \(String(describing: item))")
            try expect(item?["modified"]?.stringValue.flatMap(PBDate.parse) != nil, "modified date: \(String(describing: item))")
            let keys = try listed.json().arrayValue?.compactMap { $0["key"]?.stringValue } ?? []
            try expect(keys == keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "listed in key order: \(keys)")

            // Downloads take only a superuser file token.
            let denied = "Insufficient permissions to access the resource."
            try expectError(try await ctx.send("GET", "/api/backups/\(key)", token: su), 403, denied)
            try expectError(try await ctx.send("GET", "/api/backups/\(key)?token=\(su)"), 403, denied)
            try expectError(try await ctx.send("GET", "/api/backups/\(key)?token=\(try await ctx.fileToken(user.token))"), 403, denied)
            let fileToken = try await ctx.fileToken(su)
            let zip = try await ctx.send("GET", "/api/backups/\(key)?token=\(fileToken)")
            try expectStatus(zip, 200, "download")
            try expect(Array(zip.body.prefix(4)) == [0x50, 0x4B, 0x03, 0x04], "a zip archive")
            try expect(zip.header("Content-Type") == "application/zip", "content type: \(zip.headers)")
            try expect(zip.header("Content-Disposition") == "attachment; filename=\(key)", "disposition: \(zip.headers)")
            try expect(zip.header("Content-Length") == String(zip.body.count), "length")
            try expectError(try await ctx.send("GET", "/api/backups/nope_\(ctx.runID).zip?token=\(fileToken)"), 400, "Something went wrong while processing your request.")

            // Upload: the `file` part, a plain zip, a free key.
            let boundary = "sptfybk\(ctx.runID)"
            @Sendable func upload(_ name: String, _ content: [UInt8]) async throws -> ContractResponse {
                try await ctx.send(
                    "POST", "/api/backups/upload", token: su, headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")],
                    rawBody: ScenarioContext.multipart(field: "file", filename: name, content: content, boundary: boundary))
            }
            let uploadedKey = "up_\(ctx.runID).zip"
            ctx.cleanup { _ = try? await ctx.send("DELETE", "/api/backups/\(uploadedKey)", token: su) }
            try expectStatus(try await upload(uploadedKey, zip.body), 204, "upload")
            try expectError(
                try await upload(uploadedKey, zip.body), 400, validating,
                data: .obj(["file": fieldError("validation_backup_name_exists", "Backup file with the specified name already exists.")]))
            let notZip = try await upload("text_\(ctx.runID).zip", Array("hello".utf8))
            try expectStatus(notZip, 400)
            let mime = try notZip.json()["data"]?["file"]
            try expect(mime?["code"] == "validation_invalid_mime_type", "mime error: \(notZip.text)")
            try expect(mime?["message"]?.stringValue?.hasSuffix("mime type must be one of: application/zip.") == true, "mime message: \(notZip.text)")
            try expectError(
                try await ctx.send("POST", "/api/backups/upload", json: .obj([:]), token: su), 400, validating,
                data: .obj(["file": fieldError("validation_required", "Cannot be blank.")]))

            // Delete and restore refusals.
            try expectStatus(try await ctx.send("DELETE", "/api/backups/\(uploadedKey)", token: su), 204)
            try expectError(
                try await ctx.send("DELETE", "/api/backups/\(uploadedKey)", token: su), 400,
                "Invalid or already deleted backup file. Raw error: \nblob not found.")
            try expectError(
                try await ctx.send("POST", "/api/backups/nope_\(ctx.runID).zip/restore", token: su), 400, "Missing or invalid backup file.")
            let health = try await ctx.send("GET", "/api/health", token: su)
            try expect(try health.json()["data"]?["canBackup"] == .bool(true), "canBackup after: \(health.text)")
        },
        Scenario("backups: a restore brings the data of the backup back", tags: [.mutating, .destructive, .needsSuperuser]) { ctx in
            let su = try await ctx.superuser()
            let key = "restore_\(ctx.runID).zip"
            let kept = try await ctx.user("kept")
            try expectStatus(try await ctx.send("POST", "/api/backups", json: .obj(["name": .string(key)]), token: su), 204, "backup")
            let later = try await ctx.user("later")
            try expectStatus(try await ctx.send("POST", "/api/backups/\(key)/restore", token: su), 204, "restore accepted")
            // PocketBase restores after ~1 s and restarts its process: poll (through refused connections) until the
            // later user is gone.
            let deadline = ContinuousClock.now + .seconds(60)
            var restored = false
            while !restored && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(300))
                guard let login = try? await ctx.send(
                    "POST", "/api/collections/_superusers/auth-with-password",
                    json: .obj(["identity": .string(ctx.target.superuserEmail), "password": .string(ctx.target.superuserPassword)])),
                    login.status == 200, let token = try? login.json()["token"]?.stringValue
                else { continue }
                let gone = try? await ctx.send("GET", "/api/collections/users/records/\(later.id)", token: token)
                let there = try? await ctx.send("GET", "/api/collections/users/records/\(kept.id)", token: token)
                let health = try? await ctx.send("GET", "/api/health", token: token)
                restored = gone?.status == 404 && there?.status == 200 && (try? health?.json()["data"]?["canBackup"]) == .bool(true)
                if restored {
                    _ = try? await ctx.send("DELETE", "/api/backups/\(key)", token: token)
                }
            }
            try expect(restored, "the data after the backup is gone, the data before it is back")
        },
    ]
}
