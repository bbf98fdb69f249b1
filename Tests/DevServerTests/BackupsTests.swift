import Foundation
import GRDB
import Testing
import ZIPFoundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Fixtures

@testable import DevServer
@testable import PocketBase

/// Backups: the archive's layout, a restore's effect, the scheduled job's names and rotation.
@Suite struct BackupsTests {
    @Test func theArchiveHoldsTheDataDirWithoutBackupsOrScratch() async throws {
        let storage = try await TestData.freshStorage()
        try FileManager.default.createDirectory(at: storage.storageDir.appendingPathComponent("c1/r1"), withIntermediateDirectories: true)
        try Data("hello".utf8).write(to: storage.storageDir.appendingPathComponent("c1/r1/a.txt"))
        try await storage.createBackup(name: "first.zip")
        try await storage.createBackup(name: "second.zip")
        let archive = try Archive(url: storage.backupsDir.appendingPathComponent("second.zip"), accessMode: .read)
        let names = archive.map(\.path)
        #expect(names.contains("data.db") && names.contains("auxiliary.db") && names.contains("storage/c1/r1/a.txt"))
        #expect(!names.contains { $0.hasPrefix("backups/") || $0.hasPrefix(".pb_temp_to_delete") || $0.hasPrefix(".sptfy-dev") })
        #expect(archive.allSatisfy { $0.type == .file })
        #expect(try await storage.backupFiles().map(\.key) == ["first.zip", "second.zip"])
    }

    @Test func aRestoreBringsBackTheDataAndFilesOfTheBackup() async throws {
        let storage = try await TestData.freshStorage()
        let users = try #require(storage.collection("users"))
        let before = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
        try await storage.createBackup(name: "point.zip")
        _ = try await storage.createRecordAsSuperuser(
            "users", values: JSONObject([("username", "afterbackup"), ("email", "after@example.com"), ("password", "password123"), ("passwordConfirm", "password123")]))
        try Data("later".utf8).write(to: storage.dataDir.appendingPathComponent("extra.txt"))
        try await storage.restoreBackup("point.zip")
        let after = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
        #expect(after == before)
        #expect(!FileManager.default.fileExists(atPath: storage.dataDir.appendingPathComponent("extra.txt").path))
        #expect(storage.collection(users.id) != nil)
        #expect(!storage.backupInProgress)
    }

    @Test func aZipWithoutDataDBIsRefusedAndNothingChanges() async throws {
        let storage = try await TestData.freshStorage()
        try FileManager.default.createDirectory(at: storage.backupsDir, withIntermediateDirectories: true)
        let bad = storage.backupsDir.appendingPathComponent("bad.zip")
        let archive = try Archive(url: bad, accessMode: .create)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(2), provider: { _, _ in Data("hi".utf8) })
        await #expect(throws: BackupArchive.Failure.self) { try await storage.restoreBackup("bad.zip") }
        #expect(storage.collection("users") != nil)
        #expect(!storage.backupInProgress)
    }

    @Test func oneBackupAtATime() async throws {
        let storage = try await TestData.freshStorage()
        try storage.beginBackup("busy.zip")
        await #expect(throws: Storage.BackupBusy.self) { try await storage.createBackup(name: "other.zip") }
        storage.endBackup()
    }

    @Test func theScheduledBackupIsNamedLikePocketBasesAndRotates() async throws {
        let storage = try await TestData.freshStorage()
        var settings = try await storage.settings()
        settings["backups"] = .obj(["cron": "*/5 * * * *", "cronMaxKeep": 2, "s3": .obj(["enabled": false])])
        settings["meta"] = .obj(["appName": "My Test-App", "appURL": "http://localhost:8090", "senderName": "S", "senderAddress": "s@example.com"])
        try await storage.saveSettings(settings)
        let jobs = CronJobs(storage: storage)
        #expect(jobs.jobs().map(\.id).contains("__auto_pb_backup__"))
        let base = try #require(PBDate.parse("2026-12-02 17:00:00.000Z"))
        for minute in [0, 3, 5, 10, 15] { await jobs.runDue(at: base.addingTimeInterval(Double(minute * 60))) }
        // Due at :00, :05, :10, :15 (not :03); only the 2 newest @auto ones are kept; manual backups are never rotated.
        let keys = try await storage.backupFiles().map(\.key)
        #expect(keys == ["@auto_pb_backup_my_test_app_20261202171000.zip", "@auto_pb_backup_my_test_app_20261202171500.zip"])
    }

    @Test func namesFollowPocketBasesSnakecase() {
        #expect(MigrationTemplates.snakeCase("My Test-App ÄÖ  xyz") == "my_test_app_xyz")
        #expect(MigrationTemplates.snakeCase("sptfy.in") == "sptfy_in")
        #expect(MigrationTemplates.snakeCase("camelCase") == "camel_case")
    }
}

/// Backups in an S3 bucket (`backups.s3.enabled`), against the moto server `.ci/run` starts (S3_TEST_ENDPOINT).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] != nil))
struct S3BackupsTests {
    @Test func createListRestoreAndDeleteInTheBucket() async throws {
        let env = ProcessInfo.processInfo.environment
        let storage = try await TestData.freshStorage()
        var settings = try await storage.settings()
        settings["backups"] = .obj([
            "cron": "", "cronMaxKeep": 3,
            "s3": .obj([
                "enabled": true, "bucket": "sptfy-ci", "region": "us-east-1", "endpoint": .string(env["S3_TEST_ENDPOINT"] ?? ""),
                "accessKey": .string(env["S3_TEST_ACCESS_KEY"] ?? "test"), "secret": .string(env["S3_TEST_SECRET"] ?? "testsecret"),
                "forcePathStyle": true,
            ]),
        ])
        try await storage.saveSettings(settings)
        let key = "s3_\(UUID().uuidString.lowercased().prefix(8)).zip"
        try await storage.createBackup(name: key)
        #expect(!FileManager.default.fileExists(atPath: storage.backupsDir.appendingPathComponent(key).path), "not on disk")
        let listed = try await storage.backupFiles().first { $0.key == key }
        #expect((listed?.size ?? 0) > 1000)
        let before = try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 }
        _ = try await storage.createRecordAsSuperuser(
            "users", values: JSONObject([("username", "s3later"), ("email", "s3later@example.com"), ("password", "password123"), ("passwordConfirm", "password123")]))
        try await storage.restoreBackup(key)
        #expect(try await storage.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users") ?? 0 } == before)
        // The restored settings are the backup's (S3 still on): the key is still there to delete, once.
        try await storage.deleteBackup(key)
        await #expect(throws: BackupNotFound.self) { try await storage.deleteBackup(key) }
    }
}

/// Record files in the top-level `s3` bucket (`s3.enabled`): upload, download, replace and delete go to the bucket.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["S3_TEST_ENDPOINT"] != nil))
struct S3FileStorageTests {
    @Test func uploadsDownloadsAndDeletesGoToTheBucket() async throws {
        let env = ProcessInfo.processInfo.environment
        let storage = try await TestData.freshStorage()
        let s3 = JSONObject([
            ("enabled", true), ("bucket", "sptfy-ci"), ("region", "us-east-1"), ("endpoint", .string(env["S3_TEST_ENDPOINT"] ?? "")),
            ("accessKey", .string(env["S3_TEST_ACCESS_KEY"] ?? "test")), ("secret", .string(env["S3_TEST_SECRET"] ?? "testsecret")),
            ("forcePathStyle", true),
        ])
        var settings = try await storage.settings()
        settings["s3"] = .object(s3)
        try await storage.saveSettings(settings)
        let users = try #require(storage.collection("users"))
        let boundary = "s3files"
        let png = NamedFixtures.avatarPNG
        let body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\ns3files\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\npassword123\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"passwordConfirm\"\r\n\r\npassword123\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"face.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            + png + Array("\r\n--\(boundary)--\r\n".utf8)
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let created = try await client.execute(
                uri: "/api/collections/users/records", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(bytes: body))
            #expect(created.status == .ok)
            let record = try JSONValue.parseStrict(String(buffer: created.body))
            let id = record["id"]?.stringValue ?? "", name = record["avatar"]?.stringValue ?? ""
            #expect(!FileManager.default.fileExists(atPath: storage.storageDir.appendingPathComponent("\(users.id)/\(id)/\(name)").path), "not on disk")
            let bucket = S3Client(settings: s3)
            #expect(try await bucket.headObject(key: "\(users.id)/\(id)/\(name)") != nil, "in the bucket")
            let download = try await client.execute(uri: "/api/files/\(users.id)/\(id)/\(name)", method: .get)
            #expect(download.status == .ok && Array(download.body.readableBytesView) == png)
            #expect(download.headers[.contentType] == "image/png")
            // Deleting the record deletes its files.
            let su = try await StateTests.superuser(client)
            let deleted = try await client.execute(uri: "/api/collections/users/records/\(id)", method: .delete, headers: [.authorization: su])
            #expect(deleted.status == .noContent)
            #expect(try await bucket.headObject(key: "\(users.id)/\(id)/\(name)") == nil, "gone from the bucket")
        }
    }
}
