// libFuzzer driver for every parser (Harnesses.swift). Built by `make fuzz` with
// `-sanitize=fuzzer,address` (../shared/TOOLCHAIN.md): SwiftPM hides libFuzzer's own main, so this one
// calls LLVMFuzzerRunDriver, looked up at run time so that an ordinary build links without libFuzzer.
//
//     FUZZ_TARGET=vrplib .build-fuzz/debug/FieldRouteFuzz Fixtures/fuzz/vrplib -max_total_time=20
import Foundation

typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
typealias RunDriver = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                      TestOneInput) -> Int32

let chosen = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
guard let harness = harnesses.first(where: { $0.name == chosen }) else {
    FileHandle.standardError.write(Data("FieldRouteFuzz: set FUZZ_TARGET to one of \(harnesses.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "LLVMFuzzerRunDriver") else {
    FileHandle.standardError.write(Data("FieldRouteFuzz: built without libFuzzer; use make fuzz\n".utf8))
    exit(2)
}
let run = harness.run

/// libFuzzer's runtime references this symbol, so it is defined; the driver is handed it too.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    run(bytes.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}

let driver = unsafeBitCast(symbol, to: RunDriver.self)
var argc = CommandLine.argc
var argv = Optional(CommandLine.unsafeArgv)
exit(driver(&argc, &argv, testOneInput))
