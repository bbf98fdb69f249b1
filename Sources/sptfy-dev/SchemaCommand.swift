import ArgumentParser
import ContractSuite
import DevServer
import Foundation

/// `sptfy-dev schema export|import|diff`: the admin UI's export/import as commands, and a diff of two schemas.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Export, import or compare collection schemas.",
        subcommands: [Export.self, Import.self, Diff.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the collections in the admin UI's export format.")
        @OptionGroup var data: DataDirOptions
        @Option(help: "Write here instead of standard output.") var out: String?

        func run() async throws {
            let text = JSONValue.array(SchemaDiff.export(try Storage.readCollections(dataDir: data.url))).encodedIndented(indent: "    ") + "\n"
            if let out { try text.write(toFile: out, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import collections from an export file (like PUT /api/collections/import).")
        @Argument(help: "The export file (a JSON array of collections).") var file: String
        @Flag(name: .customLong("delete-missing"), help: "Delete the collections (and their records) that are not in the file.")
        var deleteMissing = false
        @OptionGroup var data: DataDirOptions

        func run() async throws {
            let list = try SchemaSource.collections(fromFile: file)
            let storage = try await SuperuserCommand.open(data)
            do {
                try await storage.importCollections(list, deleteMissing: deleteMissing)
            } catch let e as APIError {
                throw CLIError(e.message)
            }
            print("Imported \(list.count) collection(s) into \(data.url.path).")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two schemas; exit 1 when they differ.",
            discussion: """
                A and B are export files, data dirs (with data.db), live instances (http://…, superuser from --email/--password or \
                SPTFY_DEV_SUPERUSER_*) or a profile's bundled schema (profile:production, profile:guide).
                """)
        @Argument(help: "The first schema.") var a: String
        @Argument(help: "The second schema.") var b: String
        @Option(help: "Superuser email for live instances.") var email: String?
        @Option(help: "Superuser password for live instances.") var password: String?
        @Flag(help: "Two profiles: print every difference (schema and hooks) as the README's Markdown table.") var markdown = false

        func run() async throws {
            if markdown {
                guard let pa = SchemaSource.profile(a), let pb = SchemaSource.profile(b) else { throw CLIError("--markdown compares two profiles (profile:production profile:guide)") }
                print(try Profile.markdownDiff(pa, pb), terminator: "")
                return
            }
            let login = DevServerConfiguration.superuserCredentials(email: email, password: password, environment: .load())
            let diff = SchemaDiff(a: try await SchemaSource.collections(a, login: login), b: try await SchemaSource.collections(b, login: login))
            if diff.isEmpty {
                print("The schemas are the same.")
                return
            }
            for change in diff.changes { print(change) }
            print("\(diff.changes.count) difference(s) between \(a) and \(b).")
            throw ExitCode(1)
        }
    }
}

/// Where a schema comes from: a file, a data dir or a live instance.
enum SchemaSource {
    static func collections(_ source: String, login: (email: String, password: String)) async throws -> [JSONValue] {
        if let profile = profile(source) { return try profile.collections() }
        if source.hasPrefix("http://") || source.hasPrefix("https://") { return try await live(source, login: login) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir) else { throw CLIError("\(source): no such file, data dir or URL") }
        if isDir.boolValue { return SchemaDiff.export(try Storage.readCollections(dataDir: URL(fileURLWithPath: source, isDirectory: true))) }
        return try collections(fromFile: source)
    }

    /// `profile:NAME`: a profile's bundled collections.
    static func profile(_ source: String) -> Profile? {
        source.hasPrefix("profile:") ? Profile(rawValue: String(source.dropFirst("profile:".count))) : nil
    }

    /// An export (a JSON array) or `{"collections": […]}` (the import API's body).
    static func collections(fromFile path: String) throws -> [JSONValue] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let json = try JSONValue.parse(text)
        guard let list = json.arrayValue ?? json["collections"]?.arrayValue else { throw CLIError("\(path): not a list of collections") }
        return list
    }

    static func live(_ base: String, login: (email: String, password: String)) async throws -> [JSONValue] {
        let client = RemoteClient(baseURL: base)
        let credentials = JSONValue.obj(["identity": .string(login.email), "password": .string(login.password)])
        let auth = try await client.send(ContractRequest(
            "POST", "/api/collections/_superusers/auth-with-password", headers: [("Content-Type", "application/json")],
            body: Array(credentials.encoded().utf8)))
        guard auth.status == 200, let token = try? auth.json()["token"]?.stringValue else {
            throw CLIError("superuser login at \(base) failed (HTTP \(auth.status)): \(auth.text)")
        }
        var out: [JSONValue] = []
        var page = 1
        while true {
            let r = try await client.send(ContractRequest("GET", "/api/collections?perPage=200&page=\(page)", headers: [("Authorization", token)]))
            guard r.status == 200, let items = try r.json()["items"]?.arrayValue else { throw CLIError("GET /api/collections at \(base): HTTP \(r.status)") }
            out += items.map { item in
                guard var o = item.objectValue else { return item }
                o["created"] = nil
                o["updated"] = nil
                return .object(o)
            }
            let totalPages = Int(try r.json()["totalPages"]?.numberValue ?? 1)
            if page >= totalPages || items.isEmpty { break }
            page += 1
        }
        return out
    }
}
