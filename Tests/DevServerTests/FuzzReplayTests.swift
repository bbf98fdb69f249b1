import Foundation
import FuzzHarness
import Testing

/// Replays the hand-written HTTP fuzz seeds and every finding kept as a regression through the router: none may
/// trap, hang or answer with a 5xx (`scripts/fuzz-http.sh` finds them; this keeps them fixed). The fuzzer-grown
/// corpus (`Fuzz/corpus/http`) is replayed by every libFuzzer run, under ASan, before it mutates.
@Suite struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func inputs(_ folder: String) -> [URL] {
        let dir = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test func corpusAndRegressionsAnswerWithoutFindings() async throws {
        let files = Self.inputs("Fuzz/regressions/http") + Self.inputs("Fuzz/seeds/http")
        #expect(files.count >= 30, "the committed corpus is there")
        let harness = try await HTTPFuzzHarness.make()
        var statuses: [Int: Int] = [:]
        for file in files {
            let outcome = await harness.run(Array(try Data(contentsOf: file)))
            #expect(outcome.finding == nil, "\(file.lastPathComponent): \(outcome.finding ?? "")")
            statuses[outcome.status, default: 0] += 1
        }
        // The corpus exercises successes and refusals alike (a harness that only produced 404s would be useless).
        #expect(statuses[200, default: 0] > 5 && statuses.keys.contains { (400..<500).contains($0) })
        let health = await harness.run(Array("GET /api/health\n".utf8))
        #expect(health.status == 200)
    }
}
