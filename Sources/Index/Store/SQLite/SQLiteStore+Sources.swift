import Foundation
import GRDB

extension SQLiteStore: SourceStore {
    static let sourceSelect = """
        SELECT s.*, (SELECT COUNT(*) FROM document d WHERE d.source_id = s.id) AS documents FROM source s
        """

    public func createSource(_ source: Source) async throws -> Source {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?)", arguments: [source.projectId.key]) == true else {
                throw IndexError.notFound(entity: "project")
            }
            let prefixes = try String.fetchAll(db, sql: "SELECT path_prefix FROM source WHERE project_id = ?", arguments: [source.projectId.key])
            try SourceFolders.requireRoom(for: source, besides: prefixes)
            try Self.insert(source, db: db)
        }
        return try await self.source(id: source.id, in: source.projectId)
    }

    public func sources(in projectID: UUID, page: PageRequest) async throws -> Page<Source> {
        try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM source WHERE project_id = ?", arguments: [projectID.key]) ?? 0
            let rows = try Row.fetchAll(db, sql: "\(Self.sourceSelect) WHERE s.project_id = ? ORDER BY s.created_at, s.id LIMIT ? OFFSET ?",
                                        arguments: [projectID.key, page.limit, page.offset])
            return Page(items: rows.map { Self.source(from: $0) }, offset: page.offset, limit: page.limit, total: total)
        }
    }

    public func source(id: UUID, in projectID: UUID) async throws -> Source {
        try await read { db in try Self.fetchSource(id: id, in: projectID, db: db) }
    }

    public func updateSource(id: UUID, in projectID: UUID, with update: SourceUpdate) async throws -> Source {
        try await write { db in
            let current = try Self.fetchSource(id: id, in: projectID, db: db)
            let updated = try update.applied(to: current)
            let refiltered = updated.include != current.include || updated.exclude != current.exclude
            try db.execute(sql: """
                UPDATE source SET ref = ?, include = ?, exclude = ?, interval_seconds = ?,
                       needs_full_comparison = needs_full_comparison OR ?
                WHERE id = ?
                """, arguments: [updated.ref, Self.encodeTags(updated.include), Self.encodeTags(updated.exclude),
                                 updated.intervalSeconds, refiltered, id.key])
            return updated
        }
    }

    public func deleteSource(id: UUID, in projectID: UUID) async throws {
        try await write { db in
            // The documents go with it (ON DELETE CASCADE), and their chunks and index entries with them.
            try db.execute(sql: "DELETE FROM source WHERE id = ? AND project_id = ?", arguments: [id.key, projectID.key])
            guard db.changesCount > 0 else { throw IndexError.notFound(entity: "source") }
        }
    }

    public func dueSources(at now: Date, limit: Int) async throws -> [Source] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                \(Self.sourceSelect)
                WHERE (s.sync_lease_until IS NULL OR s.sync_lease_until < ?)
                  AND (s.last_attempt_at IS NULL OR s.last_attempt_at + s.interval_seconds <= ?)
                ORDER BY COALESCE(s.last_attempt_at + s.interval_seconds, 0), s.id LIMIT ?
                """, arguments: [now.storedValue, now.storedValue, limit]).map { Self.source(from: $0, now: now) }
        }
    }

    public func claimSync(of sourceID: UUID, in projectID: UUID, until: Date, now: Date) async throws -> SyncLease? {
        let token = UUID()
        return try await write { db in
            try db.execute(sql: """
                UPDATE source SET sync_token = ?, sync_lease_until = ?
                WHERE id = ? AND project_id = ? AND (sync_lease_until IS NULL OR sync_lease_until < ?)
                """, arguments: [token.key, until.storedValue, sourceID.key, projectID.key, now.storedValue])
            if db.changesCount > 0 { return SyncLease(sourceID: sourceID, projectID: projectID, token: token) }
            _ = try Self.fetchSource(id: sourceID, in: projectID, db: db)
            return nil
        }
    }

    public func renewSync(_ lease: SyncLease, until: Date) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE source SET sync_lease_until = ? WHERE id = ? AND sync_token = ?",
                           arguments: [until.storedValue, lease.sourceID.key, lease.token.key])
            return db.changesCount > 0
        }
    }

    public func sourceFiles(of sourceID: UUID, in projectID: UUID) async throws -> [String: SourceFile] {
        try await read { db in
            var files: [String: SourceFile] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT id, path, content_hash, source_path FROM document WHERE source_id = ? AND project_id = ?
                """, arguments: [sourceID.key, projectID.key]) {
                files[row["source_path"]] = SourceFile(documentID: row.uuid("id"), path: row["path"], contentHash: row["content_hash"])
            }
            return files
        }
    }

    public func applySync(_ plan: SourceSyncPlan, lease: SyncLease) async throws -> SourceSyncOutcome {
        let writes = plan.writes.map { write in Result { () throws(IndexError) in (write, try preparer.prepare(write.document)) } }
        let now = Date()
        return try await write { db in
            guard try String.fetchOne(db, sql: "SELECT sync_token FROM source WHERE id = ?", arguments: [lease.sourceID.key]) == lease.token.key else {
                throw IndexError.conflict(field: "sync", reason: "another process took over this source's sync")
            }
            var outcome = SourceSyncOutcome()
            let owned = "project_id = ? AND source_id = ?"
            let ownedArguments: StatementArguments = [lease.projectID.key, lease.sourceID.key]
            func ownDocument(at path: String) throws -> Document? {
                try self.fetchDocumentIfAny(sql: "\(Self.documentSelect) WHERE path = ? AND \(owned)",
                                            arguments: [path] + ownedArguments, db: db)
            }
            for path in plan.deletes {
                guard let document = try ownDocument(at: path) else { continue }
                try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [document.id.key])
                outcome.deleted += 1
                outcome.deletedDocumentIDs.append(document.id)
            }
            // Renames first move every document aside, so that swaps and chains never meet a
            // path that is still taken; then each lands where the repository has it.
            var moves: [(Document, SourceFileWrite, PreparedDocument)] = []
            var others: [(SourceFileWrite, PreparedDocument)] = []
            for item in writes {
                let (write, prepared) = try item.get()
                if let previous = write.previousPath, let document = try ownDocument(at: previous) {
                    try db.execute(sql: "UPDATE document SET path = ? WHERE id = ?", arguments: [SourceFolders.parking(document.id), document.id.key])
                    moves.append((document, write, prepared))
                } else {
                    others.append((write, prepared))
                }
            }
            var written: [(UUID, String)] = []
            for (document, write, prepared) in moves {
                if let occupant = try self.fetchDocumentIfAny(sql: "\(Self.documentSelect) WHERE project_id = ? AND path = ?",
                                                               arguments: [lease.projectID.key, prepared.path], db: db) {
                    try occupant.requireWritable(by: lease.sourceID)
                    try db.execute(sql: "DELETE FROM document WHERE id = ?", arguments: [occupant.id.key])
                }
                let (stored, _) = try self.replace(document, with: prepared, db: db)
                outcome.moved += 1
                written.append((stored.id, write.repositoryPath))
            }
            for (write, prepared) in others {
                let (stored, result) = try self.upsert(prepared, in: lease.projectID, source: lease.sourceID, db: db)
                switch result {
                case .created: outcome.created += 1
                case .updated: outcome.updated += 1
                case .unchanged: outcome.unchanged += 1
                }
                written.append((stored.id, write.repositoryPath))
            }
            for (id, repositoryPath) in written {
                try db.cachedStatement(sql: "UPDATE document SET source_id = ?, source_path = ? WHERE id = ?")
                    .execute(arguments: [lease.sourceID.key, repositoryPath, id.key])
            }
            try db.execute(sql: """
                UPDATE source SET last_commit = ?, last_synced_at = ?, last_attempt_at = ?, last_error = NULL,
                       needs_full_comparison = 0, sync_token = NULL, sync_lease_until = NULL
                WHERE id = ?
                """, arguments: [plan.commit, now.storedValue, now.storedValue, lease.sourceID.key])
            return outcome
        }
    }

    public func recordSyncFailure(_ lease: SyncLease, message: String, at time: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                UPDATE source SET last_error = ?, last_attempt_at = ?, sync_token = NULL, sync_lease_until = NULL
                WHERE id = ? AND sync_token = ?
                """, arguments: [message, time.storedValue, lease.sourceID.key, lease.token.key])
        }
    }

    // MARK: Rows

    /// Writes a source with its sync state (not its claim).
    static func insert(_ source: Source, db: Database) throws {
        try db.execute(sql: """
            INSERT INTO source (id, project_id, kind, url, ref, include, exclude, path_prefix, interval_seconds, webhook_secret,
                                last_commit, last_synced_at, last_error, last_attempt_at, needs_full_comparison, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [source.id.key, source.projectId.key, source.kind.rawValue, source.url, source.ref,
                             encodeTags(source.include), encodeTags(source.exclude), source.pathPrefix, source.intervalSeconds,
                             source.webhookSecret, source.lastCommit, source.lastSyncedAt?.storedValue, source.lastError,
                             source.lastAttemptAt?.storedValue, source.needsFullComparison, source.createdAt.storedValue])
    }

    static func fetchSource(id: UUID, in projectID: UUID, db: Database) throws -> Source {
        guard let row = try Row.fetchOne(db, sql: "\(sourceSelect) WHERE s.id = ? AND s.project_id = ?", arguments: [id.key, projectID.key]) else {
            throw IndexError.notFound(entity: "source")
        }
        return source(from: row)
    }

    static func source(from row: Row, now: Date = Date()) -> Source {
        let leaseUntil: Double? = row["sync_lease_until"]
        let lastError: String? = row["last_error"]
        let syncing = leaseUntil.map { $0 >= now.storedValue } ?? false
        return Source(
            id: row.uuid("id"), projectId: row.uuid("project_id"), kind: SourceKind(rawValue: row["kind"]) ?? .git,
            url: row["url"], ref: row["ref"], include: decodeTags(row["include"]), exclude: decodeTags(row["exclude"]),
            pathPrefix: row["path_prefix"], intervalSeconds: row["interval_seconds"], webhookSecret: row["webhook_secret"],
            status: syncing ? .syncing : lastError == nil ? .idle : .error, lastCommit: row["last_commit"],
            lastSyncedAt: (row["last_synced_at"] as Double?).map(Date.init(timeIntervalSince1970:)), lastError: lastError,
            lastAttemptAt: (row["last_attempt_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            documents: row["documents"], createdAt: row.date("created_at"),
            needsFullComparison: row["needs_full_comparison"])
    }
}
