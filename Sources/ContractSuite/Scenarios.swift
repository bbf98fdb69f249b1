import Foundation

/// Every contract scenario, in a stable order (the same list runs on every target).
public enum Scenarios {
    public static var all: [Scenario] {
        http + auth + userAuth + oauth2 + records + batch + validation + collections + filter + filterMatrix + sptfy + parity + logs + settings
            + realtime + backups
    }
}
