import Foundation
import PBJSON

/// One HTTP exchange as a scenario sees it.
public struct ContractRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Send only the request head with this `Content-Length` (no body): how a server's early 413 is observed
    /// without the client failing mid-upload when the server closes the connection.
    public var declaredLength: Int?

    public init(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil, declaredLength: Int? = nil) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.declaredLength = declaredLength
    }
}

public struct ContractResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// All values of a header (case-insensitive name).
    public func headerValues(_ name: String) -> [String] {
        headers.filter { $0.0.lowercased() == name.lowercased() }.map(\.1)
    }

    public func header(_ name: String) -> String? { headerValues(name).first }

    public func json() throws -> JSONValue {
        do { return try JSONValue.parseStrict(text) } catch {
            throw ContractFailure("response is not JSON (status \(status)): \(text.prefix(300))")
        }
    }
}

/// Transport seam: in-process router, a live local server, or any remote base URL.
public protocol ContractClient: Sendable {
    func send(_ request: ContractRequest) async throws -> ContractResponse
}

/// A scenario's assertion failure.
/// A failed expectation, with the scenario line that made it (`ContractSuite/Scenarios+Records.swift:42: …`).
public struct ContractFailure: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var fileID: String
    public var line: Int
    public var description: String { "\(fileID):\(line): \(message)" }

    public init(_ message: String, fileID: String = #fileID, line: Int = #line) {
        self.message = message
        self.fileID = fileID
        self.line = line
    }
}
