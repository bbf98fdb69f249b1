import Foundation
import FuzzHarness

/// libFuzzer entry: `scripts/fuzz-http.sh` builds this with `-sanitize=fuzzer,address`. A trap, an ASan report,
/// a hang (`-timeout`) or a 5xx PocketBase would not send is a finding; the harness aborts on the last so
/// libFuzzer saves the input.
let harness = HTTPFuzzHarness.makeBlocking()

@_cdecl("LLVMFuzzerTestOneInput")
public func httpFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let outcome = harness.runBlocking(Array(UnsafeBufferPointer(start: data, count: size)))
    if let finding = outcome.finding {
        print("HTTPFuzz finding: \(finding)")
        abort()
    }
    return 0
}

public typealias FuzzArgv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<FuzzArgv>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<Module>_main`; hand control to libFuzzer's driver.
@_cdecl("HTTPFuzz_main")
public func httpFuzzMain(_ argc: CInt, _ argv: FuzzArgv) -> CInt {
    _ = harness  // set up before the first input, so its time is not charged to that input
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, httpFuzzOne)
}
