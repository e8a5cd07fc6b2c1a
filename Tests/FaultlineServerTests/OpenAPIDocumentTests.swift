import FaultlineServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// `(METHOD, /path/{param})` pairs the document describes.
    static func documentedOperations() throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        guard let document = object as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw DocumentError.notAnOpenAPIDocument
        }
        #expect(document["openapi"] as? String == "3.1.0")
        var operations: Set<String> = []
        let methods = ["get", "put", "post", "patch", "delete", "head", "options"]
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { throw DocumentError.notAnOpenAPIDocument }
            for method in methods where item[method] != nil {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    enum DocumentError: Error { case notAnOpenAPIDocument }

    @Test("every router route is documented and every documented route exists")
    func routesMatchDocument() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let router = try await TestServer.router(dataDirectory: directory)
        let routed = Set(router.routes.map { route -> String in
            let path = route.path.description.split(separator: "/").map { component in
                component.hasPrefix(":") ? "{\(component.dropFirst())}" : String(component)
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
        let documented = try Self.documentedOperations()
        #expect(routed.subtracting(documented).isEmpty, "routes missing from the document: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented routes the router lacks: \(documented.subtracting(routed).sorted())")
        #expect(routed.contains("GET /api/v1/issues/{id}"))
    }

    @Test("every $ref points at a component the document defines")
    func referencesResolve() throws {
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(document)
        #expect(references.count > 20)
        for reference in Set(references) {
            #expect(reference.hasPrefix("#/"), "\(reference)")
            var node: Any? = document
            for key in reference.dropFirst(2).split(separator: "/") {
                node = (node as? [String: Any])?[String(key)]
            }
            #expect(node != nil, "unresolved \(reference)")
        }
    }

    @Test("the document is served at /api/v1/openapi.json")
    func served() async throws {
        let directory = try TestEnvironment.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try await TestServer.application(dataDirectory: directory)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(String(buffer: response.body) == OpenAPIDocument.json)
            }
        }
    }
}
