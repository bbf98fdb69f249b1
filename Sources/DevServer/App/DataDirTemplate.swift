import Fixtures
import Foundation
import PocketBase

/// Fresh, initialised data directories in milliseconds: the first call bootstraps one template (PocketBase's
/// tables, the sptfy.in schema, the dev superuser — bcrypt and the import run once), later calls copy it.
public actor DataDirTemplate {
    public static let shared = DataDirTemplate()

    struct Key: Hashable {
        var fixtures: FixtureOptions?
        var profile: Profile
    }

    /// One template per profile and fixture world (nil: schema and superuser only).
    private var templates: [Key: URL] = [:]

    public init() {}

    func templateDir(_ fixtures: FixtureOptions?, profile: Profile) async throws -> URL {
        let key = Key(fixtures: fixtures, profile: profile)
        if let template = templates[key] { return template }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-template-\(UUID().uuidString)")
        // Storage closes (and checkpoints the WAL) when `prepare`'s result goes out of scope.
        _ = try await DevServer.prepare(DevServerConfiguration(dataDir: dir, fixtures: fixtures, profile: profile))
        templates[key] = dir
        return dir
    }

    /// A private copy of the template, opened.
    public func freshStorage(fixtures: FixtureOptions? = nil, profile: Profile = .production) async throws -> Storage {
        let src = try await templateDir(fixtures, profile: profile)
        let dst = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-data-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: src, to: dst)
        return try Storage(dataDir: dst)
    }
}
