import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// CORS exactly as PocketBase's `serve` (origins `*`): `Vary: Origin` always, preflight → 204 with echoed headers.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        if request.method == .options {
            var response = Response(status: .noContent)
            response.headers.append(HTTPField(name: .vary, value: "Origin"))
            if origin != nil {
                response.headers.append(HTTPField(name: .vary, value: "Access-Control-Request-Method"))
                response.headers.append(HTTPField(name: .vary, value: "Access-Control-Request-Headers"))
                response.headers[.accessControlAllowOrigin] = "*"
                response.headers[.accessControlAllowMethods] = "GET,HEAD,PUT,PATCH,POST,DELETE"
                if let h = request.headers[.accessControlRequestHeaders] {
                    response.headers[.accessControlAllowHeaders] = h
                }
            }
            return response
        }
        var response = try await next(request, context)
        response.headers.append(HTTPField(name: .vary, value: "Origin"))
        if origin != nil { response.headers[.accessControlAllowOrigin] = "*" }
        return response
    }
}

/// PocketBase's security headers on every routed response, and the mapping of every error to its envelope.
struct ConventionsMiddleware<Context: RequestContext>: RouterMiddleware {
    static var securityHeaders: [(HTTPField.Name, String)] {
        [
            (HTTPField.Name("X-Xss-Protection")!, "1; mode=block"),
            (.xContentTypeOptions, "nosniff"),
            (HTTPField.Name("X-Frame-Options")!, "SAMEORIGIN"),
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = Self.errorResponse(error, method: request.method)
        }
        // The file-download route deletes X-Frame-Options (files may be embedded anywhere).
        let isFileRoute = request.uri.path.hasPrefix("/api/files/") && request.uri.path.split(separator: "/").count == 5
            && response.status == .ok
        for (name, value) in Self.securityHeaders where response.headers[name] == nil {
            if isFileRoute && name.canonicalName == "x-frame-options" { continue }
            response.headers[name] = value
        }
        if request.method == .head {
            // HEAD keeps the GET's Content-Length, without the body.
            let length = response.headers[.contentLength]
            response.body = .init()
            response.headers[.contentLength] = length
        }
        return response
    }

    static func errorResponse(_ error: any Error, method: HTTPRequest.Method) -> Response {
        apiError(for: error, method: method).httpResponse
    }

    /// The envelope PocketBase answers for an error escaping a handler.
    static func apiError(for error: any Error, method: HTTPRequest.Method) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case let e as HTTPError where e.status == .notFound:
            // The stock binary's catch-all is `GET /{path...}` (pb_public): unknown GETs say "File not found."
            return APIError(.notFound, (method == .get || method == .head) ? "File not found." : "")
        case let e as HTTPError where e.status == .contentTooLarge:
            return APIError(.contentTooLarge)
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge)
        default:
            return APIError(.badRequest)
        }
    }
}

/// Go's routing conventions checked before any route (inside the activity logger, so their refusals are logged).
struct GoRoutingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Go's mux does not normalise trailing slashes: `/api/x/` is a different (unknown) path. The dashboard's
        // `/_/{path...}` subtree is PocketBase's too, with `/_/` its index.
        if request.uri.path.count > 1 && request.uri.path.hasSuffix("/") && request.uri.path != "/_/" { throw HTTPError(.notFound) }
        // PocketBase's global BodyLimit refuses a declared length over 32 MiB before reading, on every route but
        // record create/update (the collection's own limit) and the batch (its settings' limit).
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > BodyParser.defaultLimit,
            !Self.hasOwnBodyLimit(request)
        {
            throw APIError(.contentTooLarge)
        }
        return try await next(request, context)
    }

    static func hasOwnBodyLimit(_ request: Request) -> Bool {
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        if request.method == .post && (request.uri.path == "/api/batch" || request.uri.path == "/api/backups/upload") { return true }
        guard parts.count >= 5, parts[1] == "api", parts[2] == "collections", parts[4] == "records" else { return false }
        return (request.method == .post && parts.count == 5) || (request.method == .patch && parts.count == 6)
    }
}
