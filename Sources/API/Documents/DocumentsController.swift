import Foundation
import Hummingbird
import Index
import Search

/// `/projects/{projectId}/documents`: reading and writing a project's documents.
///
/// Writes are synchronous: when a call returns 2xx the document is stored and findable by full
/// text. Reached by the project's owner or by its API keys, every call through the caller's
/// ``ProjectAccess`` (a read key cannot write, a confined key reaches only its folder).
struct DocumentsController<AppStore: Store>: Sendable {
    let engine: Engine<AppStore>
    let authenticator: Authenticator<AppStore>

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: list)
        group.post(use: create)
        group.post("bulk", use: bulk)
        group.get("by-path", use: getByPath)
        group.get(":documentId", use: get)
        group.put(":documentId", use: update)
        group.delete(":documentId", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let query = QueryParameters(request)
        let page = try query.page()
        let sort = try query.enumeration("sort", default: DocumentSort.path)
        let filter = DocumentFilter(pathPrefix: query.string("pathPrefix"), tag: query.string("tag"))
        let documents = try await access.documents(filter: filter, sort: sort, page: page)
        return try context.respond(page: documents.items.map(DocumentResponse.init), offset: page.offset,
                                   limit: page.limit, total: documents.total)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let input = try await request.decodeJSON(as: DocumentInput.self, context: context)
        let document = try await access.createDocument(input.newDocument)
        return try respond(with: document, status: .created, context: context)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let id = try context.parameters.uuid("documentId", entity: "document")
        return try respond(with: try await access.document(id: id), context: context)
    }

    @Sendable func getByPath(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        guard let path = QueryParameters(request).string("path") else { throw APIError.invalid("path", "is required") }
        return try respond(with: try await access.document(path: path), context: context)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let id = try context.parameters.uuid("documentId", entity: "document")
        let input = try await request.decodeJSON(as: DocumentUpdateInput.self, context: context)
        var expected = input.version
        let ifMatch = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces)
        if let ifMatch, ifMatch != "*" {
            guard let version = DocumentResponse.version(fromETag: ifMatch) else {
                throw APIError.invalid("If-Match", "must be an ETag of this API (\"v<version>\")")
            }
            if let given = expected, given != version {
                throw APIError.invalid("version", "disagrees with If-Match")
            }
            expected = version
        }
        guard expected != nil || ifMatch == "*" else {
            throw APIError.invalid("version", "is required (or send If-Match)")
        }
        let document = try await access.updateDocument(id: id, with: DocumentUpdate(
            content: input.content, path: input.path, title: input.title, tags: input.tags,
            metadata: input.metadata, expectedVersion: expected))
        return try respond(with: document, context: context)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let id = try context.parameters.uuid("documentId", entity: "document")
        try await access.deleteDocument(id: id)
        return Response(status: .noContent)
    }

    @Sendable func bulk(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let input = try await request.decodeJSON(as: BulkInput.self, context: context)
        guard input.documents.count <= BulkInput.maximumItems else {
            throw APIError.invalid("documents", "at most \(BulkInput.maximumItems) items per request")
        }
        let results = try await access.writeDocuments(input.documents.map(\.newDocument), mode: input.mode ?? .create)
        let items = results.map { item in
            switch item.result {
            case .success(let written):
                return BulkItemResponse(index: item.index, path: item.path, status: written.outcome.rawValue,
                                        document: DocumentResponse(written.summary), error: nil)
            case .failure(let error):
                let apiError = ErrorMapping.apiError(for: error)
                return BulkItemResponse(index: item.index, path: item.path, status: "error", document: nil,
                                        error: .init(code: apiError.code, message: apiError.message, details: apiError.details))
            }
        }
        let failed = items.filter { $0.status == "error" }.count
        return try context.respond(items, meta: ["total": .number(Double(items.count)), "failed": .number(Double(failed))])
    }

    private func projectAccess(_ request: Request, context: AppRequestContext) async throws -> ProjectAccess<AppStore> {
        let id = try context.parameters.uuid("projectId", entity: "project")
        let (project, scope) = try await authenticator.requireProjectAccess(id, request: request)
        return engine.access(project, scope: scope)
    }

    private func respond(with document: Document, status: HTTPResponse.Status = .ok, context: AppRequestContext) throws -> Response {
        try context.respond(DocumentResponse(document), status: status,
                            headers: [.eTag: DocumentResponse.etag(version: document.version)])
    }
}
