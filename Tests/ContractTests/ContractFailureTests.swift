import ContractSuite
import Testing

/// A failing scenario points at the line of the expectation that failed, not at the helper.
@Suite struct ContractFailureTests {
    @Test func failuresCarryTheScenarioLine() throws {
        let line = #line + 1
        let failure = #expect(throws: ContractFailure.self) { try expect(1 + 1 == 3, "arithmetic") }
        #expect(failure?.line == line)
        #expect(failure?.fileID == "ContractTests/ContractFailureTests.swift")
        #expect(failure?.description == "ContractTests/ContractFailureTests.swift:\(line): arithmetic")
    }

    @Test func envelopeChecksReportTheCaller() throws {
        let response = ContractResponse(status: 404, headers: [], body: Array(#"{"data":{},"message":"x","status":404}"#.utf8))
        let line = #line + 1
        let failure = #expect(throws: ContractFailure.self) { try expectError(response, 400, "Failed.") }
        #expect(failure?.line == line)
        #expect(failure?.message.contains("expected status 400, got 404") == true)
    }
}
