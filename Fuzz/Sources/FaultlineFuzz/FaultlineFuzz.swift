#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's driver, linked in by `-sanitize=fuzzer` (compiler-rt's `FuzzerDriver`).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The target chosen on the command line, read by the C callback (which cannot capture it).
nonisolated(unsafe) private var selected: FuzzTarget = .query

/// `faultline-fuzz TARGET [libFuzzer options] [corpus directories]`: built only by `scripts/fuzz`, with
/// `-sanitize=fuzzer,address`; never part of the product or the normal build.
@main
enum FaultlineFuzz {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            let usage = "usage: faultline-fuzz TARGET [libFuzzer options]\ntargets: \(names)\n"
            _ = usage.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        selected = target
        // libFuzzer sees the program name and everything after the target.
        let driverArguments = [arguments[0]] + arguments.dropFirst(2)
        // Handed to libFuzzer for the life of the process, so never freed.
        var pointers: [UnsafeMutablePointer<CChar>?] = driverArguments.map { strdup($0) }
        pointers.append(nil)
        var argc = CInt(pointers.count - 1)
        let status = pointers.withUnsafeMutableBufferPointer { buffer -> CInt in
            var argv = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                selected.run(UnsafeRawBufferPointer(start: data, count: size))
                return 0
            }
        }
        exit(status)
    }
}
