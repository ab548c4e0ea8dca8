import Index

extension OpenAPISpec {
    /// `/projects/{projectId}/documents`: reached by the project's owner or its API keys (a read key
    /// gets 403 for writes; a key confined to a folder sees nothing outside it, and gets 403 for
    /// writes there).
    static var documentPaths: [String: OpenAPIValue] {
        let base = "/api/v1/projects/{projectId}/documents"
        let project = ["ProjectId"]
        let document = ["ProjectId", "DocumentId"]
        let withContent = Success(status: 200, description: "The document with its content.", schema: "DocumentEnvelope",
                                  headers: ["ETag"])
        return [
            base: [
                "get": operation(
                    "listDocuments", tag: "Documents", summary: "Documents without their content.", access: .project,
                    parameters: project + ["Offset", "Limit", "PathPrefix", "Tag", "Sort"],
                    success: [Success(status: 200, description: "A page of documents.", schema: "DocumentListEnvelope")],
                    errors: [401, 403, 404, 422, 500]),
                "post": operation(
                    "createDocument", tag: "Documents",
                    summary: "Stores a document; it is findable by full text when the call returns.", access: .project,
                    parameters: project, body: "DocumentInput",
                    success: [Success(status: 201, description: "The new document.", schema: "DocumentEnvelope", headers: ["ETag"])],
                    errors: [401, 403, 404, 409, 413, 415, 422, 500]),
            ],
            "\(base)/bulk": ["post": operation(
                "writeDocuments", tag: "Documents",
                summary: "Creates or upserts up to 1,000 documents; valid items land even if others fail.", access: .project,
                parameters: project, body: "BulkInput",
                success: [Success(status: 200, description: "A result per item.", schema: "BulkResultEnvelope")],
                errors: [401, 403, 404, 413, 415, 422, 500])],
            "\(base)/by-path": ["get": operation(
                "getDocumentByPath", tag: "Documents", summary: "The document at a path.", access: .project,
                parameters: project + ["DocumentPath"], success: [withContent],
                errors: [401, 403, 404, 422, 500])],
            "\(base)/{documentId}": [
                "get": operation(
                    "getDocument", tag: "Documents", summary: "A document with its content.", access: .project,
                    parameters: document, success: [withContent], errors: [401, 403, 404, 500]),
                "put": operation(
                    "updateDocument", tag: "Documents",
                    summary: "Replaces a document's content (and optionally path, title, tags, metadata); 409 when the version is stale.",
                    access: .project, parameters: document + ["IfMatch"], body: "DocumentUpdateInput",
                    success: [Success(status: 200, description: "The updated document.", schema: "DocumentEnvelope",
                                      headers: ["ETag"])],
                    errors: [401, 403, 404, 409, 413, 415, 422, 500]),
                "delete": operation(
                    "deleteDocument", tag: "Documents", summary: "Deletes a document; 409 `source_owned` when a Git source holds it.",
                    access: .project, parameters: document, success: [Success(status: 204, description: "Deleted.")],
                    errors: [401, 403, 404, 409, 500]),
            ],
        ]
    }

    /// Search in one project (query string or JSON body) and across the user's projects.
    static var searchPaths: [String: OpenAPIValue] {
        let filters = ["Query", "Mode", "SearchLimit", "Offset", "PathPrefix", "Tag", "Syntax", "Fusion", "SemanticRatio", "MaxTokens"]
        let hits = Success(status: 200, description: "A page of hits; `meta.mode` is the mode that ran.",
                           schema: "SearchResultEnvelope")
        return [
            "/api/v1/projects/{projectId}/search": [
                "get": operation(
                    "searchProject", tag: "Search", summary: "Searches one project.", access: .project,
                    parameters: ["ProjectId"] + filters, success: [hits], errors: [401, 403, 404, 422, 500]),
                "post": operation(
                    "searchProjectWithBody", tag: "Search", summary: "Searches one project, the fields as JSON.",
                    access: .project, parameters: ["ProjectId"], body: "SearchInput", success: [hits],
                    errors: [401, 403, 404, 413, 415, 422, 500]),
            ],
            "/api/v1/search": ["get": operation(
                "searchAllProjects", tag: "Search", summary: "Searches every project of the user; hits carry `projectId`.",
                access: .user, parameters: filters, success: [hits], errors: [401, 403, 422, 500])],
        ]
    }
}
