import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore: InstallationTransfer {
    public func counts() async throws -> InstallationCounts {
        let row = try await rows("""
            SELECT (SELECT count(*) FROM lore_user) AS users, (SELECT count(*) FROM project) AS projects,
                   (SELECT count(*) FROM document) AS documents, (SELECT count(*) FROM chunk) AS chunks,
                   (SELECT count(*) FROM chunk WHERE embedding IS NOT NULL) AS vectors,
                   (SELECT count(*) FROM revoked_session) AS revoked, (SELECT count(*) FROM source) AS sources
            """)[0]
        func count(_ column: String) throws -> Int { Int(try row.value(column, as: Int64.self)) }
        return InstallationCounts(
            users: try count("users"), projects: try count("projects"), documents: try count("documents"),
            chunks: try count("chunks"), vectors: try count("vectors"), revokedSessions: try count("revoked"),
            sources: try count("sources"))
    }

    public func exportUsers() async throws -> [User] {
        try await rows("SELECT * FROM lore_user ORDER BY created_at, id").map { row in
            User(id: try row.value("id"), email: try row.value("email"), name: try row.value("name"),
                 passwordHash: try row.value("password_hash"), createdAt: try row.date("created_at"))
        }
    }

    public func exportProjects() async throws -> [TransferredProject] {
        var keys: [UUID: [TransferredKey]] = [:]
        for row in try await rows("SELECT * FROM api_key ORDER BY created_at, id") {
            let key = try Self.key(from: row)
            keys[key.projectId, default: []].append(TransferredKey(key: key, hash: try row.value("key_hash")))
        }
        var sources: [UUID: [Source]] = [:]
        for row in try await rows("\(unescaped: Self.sourceSelect) ORDER BY s.created_at, s.id") {
            let source = try Self.source(from: row)
            sources[source.projectId, default: []].append(source)
        }
        return try await rows("SELECT * FROM project ORDER BY created_at, id").map { row in
            let project = try Self.project(from: row)
            return TransferredProject(project: project, apiKeyHash: try row.value("api_key_hash"), keys: keys[project.id] ?? [],
                                      sources: sources[project.id] ?? [])
        }
    }

    public func exportDocuments(projectID: UUID, afterPath: String?, limit: Int) async throws -> [TransferredDocument] {
        let documents = try await rows("""
            SELECT \(unescaped: Self.documentColumns) FROM document d
            WHERE d.project_id = \(projectID) AND d.path COLLATE "C" > \(afterPath ?? "") ORDER BY d.path COLLATE "C" LIMIT \(limit)
            """).map(Self.document(from:))
        guard !documents.isEmpty else { return [] }
        var chunks: [UUID: [TransferredChunk]] = [:]
        for row in try await rows("""
            SELECT * FROM chunk WHERE document_id = ANY(\(documents.map(\.id))) ORDER BY document_id, position, id
            """) {
            let embedding = try row.value("embedding", as: Data?.self).flatMap(VectorBlob.decode)
            chunks[try row.value("document_id"), default: []].append(TransferredChunk(
                position: try row.value("position"), heading: try row.value("heading"), text: try row.value("text"),
                tokenCount: try row.value("token_count"), contentHash: try row.value("content_hash"), embedding: embedding,
                embeddingModel: try row.value("embedding_model"), embeddingAttempts: try row.value("embedding_attempts"),
                embeddingFailed: try row.value("embedding_failed")))
        }
        return documents.map { TransferredDocument(document: $0, chunks: chunks[$0.id] ?? []) }
    }

    public func exportRevokedSessions() async throws -> [RevokedSession] {
        try await rows("SELECT * FROM revoked_session ORDER BY jti").map { row in
            RevokedSession(id: try row.value("jti"), expiresAt: try row.date("expires_at"))
        }
    }

    public func importUsers(_ users: [User]) async throws {
        try await transaction { connection in
            for user in users {
                try await connection.query("""
                    INSERT INTO lore_user (id, email, name, password_hash, created_at)
                    VALUES (\(user.id), \(user.email), \(user.name), \(user.passwordHash), \(user.createdAt.timeIntervalSince1970))
                    """, logger: self.logger)
            }
        }
    }

    public func importProjects(_ projects: [TransferredProject]) async throws {
        try await transaction { connection in
            for item in projects {
                try await self.insert(item.project, apiKeyHash: item.apiKeyHash, on: connection)
                for key in item.keys { try await self.insert(key.key, hash: key.hash, on: connection) }
                for source in item.sources { try await self.insert(source, on: connection) }
            }
        }
    }

    public func importDocuments(_ documents: [TransferredDocument]) async throws {
        try await transaction { connection in
            for item in documents {
                let document = item.document
                try await connection.query("""
                    INSERT INTO document (id, project_id, path, title, content, tags, metadata, version, content_hash,
                                          embedding_status, created_at, updated_at, source_id, source_path)
                    VALUES (\(document.id), \(document.projectId), \(document.path), \(document.title), \(document.content),
                            \(document.tags), \(JSONValue.encodeObject(document.metadata))::jsonb, \(document.version),
                            \(document.contentHash), \(document.embeddingStatus.rawValue),
                            \(document.createdAt.timeIntervalSince1970), \(document.updatedAt.timeIntervalSince1970),
                            \(document.source?.id), \(document.source?.path))
                    """, logger: self.logger)
                for chunk in item.chunks {
                    let embedding = chunk.embedding.map { ByteBuffer(bytes: VectorBlob.encode($0)) }
                    try await connection.query("""
                        INSERT INTO chunk (document_id, project_id, position, heading, text, token_count, content_hash, search,
                                           embedding, embedding_model, embedding_attempts, embedding_failed)
                        VALUES (\(document.id), \(document.projectId), \(chunk.position), \(chunk.heading), \(chunk.text),
                                \(chunk.tokenCount), \(chunk.contentHash),
                                lore_search_vector(\(SearchText.normalized(document.title)), \(SearchText.normalized(document.path)),
                                                   \(SearchText.normalized(chunk.heading)), \(SearchText.normalized(chunk.text))),
                                \(embedding), \(chunk.embeddingModel), \(chunk.embeddingAttempts), \(chunk.embeddingFailed))
                        """, logger: self.logger)
                }
            }
        }
    }

    public func importRevokedSessions(_ sessions: [RevokedSession]) async throws {
        try await transaction { connection in
            for session in sessions {
                try await connection.query("""
                    INSERT INTO revoked_session (jti, expires_at) VALUES (\(session.id), \(session.expiresAt.timeIntervalSince1970))
                    ON CONFLICT (jti) DO NOTHING
                    """, logger: self.logger)
            }
        }
    }
}
