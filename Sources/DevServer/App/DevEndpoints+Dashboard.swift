import Fixtures
import Foundation
import Hummingbird
import PocketBase
import TurnstileStub

/// What the dev endpoints report about how the server was started (the dashboard's dev panels).
public struct DevDetails: Sendable {
    public var fixtures: FixtureOptions?
    public var realSpotify = false
    public var automigrateDir: URL?
    /// `CF_SECRET_KEY` as the hooks use it (nil: Turnstile not checked).
    public var turnstileSecret: String?

    public init(fixtures: FixtureOptions? = nil, realSpotify: Bool = false, automigrateDir: URL? = nil, turnstileSecret: String? = nil) {
        self.fixtures = fixtures
        self.realSpotify = realSpotify
        self.automigrateDir = automigrateDir
        self.turnstileSecret = turnstileSecret
    }
}

/// The dev endpoints behind the dashboard's panels and editors (superusers only): the server's setup, the migration
/// files automigrate wrote, `schema diff` of a schema against the live one, and a view query's inferred fields.
extension DevEndpoints {
    func registerDashboardRoutes(on router: Router<AppRequestContext>, storage: Storage) {
        router.get("api/sptfy-dev/info") { [self] _, context in
            try context.requireSuperuser()
            return Response.json(await info(storage: storage))
        }
        router.get("api/sptfy-dev/migrations") { [details] _, context in
            try context.requireSuperuser()
            let dir = details.automigrateDir
            let files = dir.flatMap { try? FileManager.default.contentsOfDirectory(atPath: $0.path) }?
                .filter { $0.hasSuffix(".js") && !$0.hasPrefix(".") }.sorted() ?? []
            return Response.json(.obj([
                "dir": dir.map { .string($0.path) } ?? .null, "automigrate": .bool(dir != nil), "files": .array(files.map(JSONValue.string)),
            ]))
        }
        router.post("api/sptfy-dev/schema-diff") { request, context in
            try context.requireSuperuser()
            guard let list = try await Self.jsonBody(request, limit: 32 << 20)?["collections"]?.arrayValue else { throw Self.badFormat }
            let diff = SchemaDiff(a: SchemaDiff.export(storage.collections), b: list)
            return Response.json(.obj(["changes": .array(diff.changes.map(Self.changeJSON))]))
        }
        router.post("api/sptfy-dev/view-preview") { request, context in
            try context.requireSuperuser()
            guard let query = try await Self.jsonBody(request, limit: 1 << 20)?["viewQuery"]?.stringValue else { throw Self.badFormat }
            return Response.json(.obj(["fields": .array(try await storage.previewViewFields(query: query))]))
        }
    }

    static let badFormat = APIError.badRequest("Failed to load the submitted data due to invalid formatting.")

    /// A JSON request body (nil when it is not JSON).
    static func jsonBody(_ request: Request, limit: Int) async throws -> JSONValue? {
        let body = try await request.body.collect(upTo: limit)
        return try? JSONValue.parse(Array(body.readableBytesView))
    }

    static func changeJSON(_ c: SchemaDiff.Change) -> JSONValue {
        .obj([
            "collection": .string(c.collection), "kind": .string(String(c.kind)), "path": .string(c.path), "a": c.a ?? .null, "b": c.b ?? .null,
            "text": .string(c.description),
        ])
    }

    func info(storage: Storage) async -> JSONValue {
        let fixtures: JSONValue = details.fixtures.map { options in
            .obj([
                "seed": .number(Double(options.seed)), "scale": .number(Double(options.scale)),
                "users": .array(NamedFixtures.users.map { u in
                    .obj([
                        "username": .string(u.username), "email": .string(u.email), "password": .string(u.password), "name": .string(u.name),
                        "spotifyId": .string(u.spotifyID),
                    ])
                }),
                "links": .array(NamedFixtures.links.map { l in
                    .obj(["slug": .string(l.slug), "url": .string(l.from), "owner": l.owner.map(JSONValue.string) ?? .null, "clicks": .number(Double(l.clicks))])
                }),
            ])
        } ?? .null
        let turnstileInfo: JSONValue = turnstile.map { stub in
            .obj([
                "secret": .string(TurnstileStub.describeSecret(details.turnstileSecret ?? "")), "strict": .bool(stub.options.strict),
                "siteKeys": .array([
                    .obj(["key": .string("1x00000000000000000000AA"), "behaviour": .string("always passes (visible)")]),
                    .obj(["key": .string("2x00000000000000000000AB"), "behaviour": .string("always blocks (visible)")]),
                    .obj(["key": .string("1x00000000000000000000BB"), "behaviour": .string("always passes (invisible)")]),
                    .obj(["key": .string("2x00000000000000000000BB"), "behaviour": .string("always blocks (invisible)")]),
                    .obj(["key": .string("3x00000000000000000000FF"), "behaviour": .string("forces an interactive challenge")]),
                ]),
            ])
        } ?? .null
        let accounts = await spotify.accounts
        return .obj([
            "dataDir": .string(storage.dataDir.path),
            "fixtures": fixtures,
            "turnstile": turnstileInfo,
            "spotify": .obj([
                "mode": .string(details.realSpotify ? "real" : "stub"), "authorizeURL": .string(SpotifyStub.prefix + "/authorize"),
                "accounts": .array(accounts.map { a in
                    .obj(["id": .string(a.id), "display_name": .string(a.displayName), "email": .string(a.email), "country": .string(a.country)])
                }),
            ]),
            "migrations": .obj(["dir": details.automigrateDir.map { .string($0.path) } ?? .null, "automigrate": .bool(details.automigrateDir != nil)]),
        ])
    }
}
