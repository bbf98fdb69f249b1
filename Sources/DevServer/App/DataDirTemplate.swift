import Fixtures
import Foundation
import PocketBase

/// Fresh, initialised data directories in milliseconds: the first call bootstraps one template (PocketBase's
/// tables, the sptfy.in schema, the dev superuser — bcrypt and the import run once), later calls copy it.
public actor DataDirTemplate {
    public static let shared = DataDirTemplate()

    /// One template per fixture world (nil: schema and superuser only).
    private var templates: [FixtureOptions?: URL] = [:]

    public init() {}

    func templateDir(_ fixtures: FixtureOptions?) async throws -> URL {
        if let template = templates[fixtures] { return template }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-template-\(UUID().uuidString)")
        // Storage closes (and checkpoints the WAL) when `prepare`'s result goes out of scope.
        _ = try await DevServer.prepare(DevServerConfiguration(dataDir: dir, fixtures: fixtures))
        templates[fixtures] = dir
        return dir
    }

    /// A private copy of the template, opened.
    public func freshStorage(fixtures: FixtureOptions? = nil) async throws -> Storage {
        let src = try await templateDir(fixtures)
        let dst = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-data-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: src, to: dst)
        return try Storage(dataDir: dst)
    }
}
