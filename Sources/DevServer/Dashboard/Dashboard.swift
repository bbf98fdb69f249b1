import Foundation
import Hummingbird
import NIOCore
import PocketBase

/// sptfy-dev's dashboard at `/_/` (PocketBase's admin UI path): static HTML, CSS and ES modules shipped as package
/// resources, talking to the public REST API like PocketBase's UI. `SPTFY_DASHBOARD_DIR` serves them from a folder
/// instead (edit, reload, no rebuild). `/_/installer` hands a loopback browser the first-run installer token while no
/// superuser exists, so opening `/_/` shows the setup screen as the guide says (PocketBase opens the browser on its
/// printed installer link instead).
public struct Dashboard: AppLayer {
    public let root: URL

    public init(root: URL? = nil) {
        self.root = root ?? Self.defaultRoot
    }

    /// The bundled files, or `SPTFY_DASHBOARD_DIR`.
    public static var defaultRoot: URL {
        if let dir = ProcessInfo.processInfo.environment["SPTFY_DASHBOARD_DIR"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        return Bundle.module.resourceURL?.appendingPathComponent("dashboard") ?? URL(fileURLWithPath: "dashboard")
    }

    public func bind(_ hooks: inout Hooks) {}

    public func registerRoutes(on router: Router<AppRequestContext>, storage: Storage) {
        let root = self.root
        router.get("_") { request, _ in
            // Go's mux answers the subtree root without its slash with a redirect.
            if !request.uri.path.hasSuffix("/") { return Self.redirect("/_/") }
            return try Self.file(root, ["index.html"])
        }
        router.get("_/installer") { _, context in
            guard DevEndpoints.isLoopback(context) else { throw APIError(.notFound, "File not found.") }
            // No first run pending: an empty success, so every dashboard load doesn't log a 404.
            guard let token = try await storage.installerToken() else { return Response(status: .noContent) }
            var response = Response.json(.obj(["token": .string(token)]))
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("_/**") { _, context in
            try Self.file(root, context.parameters.getCatchAll().map(String.init))
        }
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "json": "application/json", "png": "image/png",
    ]

    /// A file under `root`; anything else (dot segments, hidden names, folders, unknown types) is PocketBase's 404.
    static func file(_ root: URL, _ components: [String]) throws -> Response {
        // `/_/` itself arrives as an empty catch-all segment.
        let given = components.filter { !$0.isEmpty }
        let parts = given.isEmpty ? ["index.html"] : given
        guard parts.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\\") && !$0.contains("\0") }),
            let ext = parts.last?.split(separator: ".").last.map(String.init), let type = contentTypes[ext]
        else { throw APIError(.notFound, "File not found.") }
        let url = parts.reduce(root) { $0.appendingPathComponent($1) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue,
            let data = FileManager.default.contents(atPath: url.path)
        else { throw APIError(.notFound, "File not found.") }
        var headers: HTTPFields = [.contentType: type]
        // Unhashed file names: revalidate so an updated sptfy-dev never runs a stale dashboard.
        headers[.cacheControl] = "no-cache"
        headers[.contentSecurityPolicy] = csp
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// PocketBase's dashboard policy, without its inline-script hash (ours has no inline script); mail previews are
    /// `srcdoc` frames.
    static let csp =
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' http://127.0.0.1:* data: blob:; connect-src 'self' http://127.0.0.1:*; script-src 'self'; frame-src 'self' about: data:"

    static func redirect(_ location: String) -> Response {
        let body = "<a href=\"\(location)\">Moved Permanently</a>.\n\n"
        return Response(
            status: .movedPermanently, headers: [.location: location, .contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
