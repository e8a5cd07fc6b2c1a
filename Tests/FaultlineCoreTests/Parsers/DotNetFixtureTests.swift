@testable import FaultlineCore
import Testing

/// DotNet traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct DotNetFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "dotnet/framework_state_machine.txt", .dotnet,
            exceptions: [
                exception(.primary, "System.NullReferenceException", "Object reference not set to an instance of an object."),
            ],
            frames: [
                frame(0, "AddItemAsync", "Shop.Web.Services.CartService", "C:\\build\\agent\\_work\\1\\s\\Shop.Web\\Services\\CartService.cs", 88, inApp: true),
                frame(0, "ThrowForNonSuccess", "System.Runtime.CompilerServices.TaskAwaiter", nil, nil, inApp: false),
                frame(0, "HandleNonSuccessAndDebuggerNotification", "System.Runtime.CompilerServices.TaskAwaiter", nil, nil, inApp: false),
                frame(0, "Add", "Shop.Web.Controllers.CartController", "C:\\build\\agent\\_work\\1\\s\\Shop.Web\\Controllers\\CartController.cs", 41, inApp: true),
                frame(0, "<AddItemAsync>b__0", "Shop.Web.Services.CartService.<>c__DisplayClass7_0", "C:\\build\\agent\\_work\\1\\s\\Shop.Web\\Services\\CartService.cs", 90, inApp: true),
                frame(0, "MoveNext", "System.Linq.Enumerable.WhereListIterator`1", nil, nil, inApp: false),
                frame(0, "Deserialize", "Newtonsoft.Json.Serialization.JsonSerializerInternalReader", nil, nil, inApp: false),
            ]),
        FixtureCase(
            "dotnet/inner_async.txt", .dotnet,
            exceptions: [
                exception(.primary, "System.InvalidOperationException", "Checkout of order 42 failed"),
                exception(.cause, "System.Net.Http.HttpRequestException", "Connection refused (payments.internal:443)"),
                exception(.cause, "System.Net.Sockets.SocketException", "Connection refused"),
            ],
            frames: [
                frame(0, "CheckoutAsync", "Shop.Api.Services.OrderService", "/src/Shop.Api/Services/OrderService.cs", 58, inApp: true),
                frame(0, "Checkout", "Shop.Api.Controllers.OrdersController", "/src/Shop.Api/Controllers/OrdersController.cs", 24, inApp: true),
                frame(0, "lambda_method5", nil, nil, nil, inApp: false),
                frame(0, "Execute", "Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor", nil, nil, inApp: false),
                frame(0, "<InvokeActionMethodAsync>g__Awaited|12_0", "Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker", nil, nil, inApp: false),
                frame(0, "<InvokeFilterPipelineAsync>g__Awaited|20_0", "Microsoft.AspNetCore.Mvc.Infrastructure.ResourceInvoker", nil, nil, inApp: false),
                frame(1, "ConnectToTcpHostAsync", "System.Net.Http.HttpConnectionPool", nil, nil, inApp: false),
                frame(1, "<SendAsync>g__Core|83_0", "System.Net.Http.HttpClient", nil, nil, inApp: false),
                frame(1, "ChargeAsync", "Shop.Payments.PaymentClient", "/src/Shop.Payments/PaymentClient.cs", 31, inApp: true),
                frame(2, "ThrowException", "System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs", nil, nil, inApp: false),
                frame(2, "GetResult", "System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.System.Threading.Tasks.Sources.IValueTaskSource", nil, nil, inApp: false),
                frame(2, "ConnectToTcpHostAsync", "System.Net.Http.HttpConnectionPool", nil, nil, inApp: false),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
