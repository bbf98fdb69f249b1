import Testing

@testable import DevServer
@testable import PocketBase

@Suite struct FilterSQLTests {
    func sql(_ storage: Storage, _ filter: String, collection: String = "random_short", superuser: Bool = true, auth: Record? = nil) throws
        -> SQLFragment
    {
        let c = try #require(storage.collection(collection))
        let resolver = RecordFieldResolver(base: c, lookup: storage.collection, request: RequestInfo(auth: auth), allowHiddenFields: superuser)
        return try FilterSQLBuilder.build(try FilterParser.parse(filter), resolver: resolver)
    }

    @Test func valuesAreAlwaysBoundNeverSpliced() async throws {
        let s = try await TestData.freshStorage()
        let f = try sql(s, #"id_url = 'x\' OR 1=1 --' && from ~ "%'""#)
        #expect(!f.sql.contains("OR 1=1") && !f.sql.contains("%'"))
        #expect(f.params.values.contains(.text("x' OR 1=1 --")))
    }

    @Test func equalityTreatsNullAsEmpty() async throws {
        let s = try await TestData.freshStorage()
        // A single OR-part is parenthesised again by the list builder, like PocketBase's concatExpr.
        #expect(try sql(s, "subdomain = ''").sql == "((`random_short`.`subdomain` = '' OR `random_short`.`subdomain` IS NULL))")
        #expect(try sql(s, "subdomain != null").sql == "((`random_short`.`subdomain` IS NOT '' AND `random_short`.`subdomain` IS NOT NULL))")
        #expect(try sql(s, "id_url = 'a'").sql == "`random_short`.`id_url` = :t1")
        #expect(try sql(s, "id_url = from").sql == "COALESCE(`random_short`.`id_url`, '') = COALESCE(`random_short`.`from`, '')")
        #expect(try sql(s, "enable = true").sql == "`random_short`.`enable` = 1")
    }

    @Test func likeWrapsAndEscapes() async throws {
        let s = try await TestData.freshStorage()
        let f = try sql(s, "id_url ~ 'a_b%'")
        #expect(f.sql == "`random_short`.`id_url` LIKE :t1 ESCAPE '\\'" && f.params["t1"] == .text("a_b%"))
        let g = try sql(s, "id_url ~ 'a_b'")
        #expect(g.params["t1"] == .text("%a\\_b%"))
        #expect(try sql(s, "id_url !~ from").sql == "`random_short`.`id_url` NOT LIKE ('%' || `random_short`.`from` || '%') ESCAPE '\\'")
    }

    @Test func andBindsTighterThanOrBecauseTheListIsFlat() async throws {
        let s = try await TestData.freshStorage()
        #expect(try sql(s, "utm_view = 1 || utm_view = 2 && utm_view = 3").sql.hasPrefix("(COALESCE") == false)
        let f = try sql(s, "utm_view > 1 || utm_view > 2 && utm_view > 3")
        #expect(f.sql == "(`random_short`.`utm_view` > :t1 OR `random_short`.`utm_view` > :t2 AND `random_short`.`utm_view` > :t3)")
    }

    @Test func requestAuthForGuestsIsNull() async throws {
        let s = try await TestData.freshStorage()
        let rule = try #require(s.collection("random_short")?.listRule)
        let f = try sql(s, rule, superuser: false)
        #expect(f.sql.hasPrefix("('' IS NOT '' AND"), "\(f.sql)")
    }

    @Test(arguments: ["nope = 1", "user.nope = 1", "id_url:lower = 'a'", "created > @yesterday", "from.x = 1", "@collection.nope.id = 1"])
    func unknownThingsError(_ filter: String) async throws {
        let s = try await TestData.freshStorage()
        #expect(throws: (any Error).self) { try sql(s, filter) }
    }

    @Test func hiddenFieldsOnlyForSuperusersAndRules() async throws {
        let s = try await TestData.freshStorage()
        #expect(throws: (any Error).self) { try sql(s, "enable_analytics = true", superuser: false) }
        #expect(try sql(s, "enable_analytics = true", superuser: true).sql.contains("enable_analytics"))
        #expect(try sql(s, "@collection.random_short.enable_analytics ?= true", superuser: false).sql.contains("enable_analytics"))
    }

    @Test func expressionLimit() async throws {
        let s = try await TestData.freshStorage()
        let two00 = Array(repeating: "utm_view = 1", count: 200).joined(separator: " || ")
        #expect(throws: Never.self) { try sql(s, two00) }
        #expect(throws: (any Error).self) { try sql(s, two00 + " || utm_view = 2") }
    }

    @Test func backRelationsAreMultiMatch() async throws {
        let s = try await TestData.freshStorage()
        let all = try sql(s, "analytics_via_author.utm_country = 'DE'")
        #expect(all.sql.contains("NOT EXISTS (SELECT 1 FROM (SELECT"), "\(all.sql)")
        let any = try sql(s, "analytics_via_author.utm_country ?= 'DE'")
        #expect(!any.sql.contains("NOT EXISTS"), "\(any.sql)")
    }

    @Test func macrosAreUTCDates() {
        let v = FilterMacros.value("@todayStart")
        guard case .text(let t)? = v else { Issue.record("no date"); return }
        #expect(t.hasSuffix(" 00:00:00.000Z"))
        #expect(FilterMacros.value("@yesterday") == nil)
        if case .integer(let w)? = FilterMacros.value("@weekday") { #expect((0...6).contains(w)) } else { Issue.record("no weekday") }
    }

    /// The ends of day, month and year are `23:59:59.999Z` like Go's truncating `DateTime.String()` (a Date with the
    /// nanoseconds rounded up to the next midnight, so `<= @todayEnd` also took the next day's first records).
    @Test func endMacrosAreTheLastMillisecond() throws {
        let now = try #require(PBDate.parse("2024-02-10 12:34:56.789Z"))
        #expect(FilterMacros.value("@todayEnd", now: now) == .text("2024-02-10 23:59:59.999Z"))
        #expect(FilterMacros.value("@monthEnd", now: now) == .text("2024-02-29 23:59:59.999Z"))
        #expect(FilterMacros.value("@yearEnd", now: now) == .text("2024-12-31 23:59:59.999Z"))
        #expect(FilterMacros.value("@monthStart", now: now) == .text("2024-02-01 00:00:00.000Z"))
        #expect(FilterMacros.value("@now", now: now) == .text("2024-02-10 12:34:56.789Z"))
        let december = try #require(PBDate.parse("2023-12-31 23:59:59.999Z"))
        #expect(FilterMacros.value("@monthEnd", now: december) == .text("2023-12-31 23:59:59.999Z"))
        #expect(FilterMacros.value("@todayStart", now: december) == .text("2023-12-31 00:00:00.000Z"))
    }
}

@Suite struct FilterFuzzingTests {
    /// The fuzz entry point's invariants hold on the seed corpus (and on text that doesn't parse).
    @Test func seedCorpusBuildsWithBoundParameters() throws {
        #expect(FilterFuzzing.run("id_url = 'abcd'") > 0)
        #expect(FilterFuzzing.run("@request.auth.id != \"\" && user = @request.auth.id") > 0)
        #expect(FilterFuzzing.run("analytics_via_author.utm_country ?= 'DE' && subdomain:each = 'x'") > 0)
        #expect(FilterFuzzing.run("(((") == 0)
        #expect(FilterProbe.placeholders("a = :t1 AND b LIKE ':no' AND `c:x` = :f2") == ["t1", "f2"])
    }
}

@Suite struct FieldsProjectionTests {
    @Test func excerptStripsHTML() {
        #expect(Excerpt.make("<p>Hello <b>world</b> &amp; more text here</p>", max: 10, ellipsis: true) == "Hello worl...")
        #expect(Excerpt.make("<h1>Title</h1><p>Body<script>x()</script></p>", max: 100, ellipsis: true) == "Title Body")
        #expect(Excerpt.make("short", max: 10, ellipsis: true) == "short")
    }

    @Test func pickWithStarNestedAndModifiers() {
        let v = JSONValue.obj(["id": "1", "title": "<p>a b c</p>", "expand": .obj(["user": .obj(["name": "n", "email": "e"])])])
        #expect(FieldsProjection.apply(v, fields: "id,expand.user.name") == .obj(["expand": .obj(["user": .obj(["name": "n"])]), "id": "1"]))
        #expect(FieldsProjection.apply(v, fields: "*,title:excerpt(3,true)")?["title"] == "a b...")
        #expect(FieldsProjection.apply(.array([v]), fields: "id") == .array([.obj(["id": "1"])]))
    }

    /// PocketBase's picker fails (the client gets an empty 200) on what its modifier factory or tokenizer refuses,
    /// and reads numbers with spf13/cast (base prefixes, octal, `_`, `5.0`) — values from the reference binary.
    @Test func pickFailuresAndGoNumberParsing() {
        let v = JSONValue.obj(["title": "abcdefghij-klmnopqrst-uvwxyz", "n": 7])
        for bad in [
            "title:excerpt(abc)", "title:excerpt(0)", "title:excerpt(-1)", "title:excerpt()", "title:excerpt", "title:excerpt(99999999999999999999)",
            "title:excerpt(5,true,x)", "title:nope(5)", "title:EXCERPT(3)", "title:excerpt(1.5)", "title:excerpt(5", "title,'x",
        ] {
            #expect(FieldsProjection.apply(v, fields: bad) == nil, "\(bad)")
        }
        let cases: [(String, JSONValue)] = [
            ("title:excerpt(5)", "abcde"), ("title:excerpt(5,abc)", "abcde"), ("title:excerpt(5,true)", "abcde..."), ("title:excerpt( 5 , TRUE )", "abcde..."),
            ("title:excerpt(9223372036854775807)", ""), ("title:excerpt(0x3)", "abc"), ("title:excerpt(010)", "abcdefgh"), ("title:excerpt(1_0)", "abcdefghij"),
            ("title:excerpt(+4)", "abcd"), ("title:excerpt(5.0)", "abcde"), ("title:excerpt(27,true)", "abcdefghij-klmnopqrst-uvwxy..."),
            ("title:excerpt(28,true)", "abcdefghij-klmnopqrst-uvwxyz"),
        ]
        for (fields, expected) in cases {
            #expect(FieldsProjection.apply(v, fields: fields)?["title"] == expected, "\(fields)")
        }
        // A negative max only fails where it meets a string.
        #expect(FieldsProjection.apply(v, fields: "n:excerpt(-1)") == .obj(["n": 7]))
        #expect(GoCast.toInt("-9223372036854775808") == Int.min && GoCast.toInt("9223372036854775808") == 0 && GoCast.toInt("0b101") == 5)
        // Linear on hostile markup: many `<` without `>`.
        #expect(Excerpt.make(String(repeating: "<", count: 200_000), max: 3, ellipsis: false) == "<<<")
    }
}
