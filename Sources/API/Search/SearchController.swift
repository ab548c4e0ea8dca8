import Foundation
import Hummingbird
import Index
import Search

/// `GET|POST /projects/{projectId}/search` and `GET /search` across the user's projects.
struct SearchController<AppStore: Store>: Sendable {
    let engine: Engine<AppStore>
    let authenticator: Authenticator<AppStore>
    var metrics: LoreMetrics? = nil

    /// The fields of a search, from the query string or a JSON body.
    struct SearchInput: Decodable {
        var q: String?
        var mode: SearchMode?
        var limit: Int?
        var offset: Int?
        var pathPrefix: String?
        var tag: String?
        var fusion: FusionMethod?
        var semanticRatio: Double?
        var syntax: QuerySyntax?
        var maxTokens: Int?

        init(q: String?, mode: SearchMode?, limit: Int?, offset: Int?, pathPrefix: String?, tag: String?,
             fusion: FusionMethod?, semanticRatio: Double?, syntax: QuerySyntax?, maxTokens: Int?) {
            self.q = q
            self.mode = mode
            self.limit = limit
            self.offset = offset
            self.pathPrefix = pathPrefix
            self.tag = tag
            self.fusion = fusion
            self.semanticRatio = semanticRatio
            self.syntax = syntax
            self.maxTokens = maxTokens
        }

        init(query: QueryParameters) throws {
            self.init(
                q: query.string("q"), mode: try query.enumeration("mode"), limit: try query.int("limit"),
                offset: try query.int("offset"), pathPrefix: query.string("pathPrefix"), tag: query.string("tag"),
                fusion: try query.enumeration("fusion"), semanticRatio: try query.double("semanticRatio"),
                syntax: try query.enumeration("syntax"), maxTokens: try query.int("maxTokens"))
        }

        /// The search request; what the caller left out takes ``SearchRequest``'s defaults.
        func request(projectIDs: [UUID]) throws -> SearchRequest {
            do {
                return try SearchRequest(
                    text: q ?? "", projectIDs: projectIDs, mode: mode, filter: DocumentFilter(pathPrefix: pathPrefix, tag: tag),
                    offset: offset, limit: limit, fusion: fusion, semanticRatio: semanticRatio, syntax: syntax,
                    maxTokens: maxTokens)
            } catch {
                throw ErrorMapping.apiError(for: error)
            }
        }
    }

    func addProjectRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: searchProjectByQuery)
        group.post(use: searchProjectByBody)
    }

    func addGlobalRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(use: searchAllProjects)
    }

    @Sendable func searchProjectByQuery(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let input = try SearchInput(query: QueryParameters(request))
        return try await respond(try await access.search(try input.request(projectIDs: [access.project.id])), context: context)
    }

    @Sendable func searchProjectByBody(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await projectAccess(request, context: context)
        let input = try await request.decodeJSON(as: SearchInput.self, context: context)
        return try await respond(try await access.search(try input.request(projectIDs: [access.project.id])), context: context)
    }

    @Sendable func searchAllProjects(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, _) = try await authenticator.requireUser(request)
        let input = try SearchInput(query: QueryParameters(request))
        var projectIDs: [UUID] = []
        var offset = 0
        while true {
            let page = try await engine.store.projects(ownedBy: user.id, page: try PageRequest(offset: offset, limit: PageRequest.maximumLimit))
            projectIDs += page.items.map(\.id)
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        return try await respond(try await engine.search.search(try input.request(projectIDs: projectIDs)), context: context)
    }

    private func respond(_ response: SearchResponse, context: AppRequestContext) async throws -> Response {
        metrics?.recordSearch(mode: response.mode.rawValue, duration: .microseconds((response.tookMs * 1000).rounded()))
        return try context.respond(response.hits, meta: response.meta)
    }

    private func projectAccess(_ request: Request, context: AppRequestContext) async throws -> ProjectAccess<AppStore> {
        let id = try context.parameters.uuid("projectId", entity: "project")
        let (project, scope) = try await authenticator.requireProjectAccess(id, request: request)
        return engine.access(project, scope: scope)
    }
}
