@testable import FaultlineCore
import Testing

/// Java traces printed by the runtime (see Tests/Fixtures/stacks/SOURCES.md), frame by frame.
@Suite struct JavaFixtureTests {
    static let root = Fixtures.root

    static let cases: [FixtureCase] = [
        FixtureCase(
            "java/caused_suppressed.txt", .jvm,
            exceptions: [
                exception(.primary, "java.lang.IllegalStateException", "retry exhausted"),
                exception(.cause, "java.io.IOException", "connection reset while reading order A-17"),
                exception(.suppressed, "java.lang.IllegalArgumentException", "close failed"),
            ],
            frames: [
                frame(0, "call", "org.apache.fakecommons.Retry", nil, nil, inApp: false),
                frame(0, "load", "com.acme.shop.OrderService", "OrderService.java", 27, inApp: true),
                frame(0, "main", "com.acme.shop.OrderService", "OrderService.java", 46, inApp: true),
                frame(1, "find", "com.acme.shop.OrderService$Repository", "OrderService.java", 11, inApp: true),
                frame(1, "lambda$load$0", "com.acme.shop.OrderService", "OrderService.java", 29, inApp: true),
                frame(2, "close", "com.acme.shop.OrderService$Repository", "OrderService.java", 16, inApp: true),
                frame(2, "lambda$load$0", "com.acme.shop.OrderService", "OrderService.java", 28, inApp: true),
            ]),
        FixtureCase(
            "java/kotlin_coroutines.txt", .jvm,
            exceptions: [
                exception(.primary, "java.lang.IllegalStateException", "Order 42 has no lines"),
            ],
            frames: [
                frame(0, "load", "com.acme.shop.OrderRepository", "OrderRepository.kt", 27, inApp: true),
                frame(0, "invokeSuspend", "com.acme.shop.OrderService$checkout$2", "OrderService.kt", 41, inApp: true),
                frame(0, "resumeWith", "kotlin.coroutines.jvm.internal.BaseContinuationImpl", "ContinuationImpl.kt", 33, inApp: false),
                frame(0, "run", "kotlinx.coroutines.DispatchedTask", "DispatchedTask.kt", 108, inApp: false),
                frame(0, "runSafely", "kotlinx.coroutines.scheduling.CoroutineScheduler", "CoroutineScheduler.kt", 584, inApp: false),
                frame(0, "run", "kotlinx.coroutines.scheduling.CoroutineScheduler$Worker", "CoroutineScheduler.kt", 679, inApp: false),
                frame(0, "checkout$suspendImpl", "com.acme.shop.OrderService", "OrderService.kt", 39, inApp: true),
                frame(0, "invokeSuspend", "com.acme.shop.ApplicationKt$module$1$1", "Application.kt", 18, inApp: true),
                frame(0, "main", "com.acme.shop.ApplicationKt", "Application.kt", 9, inApp: true),
            ]),
        FixtureCase(
            "java/lambda_stream.txt", .jvm,
            exceptions: [
                exception(.primary, "java.lang.NumberFormatException", "For input string: \"x7\""),
            ],
            frames: [
                frame(0, "forInputString", "java.lang.NumberFormatException", "NumberFormatException.java", 67, inApp: false),
                frame(0, "parseInt", "java.lang.Integer", "Integer.java", 668, inApp: false),
                frame(0, "parseInt", "java.lang.Integer", "Integer.java", 786, inApp: false),
                frame(0, "lambda$total$0", "com.acme.shop.OrderService$Pricing", "OrderService.java", 22, inApp: true),
                frame(0, "accept", "java.util.stream.ReferencePipeline$4$1", "ReferencePipeline.java", 214, inApp: false),
                frame(0, "forEachRemaining", "java.util.AbstractList$RandomAccessSpliterator", "AbstractList.java", 720, inApp: false),
                frame(0, "copyInto", "java.util.stream.AbstractPipeline", "AbstractPipeline.java", 509, inApp: false),
                frame(0, "wrapAndCopyInto", "java.util.stream.AbstractPipeline", "AbstractPipeline.java", 499, inApp: false),
                frame(0, "evaluateSequential", "java.util.stream.ReduceOps$ReduceOp", "ReduceOps.java", 921, inApp: false),
                frame(0, "evaluate", "java.util.stream.AbstractPipeline", "AbstractPipeline.java", 234, inApp: false),
                frame(0, "reduce", "java.util.stream.IntPipeline", "IntPipeline.java", 515, inApp: false),
                frame(0, "sum", "java.util.stream.IntPipeline", "IntPipeline.java", 473, inApp: false),
                frame(0, "total", "com.acme.shop.OrderService$Pricing", "OrderService.java", 22, inApp: true),
                frame(0, "price", "com.acme.shop.OrderService", "OrderService.java", 35, inApp: true),
                frame(0, "main", "com.acme.shop.OrderService", "OrderService.java", 42, inApp: true),
            ]),
        FixtureCase(
            "java/reflection_npe.txt", .jvm,
            exceptions: [
                exception(.primary, "java.lang.reflect.InvocationTargetException", nil),
                exception(.cause, "java.lang.NullPointerException", "Cannot invoke \"Object.hashCode()\" because \"<local2>\" is null"),
            ],
            frames: [
                frame(0, "invoke0", "jdk.internal.reflect.NativeMethodAccessorImpl", nil, nil, inApp: false),
                frame(0, "invoke", "jdk.internal.reflect.NativeMethodAccessorImpl", "NativeMethodAccessorImpl.java", 77, inApp: false),
                frame(0, "invoke", "jdk.internal.reflect.DelegatingMethodAccessorImpl", "DelegatingMethodAccessorImpl.java", 43, inApp: false),
                frame(0, "invoke", "java.lang.reflect.Method", "Method.java", 569, inApp: false),
                frame(0, "main", "com.acme.shop.OrderService", "OrderService.java", 44, inApp: true),
                frame(1, "checkout", "com.acme.shop.OrderService", "OrderService.java", 55, inApp: true),
            ]),
    ]

    @Test(arguments: cases)
    func parsesFixture(_ fixture: FixtureCase) throws {
        try Fixtures.check(fixture)
    }
}
