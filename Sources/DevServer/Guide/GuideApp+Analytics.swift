import Foundation
import PocketBase

extension GuideApp {
    /// analytics.ip never stores an address: every create through the API (superusers only) looks the raw ip up
    /// when country_code is empty, then hashes it; an empty timestamp becomes now. An update that changes ip hashes
    /// the new one. (The click route and the fixtures prepare their values with the same `prepareClick`.)
    func bindAnalyticsHashing(_ hooks: inout Hooks) {
        hooks.onRecordCreateRequest.bind(tags: ["analytics"]) { e, next in
            var e = e
            e.record.values = await prepareClick(e.record.values)
            return try await next(e)
        }
        hooks.onRecordUpdateRequest.bind(tags: ["analytics"]) { e, next in
            var e = e
            let ip = e.record.string("ip")
            if !ip.isEmpty, ip != e.original?.string("ip") { e.record["ip"] = .string(hashIP(ip)) }
            return try await next(e)
        }
    }

    /// The guide's analytics create: raw ip → country_code (when empty) → hashed ip; no timestamp → now.
    func prepareClick(_ values: [String: JSONValue]) async -> [String: JSONValue] {
        var values = values
        let ip = values["ip"]?.stringValue ?? ""
        if !ip.isEmpty {
            if (values["country_code"]?.stringValue ?? "").isEmpty { values["country_code"] = .string(await countryCode(ip)) }
            values["ip"] = .string(hashIP(ip))
        }
        if (values["timestamp"]?.stringValue ?? "").isEmpty { values["timestamp"] = .string(PBDate.now()) }
        return values
    }
}
