import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import DevServer
@testable import PocketBase

/// Verification and password reset end to end through the dev mailbox (real PocketBase would send SMTP).
@Suite struct MailFlowTests {
    func post(_ client: some TestClientProtocol, _ path: String, _ body: JSONValue, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = token }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body.encoded()))
    }

    func mails(_ client: some TestClientProtocol, superuser: String) async throws -> [JSONValue] {
        let r = try await client.execute(uri: "/api/sptfy-dev/mails", method: .get, headers: [.authorization: superuser])
        return try JSONValue.parse(Array(r.body.readableBytesView)).arrayValue ?? []
    }

    @Test func verifyAndResetThroughTheMailbox() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await post(client, "/api/collections/_superusers/auth-with-password", .obj([
                "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
            ]))
            let suToken = try JSONValue.parse(Array(su.body.readableBytesView))["token"]?.stringValue ?? ""
            let created = try await post(client, "/api/collections/users/records", .obj([
                "username": "mailer", "email": "mailer@example.com", "password": "password123", "passwordConfirm": "password123",
            ]))
            #expect(created.status == .ok)
            let unauthorized = try await client.execute(uri: "/api/sptfy-dev/mails", method: .get)
            #expect(unauthorized.status == .unauthorized)

            #expect(try await post(client, "/api/collections/users/request-verification", .obj(["email": "mailer@example.com"])).status == .noContent)
            // a second request within two minutes is not re-sent
            #expect(try await post(client, "/api/collections/users/request-verification", .obj(["email": "mailer@example.com"])).status == .noContent)
            var inbox = try await mails(client, superuser: suToken)
            #expect(inbox.count == 1)
            let mail = try #require(inbox.first)
            #expect(mail["to"] == "mailer@example.com" && mail["subject"] == "[sptfyin] Verify your Acme email")
            let html = mail["html"]?.stringValue ?? ""
            let token = try #require(html.range(of: "confirm-verification/").map { String(html[$0.upperBound...].prefix { $0 != "\"" }) })
            #expect(try await post(client, "/api/collections/users/confirm-verification", .obj(["token": .string(token)])).status == .noContent)
            let verified = try await storage.read { db in try Bool.fetchOne(db, sql: "SELECT verified FROM users WHERE username = 'mailer'") }
            #expect(verified == true)

            #expect(try await post(client, "/api/collections/users/request-password-reset", .obj(["email": "mailer@example.com"])).status == .noContent)
            inbox = try await mails(client, superuser: suToken)
            let resetHTML = inbox.last?["html"]?.stringValue ?? ""
            let resetToken = try #require(resetHTML.range(of: "confirm-password-reset/").map { String(resetHTML[$0.upperBound...].prefix { $0 != "\"" }) })
            let confirm = try await post(client, "/api/collections/users/confirm-password-reset", .obj([
                "token": .string(resetToken), "password": "newpassword1", "passwordConfirm": "newpassword1",
            ]))
            #expect(confirm.status == .noContent)
            let login = try await post(client, "/api/collections/users/auth-with-password", .obj(["identity": "mailer", "password": "newpassword1"]))
            #expect(login.status == .ok)
            // the reset token is single-use: the password change rotated tokenKey
            let again = try await post(client, "/api/collections/users/confirm-password-reset", .obj([
                "token": .string(resetToken), "password": "newpassword2", "passwordConfirm": "newpassword2",
            ]))
            #expect(again.status == .badRequest)

            // email change: request as the user, confirm with the token from the mail and the password
            let userToken = try JSONValue.parse(Array(login.body.readableBytesView))["token"]?.stringValue ?? ""
            let request = try await post(client, "/api/collections/users/request-email-change", .obj(["newEmail": "renamed@example.com"]), token: userToken)
            #expect(request.status == .noContent)
            inbox = try await mails(client, superuser: suToken)
            #expect(inbox.last?["to"] == "renamed@example.com")
            let changeHTML = inbox.last?["html"]?.stringValue ?? ""
            let changeToken = try #require(changeHTML.range(of: "confirm-email-change/").map { String(changeHTML[$0.upperBound...].prefix { $0 != "\"" }) })
            let wrong = try await post(client, "/api/collections/users/confirm-email-change", .obj(["token": .string(changeToken), "password": "nope-nope"]))
            #expect(wrong.status == .badRequest)
            let ok = try await post(client, "/api/collections/users/confirm-email-change", .obj(["token": .string(changeToken), "password": "newpassword1"]))
            #expect(ok.status == .noContent)
            let email = try await storage.read { db in try String.fetchOne(db, sql: "SELECT email FROM users WHERE username = 'mailer'") }
            #expect(email == "renamed@example.com")
            let refresh = try await post(client, "/api/collections/users/auth-refresh", .obj([:]), token: userToken)
            #expect(refresh.status == .unauthorized, "the email change rotated tokenKey")
        }
        // the mailbox survives in the data dir for `sptfy-dev mail`
        #expect(DevMailbox(dataDir: storage.dataDir).all.count == 3)
    }

    /// `POST /api/settings/test/email` delivers the chosen template of the chosen collection to the dev mailbox.
    @Test func settingsTestEmailLandsInTheMailbox() async throws {
        let storage = try await TestData.freshStorage()
        try await DevServer.buildApplication(storage: storage).test(.router) { client in
            let su = try await post(client, "/api/collections/_superusers/auth-with-password", .obj([
                "identity": .string(DevServerConfiguration.defaultSuperuserEmail), "password": .string(DevServerConfiguration.defaultSuperuserPassword),
            ]))
            let token = try JSONValue.parse(Array(su.body.readableBytesView))["token"]?.stringValue ?? ""
            for template in ["verification", "otp"] {
                let r = try await post(
                    client, "/api/settings/test/email", .obj(["email": "probe@example.com", "template": .string(template), "collection": "users"]), token: token)
                #expect(r.status == .noContent)
            }
            let inbox = try await mails(client, superuser: token).filter { $0["to"] == "probe@example.com" }
            #expect(inbox.count == 2)
            let subjects = inbox.compactMap { $0["subject"]?.stringValue }
            #expect(subjects.contains { $0.contains("Verify your") } && subjects.contains { $0.contains("OTP for") }, "\(subjects)")
        }
    }
}
