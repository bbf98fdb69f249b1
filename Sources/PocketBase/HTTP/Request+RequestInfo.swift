import Foundation
import Hummingbird
import HummingbirdCore

extension RequestInfo {
    /// `@request.*` for an HTTP request: first value of each query param and header, snake-cased header names.
    init(_ request: Request, context: AppRequestContext, body: JSONObject = JSONObject(), ruleContext: RequestInfoContext? = nil) {
        var query: [String: String] = [:]
        for (k, v) in request.uri.queryParams.pairs where query[k] == nil { query[k] = v }
        var headers: [String: String] = [:]
        for h in request.headers {
            let key = RequestInfo.normalizeHeader(h.name.rawName)
            if headers[key] == nil { headers[key] = h.value }
        }
        self.init(
            context: (ruleContext ?? context.infoContext ?? .default).rawValue, method: request.method.rawValue, query: query, headers: headers, body: body, auth: context.auth?.record)
    }
}
