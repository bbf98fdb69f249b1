import DevServer
import Foundation

/// Fresh data directories: one initialised template per test process, copied per test (bcrypt and the schema
/// import run once, not per scenario).
enum TestData {
    actor Template {
        var dir: URL?
        func get() async throws -> URL {
            if let dir { return dir }
            let d = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-template-\(UUID().uuidString)")
            _ = try await DevServer.prepare(DevServerConfiguration(dataDir: d))
            dir = d
            return d
        }
    }
    static let template = Template()

    static func freshStorage() async throws -> Storage {
        let src = try await template.get()
        let dst = FileManager.default.temporaryDirectory.appendingPathComponent("sptfy-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: src, to: dst)
        return try Storage(dataDir: dst)
    }
}
