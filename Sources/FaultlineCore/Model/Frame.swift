/// One frame of a parsed stack trace, as the runtime printed it.
public struct Frame: Sendable, Hashable, Codable {
    /// Function or method name (`handle_request`, `processOrder`, `<module>`, `{main}`).
    public var function: String?
    /// Module, package, class or namespace that owns the function (`app.views`, `com.acme.Checkout`).
    public var module: String?
    /// The file exactly as the runtime printed it (`/app/src/views.py`, `Checkout.java`).
    public var file: String?
    /// 1-based line number, when printed.
    public var line: Int?
    /// 1-based column number, when printed.
    public var column: Int?
    /// Whether the frame belongs to the service's own code rather than a library or the runtime.
    public var inApp: Bool
    /// The source line the runtime printed under the frame, if any (Python does).
    public var context: String?

    public init(
        function: String? = nil,
        module: String? = nil,
        file: String? = nil,
        line: Int? = nil,
        column: Int? = nil,
        inApp: Bool = true,
        context: String? = nil
    ) {
        self.function = function
        self.module = module
        self.file = file
        self.line = line
        self.column = column
        self.inApp = inApp
        self.context = context
    }
}
