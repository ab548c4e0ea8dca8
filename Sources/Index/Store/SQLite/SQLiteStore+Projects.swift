import Foundation
import GRDB

extension SQLiteStore: ProjectStore {
    public func createProject(_ new: NewProject) async throws -> ProjectWithKey {
        var created = try new.validated()
        created.project = try await write { [created] db -> Project in
            var project = created.project
            project.slug = try Self.freeSlug(for: project.name, ownerID: project.ownerId, in: db)
            try Self.insert(project, apiKeyHash: APIKey.hash(created.apiKey), db: db)
            return project
        }
        return created
    }

    public func project(id: UUID) async throws -> Project {
        let project = try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM project WHERE id = ?", arguments: [id.key]).map(Self.project(from:))
        }
        guard let project else { throw IndexError.notFound(entity: "project") }
        return project
    }

    public func projects(ownedBy ownerID: UUID, page: PageRequest) async throws -> Page<Project> {
        try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM project WHERE owner_id = ?", arguments: [ownerID.key]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM project WHERE owner_id = ? ORDER BY name_key, id LIMIT ? OFFSET ?",
                arguments: [ownerID.key, page.limit, page.offset])
            return Page(items: rows.map(Self.project(from:)), offset: page.offset, limit: page.limit, total: total)
        }
    }

    public func projects(slug: String) async throws -> [Project] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM project WHERE slug = ? ORDER BY created_at", arguments: [slug])
                .map(Self.project(from:))
        }
    }

    public func updateProject(id: UUID, name: String?, description: String?) async throws -> Project {
        let name = try name.map { name throws(IndexError) in try ProjectName.validate(name) }
        let description = try description.map { text throws(IndexError) in try ProjectName.validateDescription(text) }
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM project WHERE id = ?", arguments: [id.key]) else {
                throw IndexError.notFound(entity: "project")
            }
            var project = Self.project(from: row)
            if let name, name != project.name {
                project.name = name
                if Slug.make(from: name) != project.slug {
                    project.slug = try Self.freeSlug(for: name, ownerID: project.ownerId, in: db)
                }
            }
            if let description { project.description = description }
            project.updatedAt = Date()
            try db.execute(
                sql: "UPDATE project SET name = ?, name_key = ?, slug = ?, description = ?, updated_at = ? WHERE id = ?",
                arguments: [project.name, project.name.lowercased(), project.slug, project.description,
                            project.updatedAt.storedValue, id.key])
            try self.announce(.project(id), in: db)
            return project
        }
    }

    public func deleteProject(id: UUID) async throws {
        let deleted = try await write { db in
            try db.execute(sql: "DELETE FROM project WHERE id = ?", arguments: [id.key])
            let deleted = db.changesCount
            if deleted > 0 {
                try self.announce(.project(id), in: db)
                try self.announce(.vectors(project: id, chunkIDs: nil), in: db)
            }
            return deleted
        }
        guard deleted > 0 else { throw IndexError.notFound(entity: "project") }
    }

    public func rotateAPIKey(projectID: UUID) async throws -> ProjectWithKey {
        let key = APIKey.generate()
        let now = Date()
        try await write { db in
            try db.execute(
                sql: "UPDATE project SET api_key_hash = ?, api_key_prefix = ?, updated_at = ? WHERE id = ?",
                arguments: [APIKey.hash(key), APIKey.displayPrefix(key), now.storedValue, projectID.key])
            guard db.changesCount > 0 else { throw IndexError.notFound(entity: "project") }
            try self.announce(.project(projectID), in: db)
        }
        return ProjectWithKey(project: try await project(id: projectID), apiKey: key)
    }

    public func stats(projectID: UUID) async throws -> ProjectStats {
        try await read { db in
            let documents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE project_id = ?", arguments: [projectID.key]) ?? 0
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS chunks, COUNT(c.embedding) AS embedded
                FROM chunk c JOIN document d ON d.id = c.document_id WHERE d.project_id = ?
                """, arguments: [projectID.key])
            return ProjectStats(documents: documents, chunks: row?["chunks"] ?? 0, embeddedChunks: row?["embedded"] ?? 0)
        }
    }

    // MARK: Helpers

    static func insert(_ project: Project, apiKeyHash: String, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO project (id, owner_id, name, name_key, slug, description, api_key_hash,
                                     api_key_prefix, search_token, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [project.id.key, project.ownerId.key, project.name, project.name.lowercased(), project.slug,
                        project.description, apiKeyHash, project.apiKeyPrefix, SearchScope.token(for: project.id),
                        project.createdAt.storedValue, project.updatedAt.storedValue])
    }

    static func project(from row: Row) -> Project {
        Project(
            id: row.uuid("id"), ownerId: row.uuid("owner_id"), name: row["name"], slug: row["slug"],
            description: row["description"], apiKeyPrefix: row["api_key_prefix"],
            createdAt: row.date("created_at"), updatedAt: row.date("updated_at"))
    }

    /// The name's slug, or the slug with the first free `-2`, `-3`… suffix for this owner.
    static func freeSlug(for name: String, ownerID: UUID, in db: Database) throws -> String {
        try Slug.firstFree(from: Slug.make(from: name)) { candidate in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM project WHERE owner_id = ? AND slug = ?)",
                              arguments: [ownerID.key, candidate]) == true
        }
    }
}
