import Foundation
import PBJSON

extension Scenarios {
    static let validation: [Scenario] = [
        Scenario("validation: random_short field errors", tags: [.readOnly]) { ctx in
            let path = "/api/collections/random_short/records"
            let failed = "Failed to create record."
            try expectError(try await ctx.send("POST", path, json: .obj([:])), 400, failed, data: .obj(["from": blank, "id_url": blank]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["from": "https://example.com/x", "id_url": "AB", "subdomain": "nope"])), 400, failed,
                data: .obj([
                    "from": fieldError("validation_url_domain_not_allowed", "Url domain is not allowed."),
                    "id_url": fieldError("validation_min_text_constraint", "Must be at least 4 character(s).", params: ["min": 4]),
                    "subdomain": fieldError("validation_invalid_value", "Invalid value nope.", params: ["value": "nope"]),
                ]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["from": "not a url", "id_url": "-bad-", "utm_view": 1.5])), 400, failed,
                data: .obj([
                    "from": fieldError("validation_invalid_url", "Must be a valid url."),
                    "id_url": fieldError("validation_invalid_format", "Invalid value format."),
                    "utm_view": fieldError("validation_only_int_constraint", "Decimal numbers are not allowed."),
                ]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("neg", extra: ["utm_view": -1])), 400, failed,
                data: .obj(["utm_view": fieldError("validation_min_number_constraint", "Must be larger than 0.000000.")]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("big", extra: ["utm_view": 12345678901234567890.0])), 400, failed,
                data: .obj(["utm_view": fieldError("validation_only_int_constraint", "Decimal numbers are not allowed.")]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("sid", extra: ["id": "short"])), 400, failed,
                data: .obj(["id": fieldError("validation_min_text_constraint", "Must be at least 15 character(s).", params: ["min": 15])]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("uid", extra: ["id": "UPPERCASEID1234"])), 400, failed,
                data: .obj(["id": fieldError("validation_invalid_format", "Invalid value format.")]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("x", extra: ["id_url": .string(String(repeating: "a", count: 81))])), 400, failed,
                data: .obj(["id_url": fieldError("validation_max_text_constraint", "Must be no more than 80 character(s).", params: ["max": 80])]))
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("x", extra: ["id_url": "Upper-Case"])), 400, failed,
                data: .obj(["id_url": fieldError("validation_invalid_format", "Invalid value format.")]))
            for host in ["https://sub.open.spotify.com/x", "https://SPOTIFY.com/x", "https://open.spotify.com:443/x", "open.spotify.com/track/x"] {
                try expectError(
                    try await ctx.send("POST", path, json: ctx.link("h", extra: ["from": .string(host)])), 400, failed,
                    data: .obj(["from": fieldError("validation_url_domain_not_allowed", "Url domain is not allowed.")]))
            }
            try expectError(
                try await ctx.send("POST", path, json: ctx.link("rel", extra: ["user": "nonexistent12345"])), 400, failed,
                data: .obj(["user": fieldError("validation_missing_rel_records", "Failed to find all relation records with the provided ids.")]))
        },
        Scenario("validation: analytics required fields and relation", tags: [.readOnly]) { ctx in
            let path = "/api/collections/analytics/records"
            try expectError(
                try await ctx.send("POST", path, json: .obj([:])), 400, "Failed to create record.",
                data: .obj(["author": blank, "utm_country": blank, "utm_userAgent": blank]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["author": "nonexistent12345", "utm_userAgent": "ua", "utm_country": "DE"])), 400,
                "Failed to create record.",
                data: .obj(["author": fieldError("validation_missing_rel_records", "Failed to find all relation records with the provided ids.")]))
        },
        Scenario("validation: users sign-up form and fields", tags: [.mutating, .needsSuperuser]) { ctx in
            let path = "/api/collections/users/records"
            let failed = "Failed to create record."
            try expectError(try await ctx.send("POST", path, json: .obj([:])), 400, failed, data: .obj(["password": blank, "passwordConfirm": blank]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["password": "12345678", "passwordConfirm": "87654321", "username": .string("v_\(ctx.runID)")])),
                400, failed, data: .obj(["passwordConfirm": fieldError("validation_values_mismatch", "Values don't match.")]))
            try expectError(
                try await ctx.send("POST", path, json: .obj(["password": "12345678", "passwordConfirm": "12345678", "username": "ab"])), 400, failed,
                data: .obj(["username": fieldError("validation_min_text_constraint", "Must be at least 3 character(s).", params: ["min": 3])]))
            try expectError(
                try await ctx.send(
                    "POST", path, json: .obj(["password": "1234", "passwordConfirm": "1234", "username": .string("v_\(ctx.runID)")])), 400, failed,
                data: .obj(["password": fieldError("validation_min_text_constraint", "Must be at least 8 character(s).")]))
            try expectError(
                try await ctx.send(
                    "POST", path,
                    json: .obj(["password": "12345678", "passwordConfirm": "12345678", "username": .string("v_\(ctx.runID)"), "email": "not-an-email"])),
                400, failed, data: .obj(["email": fieldError("validation_is_email", "Must be a valid email address.")]))
            _ = try await ctx.create(
                "users", .obj(["password": "12345678", "passwordConfirm": "12345678", "username": .string("Case_\(ctx.runID)")]))
            try expectError(
                try await ctx.send(
                    "POST", path, json: .obj(["password": "12345678", "passwordConfirm": "12345678", "username": .string("CASE_\(ctx.runID)".uppercased())])),
                400, failed, data: .obj(["username": notUnique]))
        },
        Scenario("validation: testCollection required bool", tags: [.readOnly, .needsSuperuser]) { ctx in
            try expectError(
                try await ctx.send("POST", "/api/collections/testCollection/records", json: .obj(["field": false, "name": "n"]), token: try await ctx.superuser()),
                400, "Failed to create record.", data: .obj(["field": blank]))
        },
    ]
}
