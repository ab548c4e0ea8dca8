import Foundation
import PostgresNIO

extension PostgresStore: ProjectStore {
    public func createProject(_ new: NewProject) async throws -> ProjectWithKey {
        var created = try new.validated()
        created.project = try await transaction { [created] connection -> Project in
            var project = created.project
            project.slug = try await self.freeSlug(for: project.name, ownerID: project.ownerId, on: connection)
            try await self.insert(project, apiKeyHash: APIKey.hash(created.apiKey), on: connection)
            return project
        }
        return created
    }

    public func project(id: UUID) async throws -> Project {
        guard let row = try await rows("SELECT * FROM project WHERE id = \(id)").first else {
            throw IndexError.notFound(entity: "project")
        }
        return try Self.project(from: row)
    }

    public func projects(ownedBy ownerID: UUID, page: PageRequest) async throws -> Page<Project> {
        let rows = try await rows("""
            SELECT *, count(*) OVER () AS total FROM project WHERE owner_id = \(ownerID)
            ORDER BY name_key, id LIMIT \(page.limit) OFFSET \(page.offset)
            """)
        var total = try rows.first.map { Int(try $0.value("total", as: Int64.self)) } ?? 0
        if rows.isEmpty && page.offset > 0 {
            total = Int(try await self.rows("SELECT count(*) AS total FROM project WHERE owner_id = \(ownerID)")[0]
                .value("total", as: Int64.self))
        }
        return Page(items: try rows.map(Self.project(from:)), offset: page.offset, limit: page.limit, total: total)
    }

    public func projects(slug: String) async throws -> [Project] {
        try await rows("SELECT * FROM project WHERE slug = \(slug) ORDER BY created_at").map(Self.project(from:))
    }

    public func updateProject(id: UUID, name: String?, description: String?) async throws -> Project {
        let name = try name.map { name throws(IndexError) in try ProjectName.validate(name) }
        let description = try description.map { text throws(IndexError) in try ProjectName.validateDescription(text) }
        return try await transaction { connection in
            guard let row = try await self.rows("SELECT * FROM project WHERE id = \(id) FOR UPDATE", on: connection).first else {
                throw IndexError.notFound(entity: "project")
            }
            var project = try Self.project(from: row)
            if let name, name != project.name {
                project.name = name
                if Slug.make(from: name) != project.slug {
                    project.slug = try await self.freeSlug(for: name, ownerID: project.ownerId, on: connection)
                }
            }
            if let description { project.description = description }
            project.updatedAt = Date()
            try await connection.query("""
                UPDATE project SET name = \(project.name), name_key = \(project.name.lowercased()), slug = \(project.slug),
                       description = \(project.description), updated_at = \(project.updatedAt.timeIntervalSince1970)
                WHERE id = \(id)
                """, logger: self.logger)
            try await self.announce(.project(id), on: connection)
            return project
        }
    }

    public func deleteProject(id: UUID) async throws {
        try await transaction { connection in
            guard try await !self.rows("DELETE FROM project WHERE id = \(id) RETURNING id", on: connection).isEmpty else {
                throw IndexError.notFound(entity: "project")
            }
            try await self.announce(.project(id), on: connection)
            try await self.announce(.vectors(project: id, chunkIDs: nil), on: connection)
        }
    }

    public func rotateAPIKey(projectID: UUID) async throws -> ProjectWithKey {
        let key = APIKey.generate()
        let now = Date()
        try await transaction { connection in
            let updated = try await self.rows("""
                UPDATE project SET api_key_hash = \(APIKey.hash(key)), api_key_prefix = \(APIKey.displayPrefix(key)),
                       updated_at = \(now.timeIntervalSince1970)
                WHERE id = \(projectID) RETURNING id
                """, on: connection)
            guard !updated.isEmpty else { throw IndexError.notFound(entity: "project") }
            try await self.announce(.project(projectID), on: connection)
        }
        return ProjectWithKey(project: try await project(id: projectID), apiKey: key)
    }

    public func stats(projectID: UUID) async throws -> ProjectStats {
        let row = try await rows("""
            SELECT (SELECT count(*) FROM document WHERE project_id = \(projectID)) AS documents,
                   count(*) AS chunks, count(embedding) AS embedded
            FROM chunk WHERE project_id = \(projectID)
            """)[0]
        return ProjectStats(documents: Int(try row.value("documents", as: Int64.self)),
                            chunks: Int(try row.value("chunks", as: Int64.self)),
                            embeddedChunks: Int(try row.value("embedded", as: Int64.self)))
    }

    // MARK: Helpers

    func insert(_ project: Project, apiKeyHash: String, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO project (id, owner_id, name, name_key, slug, description, api_key_hash, api_key_prefix,
                                 created_at, updated_at)
            VALUES (\(project.id), \(project.ownerId), \(project.name), \(project.name.lowercased()), \(project.slug),
                    \(project.description), \(apiKeyHash), \(project.apiKeyPrefix),
                    \(project.createdAt.timeIntervalSince1970), \(project.updatedAt.timeIntervalSince1970))
            """, logger: logger)
    }

    static func project(from row: PostgresRandomAccessRow) throws -> Project {
        Project(
            id: try row.value("id"), ownerId: try row.value("owner_id"), name: try row.value("name"),
            slug: try row.value("slug"), description: try row.value("description"),
            apiKeyPrefix: try row.value("api_key_prefix"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"))
    }

    /// The name's slug, or the slug with the first free `-2`, `-3`… suffix for this owner.
    func freeSlug(for name: String, ownerID: UUID, on connection: PostgresConnection) async throws -> String {
        let base = Slug.make(from: name)
        var taken = Set<String>()
        // A slug holds only letters, digits and dashes: nothing LIKE would read as a wildcard.
        for row in try await rows("SELECT slug FROM project WHERE owner_id = \(ownerID) AND slug LIKE \(base + "%")", on: connection) {
            taken.insert(try row.value("slug"))
        }
        return Slug.firstFree(from: base) { taken.contains($0) }
    }
}
