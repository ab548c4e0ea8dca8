import Foundation
import Hummingbird

/// Serves the OpenAPI 3.1 description of the API at `/openapi.json` and `/api/v1/openapi.json`.
struct OpenAPIController: Sendable {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.json", use: document)
        router.get("api/v1/openapi.json", use: document)
    }

    @Sendable func document(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
    }
}
