import AsyncHTTPClient
import Foundation
import PocketBase

extension SptfyApp {
    /// `random.pb.js`'s analytics probe: looks the caller's IP up and logs the country. It never changes the
    /// record and never fails or holds up the create for more than a second.
    func bindAnalyticsGeolocation(_ hooks: inout Hooks) {
        hooks.onRecordCreateRequest.bind(tags: ["analytics"]) { e, next in
            let ip = e.realIP
            let answer = await geolocate(ip)
            options.logger.info("analytics create from \(ip): ip-api says \(answer)")
            // Like the production hook's `$app.logger()` lines: visible in the dashboard's Logs.
            let country = (try? JSONValue.parse(answer))?["countryCode"]?.stringValue ?? ""
            e.storage.logger.info("Country Code detected", metadata: ["ip": .string(ip), "countryCode": .string(country)])
            return try await next(e)
        }
    }

    /// ip-api's answer as text (for the log), or why there is none.
    func geolocate(_ ip: String) async -> String {
        guard let base = options.ipAPIURL else { return options.ipAPI.lookup(ip, fields: ["countryCode"]).encoded() }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        let escaped = ip.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? ip
        var request = HTTPClientRequest(url: "\(trimmed)/json/\(escaped)?fields=countryCode")
        request.headers.add(name: "Content-Type", value: "application/json")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(1))
            let bytes = try await response.body.collect(upTo: 64 << 10)
            return String(buffer: bytes)
        } catch {
            return "no answer (\(error))"
        }
    }
}
