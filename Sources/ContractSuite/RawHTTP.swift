import Foundation
import NIOCore
import NIOPosix

/// Sends a bare HTTP/1.1 request head and reads the reply until the server closes or answers completely.
/// Only used to observe early refusals (413) that real clients see before uploading a body.
enum RawHTTP {
    static func sendHead(baseURL: String, request: ContractRequest, length: Int) async throws -> ContractResponse {
        guard let url = URL(string: baseURL), let host = url.host else { throw ContractFailure("bad base URL \(baseURL)") }
        let port = url.port ?? 80
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(length)\r\nConnection: close\r\n"
        for (k, v) in request.headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        var received: [UInt8] = []
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: head))
            for try await chunk in inbound {
                received += chunk.readableBytesView
                if let r = parse(received), r.body.count >= r.expected { break }
            }
        }
        guard let r = parse(received) else { throw ContractFailure("no HTTP response: \(String(decoding: received, as: UTF8.self))") }
        return r.response
    }

    static func parse(_ bytes: [UInt8]) -> (response: ContractResponse, body: [UInt8], expected: Int)? {
        let sep: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...max(0, bytes.count - 4)).first(where: { bytes.count >= $0 + 4 && Array(bytes[$0..<$0 + 4]) == sep }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let status = lines.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let i = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<i]), line[line.index(after: i)...].trimmingCharacters(in: .whitespaces))
        }
        let body = Array(bytes[(end + 4)...])
        let expected = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? body.count
        return (ContractResponse(status: status, headers: headers, body: Array(body.prefix(expected))), body, expected)
    }
}
