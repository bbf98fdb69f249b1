import Fixtures
import Foundation
import Logging
import PocketBase

/// Everything a dev server is set up with, resolved once (flags over environment over `.env` over defaults) and
/// passed down: `prepare` reads the data dir, superuser, fixtures and Spotify provider; `buildApplication` the
/// address and the sptfy.in hooks' options.
public struct DevServerConfiguration: Sendable {
    public var dataDir: URL
    public var host: String
    public var port: Int
    public var superuserEmail: String
    public var superuserPassword: String
    /// A fresh data dir gets the dev superuser (default); false leaves PocketBase's first-run installer to create one.
    public var createSuperuser = true
    /// The fixture world loaded into a fresh data dir (nil: schema and superuser only).
    public var fixtures: FixtureOptions?
    /// The users collection's `spotify` provider: the in-process stub or real Spotify.
    public var spotify: SpotifyProviderConfig
    /// Where the sptfy.in hooks' outside calls go (Turnstile, ip-api) and the secret they send.
    public var sptfy: SptfyOptions
    /// The app's `pb_migrations` folder: applied on every open; on a fresh data dir with files in it, the schema
    /// comes from them instead of the bundled one. nil: none.
    public var migrationsDir: URL?
    /// Where automigrate writes a migration for each collection change through the API (nil: off, as for tests).
    public var automigrateDir: URL?
    /// Which data model: production's (default) or the guide's (`serve --profile guide`).
    public var profile: Profile = .production
    /// `IP_HASH_SALT` for the guide profile's analytics hashing.
    public var ipHashSalt: String = GuideApp.defaultIPHashSalt
    /// Where a fresh data dir's prebuilt template is kept and found (see `StartTemplate`); nil: always built.
    /// `serve` uses the user's cache unless `SPTFY_DEV_TEMPLATE_CACHE=off`.
    public var templateCache: URL?

    /// The profile's hooks and routes with this configuration's options.
    public var apps: [any AppLayer] { profile.apps(sptfy, ipHashSalt: ipHashSalt) }

    public init(
        dataDir: URL, host: String = "127.0.0.1", port: Int = 8090, superuserEmail: String = DevServerConfiguration.defaultSuperuserEmail,
        superuserPassword: String = DevServerConfiguration.defaultSuperuserPassword, fixtures: FixtureOptions? = nil,
        spotify: SpotifyProviderConfig = .devStub, sptfy: SptfyOptions = SptfyOptions(), migrationsDir: URL? = nil, automigrateDir: URL? = nil,
        profile: Profile = .production
    ) {
        self.profile = profile
        self.migrationsDir = migrationsDir
        self.automigrateDir = automigrateDir
        self.fixtures = fixtures
        self.dataDir = dataDir
        self.host = host
        self.port = port
        self.superuserEmail = superuserEmail
        self.superuserPassword = superuserPassword
        self.spotify = spotify
        self.sptfy = sptfy
    }

    /// PocketBase's default migrations folder: `pb_migrations` next to the data dir.
    public static func defaultMigrationsDir(dataDir: URL) -> URL {
        dataDir.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("pb_migrations", isDirectory: true)
    }

    public static let defaultSuperuserEmail = "admin@sptfy.local"
    public static let defaultSuperuserPassword = "sptfy-dev-password"

    /// The environment's part: `SPTFY_DEV_SUPERUSER_EMAIL`/`_PASSWORD`, `SPOTIFY_CLIENT_ID`/`_SECRET` (with
    /// `realSpotify`), and the hooks' `CF_SECRET_KEY`, `TURNSTILE_VERIFY_URL`, `IP_API_URL`, `TURNSTILE_STRICT`.
    /// Throws when real Spotify is asked for without credentials.
    public static func resolve(
        dataDir: URL, host: String, port: Int, fixtures: FixtureOptions?, realSpotify: Bool, migrationsDir: URL? = nil,
        automigrateDir: URL? = nil, profile: Profile = .production, environment env: DevEnvironment, logger: Logger
    ) throws -> DevServerConfiguration {
        var spotify = SpotifyProviderConfig.devStub
        if realSpotify {
            guard let id = env.nonEmpty("SPOTIFY_CLIENT_ID"), let secret = env.nonEmpty("SPOTIFY_CLIENT_SECRET") else {
                throw ConfigurationError(description: "--spotify real needs SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET in the environment")
            }
            spotify = SpotifyProviderConfig(clientID: id, clientSecret: secret, stubBaseURL: nil)
        }
        var config = DevServerConfiguration(
            dataDir: dataDir, host: host, port: port,
            superuserEmail: env.nonEmpty("SPTFY_DEV_SUPERUSER_EMAIL") ?? defaultSuperuserEmail,
            superuserPassword: env.nonEmpty("SPTFY_DEV_SUPERUSER_PASSWORD") ?? defaultSuperuserPassword,
            fixtures: fixtures, spotify: spotify,
            sptfy: SptfyOptions.fromEnvironment(env.values, dataDir: dataDir, logger: logger), migrationsDir: migrationsDir,
            automigrateDir: automigrateDir, profile: profile)
        config.ipHashSalt = GuideApp.salt(env.values)
        config.templateCache = StartTemplate.cacheDirectory(env.values)
        return config
    }

    /// The superuser credentials a client command should log in with: its flags, else the environment, else the
    /// defaults a fresh data dir gets.
    public static func superuserCredentials(email: String?, password: String?, environment env: DevEnvironment) -> (email: String, password: String) {
        (
            email ?? env.nonEmpty("SPTFY_DEV_SUPERUSER_EMAIL") ?? defaultSuperuserEmail,
            password ?? env.nonEmpty("SPTFY_DEV_SUPERUSER_PASSWORD") ?? defaultSuperuserPassword
        )
    }
}

/// A configuration that cannot be used (reported without the usage text).
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
}
