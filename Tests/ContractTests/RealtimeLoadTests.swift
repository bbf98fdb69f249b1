import ContractSuite
import DevServer
import Foundation
import Hummingbird
import HummingbirdTesting
import PBJSON
import Testing

@testable import PocketBase

/// Many subscribers against concurrent writers over real sockets: every client receives exactly the events its
/// rules allow, and a consumer that stops reading is dropped without slowing anyone.
@Suite struct RealtimeLoadTests {
    struct Expected: Hashable { var action: String; var id: String }

    @Test func manySubscribersGetExactlyWhatTheirRulesAllow() async throws {
        let storage = try await TestData.freshStorage()
        try await ContractTests.application(storage, port: 0).test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            let target = ContractTests.target(RemoteClient(baseURL: base))
            let scenario = Scenario("realtime load", tags: [.mutating]) { ctx in try await Self.load(ctx, base: base, storage: storage) }
            if let failure = await ContractRunner.run(scenario, on: target) { Issue.record(Comment(rawValue: failure)) }
        }
    }

    static func load(_ ctx: ScenarioContext, base: String, storage: Storage) async throws {
        do {
            let su = try await ctx.superuser()
            let name = try await Scenarios.ownedCollection(ctx, su: su)

            // REALTIME_LOAD_CLIENTS_PER_USER scales it up by hand (e.g. 125 → 1,000 user subscribers); CI runs 8.
            let userCount = 8
            let clientsPerUser = ProcessInfo.processInfo.environment["REALTIME_LOAD_CLIENTS_PER_USER"].flatMap { Int($0) } ?? 8
            let started = ContinuousClock.now
            var users: [(id: String, token: String)] = []
            for i in 0..<userCount { users.append(try await ctx.user("load\(i)")) }
            var streams: [(owner: Int?, superuser: Bool, stream: RealtimeStream)] = []
            for (i, u) in users.enumerated() {
                for _ in 0..<clientsPerUser {
                    let (s, _) = try await ctx.realtime()
                    #expect(try await ctx.subscribe(s, ["\(name)/*"], token: u.token).status == 204)
                    streams.append((i, false, s))
                }
            }
            for _ in 0..<4 {
                let (s, _) = try await ctx.realtime()
                #expect(try await ctx.subscribe(s, ["\(name)/*"]).status == 204)
                streams.append((nil, false, s))
            }
            for _ in 0..<2 {
                let (s, _) = try await ctx.realtime()
                #expect(try await ctx.subscribe(s, ["\(name)/*"], token: su).status == 204)
                streams.append((nil, true, s))
            }
            // A consumer that never reads past PB_CONNECT, subscribed 1000 times over (tens of MB): it backs up and overflows.
            let (slow, _) = try await RealtimeStream.connect(baseURL: base, paused: ProcessInfo.processInfo.environment["RT_NOSLOW"] == nil)
            defer { slow.close() }
            #expect(try await ctx.subscribe(slow, (0..<1000).map { "\(name)/*?copy=\($0)" }, token: su).status == 204)

            // 4 writers × 30 records: create all, update every second, delete every third.
            let writers = 4, perWriter = 30
            let owners = users.map(\.id)
            let plans = try await withThrowingTaskGroup(of: [(owner: Int, events: [Expected])].self) { group in
                for w in 0..<writers {
                    group.addTask {
                        var out: [(owner: Int, events: [Expected])] = []
                        for k in 0..<perWriter {
                            let owner = (w * perWriter + k * 7) % userCount
                            let r = try await ctx.send(
                                "POST", "/api/collections/\(name)/records",
                                json: .obj(["title": .string("w\(w)-\(k)"), "n": .number(Double(k)), "owner": .string(owners[owner])]), token: su)
                            let id = try r.json()["id"]?.stringValue ?? ""
                            var events = [Expected(action: "create", id: id)]
                            if k % 2 == 0 {
                                _ = try await ctx.send("PATCH", "/api/collections/\(name)/records/\(id)", json: .obj(["n+": 1]), token: su)
                                events.append(Expected(action: "update", id: id))
                            }
                            if k % 3 == 0 {
                                _ = try await ctx.send("DELETE", "/api/collections/\(name)/records/\(id)", token: su)
                                events.append(Expected(action: "delete", id: id))
                            }
                            out.append((owner, events))
                        }
                        return out
                    }
                }
                var all: [(owner: Int, events: [Expected])] = []
                for try await part in group { all += part }
                return all
            }
            var perUser: [Int: [Expected]] = [:]
            for p in plans { perUser[p.owner, default: []] += p.events }
            let everything = plans.flatMap(\.events)

            for entry in streams {
                let expected = entry.superuser ? everything : entry.owner.map { perUser[$0] ?? [] } ?? []
                let got = await entry.stream.waitFor(expected.count, timeout: .seconds(60))
                let received = got.compactMap { e -> Expected? in
                    guard let j = try? JSONValue.parseStrict(e.data) else { return nil }
                    return Expected(action: j["action"]?.stringValue ?? "", id: j["record"]?["id"]?.stringValue ?? "")
                }
                #expect(
                    Set(received) == Set(expected) && received.count == expected.count,
                    "owner \(String(describing: entry.owner)) su \(entry.superuser): got \(received.count) of \(expected.count), missing \(Set(expected).subtracting(received).map(\.action).sorted())")
            }
            print("realtime load: \(streams.count) subscribers, \(everything.count) changes by \(writers) writers, all delivered after \(ContinuousClock.now - started)")
            try await Task.sleep(for: .milliseconds(500))
            for entry in streams where entry.owner == nil && !entry.superuser { #expect(entry.stream.received.isEmpty) }
            // The slow consumer fell behind by more than its queue holds and was dropped.
            #expect(storage.realtime.client(slow.clientId) == nil)
            #expect(storage.realtime.clientCount == streams.count)
        }
    }

    @Test func aClientThatFallsBehindIsClosedNotBuffered() {
        let client = RealtimeClient(id: "c", maxQueued: 3)
        for i in 0..<3 { #expect(client.send(event: "t", data: "\(i)")) }
        #expect(!client.send(event: "t", data: "overflow"))
        #expect(client.isClosed)
    }
}
