import DevServer

/// Each test gets its own copy of an initialised data dir.
enum TestData {
    static func freshStorage() async throws -> Storage { try await DataDirTemplate.shared.freshStorage() }
}
