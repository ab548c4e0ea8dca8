import Foundation
import GRDB

extension SQLiteStore: InstallationTransfer {
    public func counts() async throws -> InstallationCounts {
        try await read { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            return InstallationCounts(
                users: try count("SELECT COUNT(*) FROM user"), projects: try count("SELECT COUNT(*) FROM project"),
                documents: try count("SELECT COUNT(*) FROM document"), chunks: try count("SELECT COUNT(*) FROM chunk"),
                vectors: try count("SELECT COUNT(*) FROM chunk WHERE embedding IS NOT NULL"),
                revokedSessions: try count("SELECT COUNT(*) FROM revoked_session"), sources: try count("SELECT COUNT(*) FROM source"))
        }
    }

    public func exportUsers() async throws -> [User] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user ORDER BY created_at, id").map { row in
                User(id: row.uuid("id"), email: row["email"], name: row["name"], passwordHash: row["password_hash"],
                     createdAt: row.date("created_at"))
            }
        }
    }

    public func exportProjects() async throws -> [TransferredProject] {
        try await read { db in
            var keys: [UUID: [TransferredKey]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM api_key ORDER BY created_at, id") {
                let key = Self.key(from: row)
                keys[key.projectId, default: []].append(TransferredKey(key: key, hash: row["key_hash"]))
            }
            var sources: [UUID: [Source]] = [:]
            for row in try Row.fetchAll(db, sql: "\(Self.sourceSelect) ORDER BY s.created_at, s.id") {
                let source = Self.source(from: row)
                sources[source.projectId, default: []].append(source)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM project ORDER BY created_at, id").map { row in
                let project = Self.project(from: row)
                return TransferredProject(project: project, apiKeyHash: row["api_key_hash"], keys: keys[project.id] ?? [],
                                          sources: sources[project.id] ?? [])
            }
        }
    }

    public func exportDocuments(projectID: UUID, afterPath: String?, limit: Int) async throws -> [TransferredDocument] {
        try await read { db in
            let rows = try Row.fetchAll(db, sql: """
                \(Self.documentSelect) WHERE project_id = ? AND path > ? ORDER BY path LIMIT ?
                """, arguments: [projectID.key, afterPath ?? "", limit])
            return try rows.map { row in
                let document = Self.document(from: row)
                let chunks = try Row.fetchAll(db, sql: "SELECT * FROM chunk WHERE document_id = ? ORDER BY position, id",
                                              arguments: [document.id.key]).map { chunk in
                    TransferredChunk(
                        position: chunk["position"], heading: chunk["heading"], text: chunk["text"],
                        tokenCount: chunk["token_count"], contentHash: chunk["content_hash"],
                        embedding: VectorBlob.decode(chunk["embedding"]), embeddingModel: chunk["embedding_model"],
                        embeddingAttempts: chunk["embedding_attempts"], embeddingFailed: chunk["embedding_failed"])
                }
                return TransferredDocument(document: document, chunks: chunks)
            }
        }
    }

    public func exportRevokedSessions() async throws -> [RevokedSession] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM revoked_session ORDER BY jti").map { row in
                RevokedSession(id: row["jti"], expiresAt: row.date("expires_at"))
            }
        }
    }

    public func importUsers(_ users: [User]) async throws {
        try await write { db in
            for user in users {
                try db.execute(
                    sql: "INSERT INTO user (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [user.id.key, user.email, user.name, user.passwordHash, user.createdAt.storedValue])
            }
        }
    }

    public func importProjects(_ projects: [TransferredProject]) async throws {
        try await write { db in
            for item in projects {
                try Self.insert(item.project, apiKeyHash: item.apiKeyHash, db: db)
                for key in item.keys { try Self.insert(key.key, hash: key.hash, db: db) }
                for source in item.sources { try Self.insert(source, db: db) }
            }
        }
    }

    public func importDocuments(_ documents: [TransferredDocument]) async throws {
        try await write { db in
            for item in documents {
                let document = item.document
                try db.execute(
                    sql: """
                        INSERT INTO document (id, project_id, path, title, content, tags, metadata, version,
                                              content_hash, embedding_status, created_at, updated_at, source_id, source_path)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [document.id.key, document.projectId.key, document.path, document.title, document.content,
                                Self.encodeTags(document.tags), JSONValue.encodeObject(document.metadata), document.version,
                                document.contentHash, document.embeddingStatus.rawValue, document.createdAt.storedValue,
                                document.updatedAt.storedValue, document.source?.id.key, document.source?.path])
                for tag in document.tags {
                    try db.execute(sql: "INSERT INTO document_tag (document_id, tag) VALUES (?, ?)", arguments: [document.id.key, tag])
                }
                for chunk in item.chunks {
                    try db.execute(
                        sql: """
                            INSERT INTO chunk (document_id, position, heading, text, token_count, content_hash, embedding,
                                               embedding_model, embedding_attempts, embedding_failed)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [document.id.key, chunk.position, chunk.heading, chunk.text, chunk.tokenCount,
                                    chunk.contentHash, chunk.embedding.map(VectorBlob.encode), chunk.embeddingModel,
                                    chunk.embeddingAttempts, chunk.embeddingFailed])
                }
            }
        }
    }

    public func importRevokedSessions(_ sessions: [RevokedSession]) async throws {
        try await write { db in
            for session in sessions {
                try db.execute(sql: "INSERT OR REPLACE INTO revoked_session (jti, expires_at) VALUES (?, ?)",
                               arguments: [session.id, session.expiresAt.storedValue])
            }
        }
    }
}
