import DevServer

/// libFuzzer entry: `scripts/fuzz-filter.sh` builds this with `-sanitize=fuzzer,address`.
@_cdecl("LLVMFuzzerTestOneInput")
public func filterFuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    FilterFuzzing.run(text)
    return 0
}

public typealias FuzzArgv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<FuzzArgv>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` aliased to `<Module>_main`; hand control to libFuzzer's driver.
@_cdecl("FilterFuzz_main")
public func filterFuzzMain(_ argc: CInt, _ argv: FuzzArgv) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, filterFuzzOne)
}
