import Foundation
import PocketBase

/// Entry point for the libFuzzer target (`scripts/fuzz-filter.sh`): the engine's filter probe over the sptfy.in
/// schema, resolving on its collections as a guest, a user and a superuser.
public enum FilterFuzzing {
    static let probe = FilterProbe(
        appSchema: (try? SptfySchema.collections()) ?? [], targets: ["random_short", "viewList", "analytics", "users"], authCollection: "users")

    /// Returns the number of successfully built expressions (so the optimiser keeps the work).
    @discardableResult
    public static func run(_ text: String) -> Int { probe.run(text) }
}
