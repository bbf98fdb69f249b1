import AsyncHTTPClient
import DevServer
import Fixtures
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Each class of hostile input at twice the limit that once took the process down (or would have): the server
/// answers it with a PocketBase envelope, and `/api/health` still answers afterwards. Over a real socket, so the
/// HTTP layer is included.
@Suite struct RobustnessTests {
    struct Answer {
        var status: Int
        var body: JSONValue?
    }

    static func send(
        _ server: RunningDevServer, _ method: HTTPMethod, _ path: String, token: String? = nil, contentType: String? = nil,
        body: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.method = method
        request.headers.add(name: "Connection", value: "close")
        if let token { request.headers.add(name: "Authorization", value: token) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        return Answer(status: Int(response.status.code), body: try? JSONValue.parse(bytes))
    }

    static func superuserToken(_ server: RunningDevServer) async throws -> String {
        let body = JSONValue.obj([
            "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
        ]).encoded()
        let answer = try await send(
            server, .POST, "/api/collections/_superusers/auth-with-password", contentType: "application/json", body: Array(body.utf8))
        return answer.body?["token"]?.stringValue ?? ""
    }

    static func multipart(parts: Int, headerBytes: Int = 0) -> [UInt8] {
        var out = ""
        let padding = headerBytes > 0 ? "X-Pad: " + String(repeating: "p", count: headerBytes) + "\r\n" : ""
        for i in 0..<parts {
            out += "--XB\r\nContent-Disposition: form-data; name=\"k\(i)\"\r\n\(padding)\r\nv\r\n"
        }
        return Array((out + "--XB--\r\n").utf8)
    }

    @Test func hostileInputsAtTwiceTheLimitsLeaveTheServerAnswering() async throws {
        let server = try await DevServer.start(fixtures: FixtureOptions(scale: 0))
        let su = try await Self.superuserToken(server)
        let records = "/api/collections/analytics/records"
        var cases: [(String, () async throws -> Answer)] = []

        // 400,000 keys (~12 MiB): parsed in linear time, unknown keys ignored.
        let manyKeys = "{" + (0..<400_000).map { "\"k\($0)\":1" }.joined(separator: ",") + "}"
        cases.append(("400k keys", { try await Self.send(server, .POST, records, contentType: "application/json", body: Array(manyKeys.utf8)) }))
        cases.append((
            "nesting 1024 deep",
            { try await Self.send(server, .POST, records, contentType: "application/json", body: Array((String(repeating: "[", count: 1024)).utf8)) }
        ))
        for contentType in ["multipart/form-data; boundary=", "multipart/form-data", "multipart/form-data; boundary=\"\""] {
            cases.append((contentType, { try await Self.send(server, .POST, records, contentType: contentType, body: Self.multipart(parts: 2)) }))
        }
        cases.append((
            "4000 parts",
            { try await Self.send(server, .POST, records, contentType: "multipart/form-data; boundary=XB", body: Self.multipart(parts: 4000)) }
        ))
        cases.append((
            "part header 2 MiB",
            { try await Self.send(server, .POST, records, contentType: "multipart/form-data; boundary=XB", body: Self.multipart(parts: 1, headerBytes: 2 << 20)) }
        ))
        for query in [
            "page=9223372036854775807", "perPage=9223372036854775807", "page=9223372036854775807&perPage=9223372036854775807",
            "page=-9223372036854775808", "page=99999999999999999999", "fields=id:excerpt(9223372036854775807)",
            "fields=id:excerpt(99999999999999999999)", "filter=" + String(repeating: "(id='x')||", count: 400) + "id='x'",
            "filter=id='" + String(repeating: "x", count: 7_000) + "'", "sort=" + String(repeating: "-id,", count: 2_000),
            "expand=" + String(repeating: "url_id.", count: 200) + "user",
        ] {
            cases.append((query.prefix(60).description, { try await Self.send(server, .GET, "\(records)?\(query)", token: su) }))
        }
        for number in ["1e308", "-1e308", "9223372036854775807", "-9223372036854775808", "18446744073709551616"] {
            cases.append((
                "impersonate duration \(number)",
                {
                    try await Self.send(
                        server, .POST, "/api/collections/users/impersonate/\(NamedFixtures.alice.id)", token: su, contentType: "application/json",
                        body: Array("{\"duration\":\(number)}".utf8))
                }
            ))
            cases.append((
                "settings \(number)",
                {
                    try await Self.send(
                        server, .PATCH, "/api/settings", token: su, contentType: "application/json",
                        body: Array("{\"batch\":{\"enabled\":true,\"maxRequests\":\(number),\"timeout\":\(number),\"maxBodySize\":\(number)}}".utf8))
                }
            ))
            cases.append((
                "collection options \(number)",
                {
                    let fields = """
                        [{"name":"r","type":"relation","collectionId":"_pb_users_auth_","maxSelect":\(number),"minSelect":\(number)},
                         {"name":"t","type":"text","min":\(number),"max":\(number)},{"name":"f","type":"file","maxSelect":\(number),"maxSize":\(number)},
                         {"name":"s","type":"select","values":["a"],"maxSelect":\(number)},{"name":"j","type":"json","maxSize":\(number)},
                         {"name":"n","type":"number","min":\(number),"max":\(number)}]
                        """
                    return try await Self.send(
                        server, .POST, "/api/collections", token: su, contentType: "application/json",
                        body: Array("{\"name\":\"big\(abs(number.hashValue % 1000))\",\"type\":\"base\",\"fields\":\(fields)}".utf8))
                }
            ))
            cases.append((
                "utm_view+ \(number)",
                {
                    try await Self.send(
                        server, .PATCH, "/api/collections/random_short/records/\(NamedFixtures.aliceTrack.id)", token: su,
                        contentType: "application/json", body: Array("{\"utm_view+\":\(number)}".utf8))
                }
            ))
        }
        cases.append((
            "text pattern repeat",
            {
                try await Self.send(
                    server, .POST, "/api/collections", token: su, contentType: "application/json",
                    body: Array(#"{"name":"pat","type":"base","fields":[{"name":"id","type":"text","primaryKey":true,"required":true,"min":1,"max":99,"pattern":"^[a-z]+$","autogeneratePattern":"[\ud7ff-\ue000]{99999999999}"}]}"#.utf8))
            }
        ))
        cases.append((
            "declared 64 MiB on a GET",
            { try await Self.send(server, .GET, "/api/health", headers: [("Content-Length", String(64 << 20))]) }
        ))

        for (name, run) in cases {
            let answer: Answer
            do { answer = try await run() } catch {
                // A refused or reset connection is an answer too (Go closes some); the server must still be up.
                answer = Answer(status: 0, body: nil)
            }
            #expect(answer.status < 500, "\(name): \(answer.status)")
            if answer.status >= 400 {
                #expect(answer.body?["status"] == .number(Double(answer.status)), "\(name): PocketBase's envelope")
            }
            let health = try await Self.send(server, .GET, "/api/health")
            #expect(health.status == 200, "after \(name)")
        }
        await server.stop()
    }
}
