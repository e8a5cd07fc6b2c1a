import FaultlineCLI

/// The `faultline` executable: everything lives in FaultlineCLI.
@main
enum FaultlineMain {
    static func main() async {
        await FaultlineCommand.runMain()
    }
}
