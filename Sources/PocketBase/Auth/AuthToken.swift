import Foundation
import JWTKit
import NIOConcurrencyHelpers

/// PocketBase token claims (`core/record_tokens.go`): signed HS256 with `tokenKey + collection secret`.
struct TokenClaims: JWTPayload, Equatable {
    var id: String
    var type: String
    var collectionId: String
    var exp: ExpirationClaim
    var refreshable: Bool?
    /// Verification / password-reset tokens carry the email they were issued for.
    var email: String?
    var newEmail: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

public enum AuthToken {
    /// Issues an auth token for a record (`{"collectionId","exp","id","refreshable","type":"auth"}`).
    static func issue(
        for record: Record, type: String = "auth", secretKey: String = "authToken", duration: Int? = nil, refreshable: Bool? = true,
        email: String? = nil, newEmail: String? = nil
    ) async throws -> String {
        let seconds = duration ?? record.collection.tokenDuration(secretKey)
        let claims = TokenClaims(
            id: record.id, type: type, collectionId: record.collection.id,
            exp: ExpirationClaim(value: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + Double(seconds)).rounded(.down))),
            refreshable: type == "auth" ? refreshable : nil, email: email, newEmail: newEmail)
        let keys = await keyCollection(record.string("tokenKey") + record.collection.tokenSecret(secretKey))
        return try await keys.sign(claims, header: ["typ": "JWT"])
    }

    /// Resolves an `Authorization` header value to its auth record; nil for anything invalid (guest).
    static func resolve(_ header: String, storage: Storage) async -> AuthRecord? {
        // Only the exact "Bearer " prefix is stripped (PocketBase: lowercase "bearer" is an invalid token).
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : header
        guard !token.isEmpty else { return nil }
        if let known = VerifiedTokens.shared[token] {
            // Signed with `known.secret`: still valid while unexpired and the record's secret is the same (a new
            // tokenKey or collection secret changes it, as it would fail the signature).
            guard known.claims.exp.value > Date(), let collection = storage.collection(known.claims.collectionId),
                collection.id == known.claims.collectionId, collection.isAuth,
                let record = try? await storage.findRecord(collection, id: known.claims.id),
                record.string("tokenKey") + collection.tokenSecret("authToken") == known.secret
            else { return nil }
            return AuthRecord(record: record, refreshable: known.claims.refreshable ?? false)
        }
        let parser = JWTKeyCollection()
        guard let claims = try? await parser.unverified(token, as: TokenClaims.self), claims.type == "auth",
            !claims.id.isEmpty, claims.exp.value > Date(),
            let collection = storage.collection(claims.collectionId), collection.id == claims.collectionId, collection.isAuth,
            let record = try? await storage.findRecord(collection, id: claims.id)
        else { return nil }
        let secret = record.string("tokenKey") + collection.tokenSecret("authToken")
        let keys = await keyCollection(secret)
        guard let verified = try? await keys.verify(token, as: TokenClaims.self), verified.id == record.id else { return nil }
        VerifiedTokens.shared[token] = VerifiedTokens.Entry(claims: verified, secret: secret)
        return AuthRecord(record: record, refreshable: verified.refreshable ?? false)
    }
}

/// Auth tokens whose signature jwt-kit has verified, with the secret it was verified with: a token sent again
/// (every request of a session) skips decoding its JSON twice and the HMAC. Bounded: when full it starts over.
enum VerifiedTokens {
    struct Entry: Sendable {
        let claims: TokenClaims
        let secret: String
    }

    static let capacity = 4096
    static let shared = BoundedCache<String, Entry>(capacity: capacity)
}

extension AuthToken {
    /// HS256 keys whose serializer sorts JSON keys, so tokens look like golang-jwt's:
    /// header `{"alg":"HS256","typ":"JWT"}`, claims in alphabetical order.
    static func keyCollection(_ secret: String) async -> JWTKeyCollection {
        // One collection per secret, reused (making one — an actor, an encoder, the HMAC key — was a tenth of an
        // auth-refresh); bounded like the verified tokens.
        if let known = keyCollections[secret] { return known }
        let keys = await makeKeyCollection(secret)
        keyCollections[secret] = keys
        return keys
    }

    private static let keyCollections = BoundedCache<String, JWTKeyCollection>(capacity: VerifiedTokens.capacity)

    static func makeKeyCollection(_ secret: String) async -> JWTKeyCollection {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = .sortedKeys
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, serializer: DefaultJWTSerializer(jsonEncoder: encoder))
        return keys
    }
}

extension AuthToken {
    /// PocketBase's FindAuthRecordByToken for a non-auth token type (`verification`, `passwordReset`).
    static func record(forToken token: String, type: String, secretKey: String, storage: Storage) async -> (Record, TokenClaims)? {
        guard let claims = try? await JWTKeyCollection().unverified(token, as: TokenClaims.self), claims.type == type,
            claims.exp.value > Date(), let c = storage.collection(claims.collectionId), c.isAuth,
            let record = try? await storage.findRecord(c, id: claims.id)
        else { return nil }
        let keys = await keyCollection(record.string("tokenKey") + c.tokenSecret(secretKey))
        guard (try? await keys.verify(token, as: TokenClaims.self)) != nil else { return nil }
        return (record, claims)
    }
}

/// The authenticated caller.
public struct AuthRecord: Sendable {
    public let record: Record
    public let refreshable: Bool
    public var collection: CollectionModel { record.collection }
    public var id: String { record.id }
}
