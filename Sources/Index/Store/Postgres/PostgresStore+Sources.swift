import Foundation
import PostgresNIO

extension PostgresStore: SourceStore {
    static let sourceSelect = """
        SELECT s.*, (SELECT count(*) FROM document d WHERE d.source_id = s.id) AS documents FROM source s
        """

    public func createSource(_ source: Source) async throws -> Source {
        try await transaction { connection in
            // Locking the project row serializes source creation per project, so the folder and
            // count rules hold.
            guard try await !self.rows("SELECT id FROM project WHERE id = \(source.projectId) FOR UPDATE", on: connection).isEmpty else {
                throw IndexError.notFound(entity: "project")
            }
            let prefixes = try await self.rows("SELECT path_prefix FROM source WHERE project_id = \(source.projectId)", on: connection)
                .map { try $0.value("path_prefix", as: String.self) }
            try SourceFolders.requireRoom(for: source, besides: prefixes)
            try await self.insert(source, on: connection)
        }
        return try await self.source(id: source.id, in: source.projectId)
    }

    /// Writes a source with its sync state (not its claim).
    func insert(_ source: Source, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO source (id, project_id, kind, url, ref, include, exclude, path_prefix, interval_seconds, webhook_secret,
                                last_commit, last_synced_at, last_error, last_attempt_at, needs_full_comparison, created_at)
            VALUES (\(source.id), \(source.projectId), \(source.kind.rawValue), \(source.url), \(source.ref), \(source.include),
                    \(source.exclude), \(source.pathPrefix), \(source.intervalSeconds), \(source.webhookSecret),
                    \(source.lastCommit), \(source.lastSyncedAt?.timeIntervalSince1970), \(source.lastError),
                    \(source.lastAttemptAt?.timeIntervalSince1970), \(source.needsFullComparison), \(source.createdAt.timeIntervalSince1970))
            """, logger: logger)
    }

    public func sources(in projectID: UUID, page: PageRequest) async throws -> Page<Source> {
        let total = try await rows("SELECT count(*) AS total FROM source WHERE project_id = \(projectID)")[0].value("total", as: Int64.self)
        let rows = try await rows("""
            \(unescaped: Self.sourceSelect) WHERE s.project_id = \(projectID) ORDER BY s.created_at, s.id
            LIMIT \(page.limit) OFFSET \(page.offset)
            """)
        return Page(items: try rows.map { try Self.source(from: $0) }, offset: page.offset, limit: page.limit, total: Int(total))
    }

    public func source(id: UUID, in projectID: UUID) async throws -> Source {
        guard let row = try await rows("\(unescaped: Self.sourceSelect) WHERE s.id = \(id) AND s.project_id = \(projectID)").first else {
            throw IndexError.notFound(entity: "source")
        }
        return try Self.source(from: row)
    }

    public func updateSource(id: UUID, in projectID: UUID, with update: SourceUpdate) async throws -> Source {
        try await transaction { connection in
            guard let row = try await self.rows("""
                \(unescaped: Self.sourceSelect) WHERE s.id = \(id) AND s.project_id = \(projectID) FOR UPDATE OF s
                """, on: connection).first else {
                throw IndexError.notFound(entity: "source")
            }
            let current = try Self.source(from: row)
            let updated = try update.applied(to: current)
            let refiltered = updated.include != current.include || updated.exclude != current.exclude
            try await connection.query("""
                UPDATE source SET ref = \(updated.ref), include = \(updated.include), exclude = \(updated.exclude),
                       interval_seconds = \(updated.intervalSeconds), needs_full_comparison = needs_full_comparison OR \(refiltered)
                WHERE id = \(id)
                """, logger: self.logger)
            return updated
        }
    }

    public func deleteSource(id: UUID, in projectID: UUID) async throws {
        // The documents go with it (ON DELETE CASCADE), and their chunks with them.
        guard try await !rows("DELETE FROM source WHERE id = \(id) AND project_id = \(projectID) RETURNING id").isEmpty else {
            throw IndexError.notFound(entity: "source")
        }
    }

    public func dueSources(at now: Date, limit: Int) async throws -> [Source] {
        let time = now.timeIntervalSince1970
        return try await rows("""
            \(unescaped: Self.sourceSelect)
            WHERE (s.sync_lease_until IS NULL OR s.sync_lease_until < \(time))
              AND (s.last_attempt_at IS NULL OR s.last_attempt_at + s.interval_seconds <= \(time))
            ORDER BY COALESCE(s.last_attempt_at + s.interval_seconds, 0), s.id LIMIT \(limit)
            """).map { try Self.source(from: $0, now: now) }
    }

    public func claimSync(of sourceID: UUID, in projectID: UUID, until: Date, now: Date) async throws -> SyncLease? {
        let token = UUID()
        let claimed = try await rows("""
            UPDATE source SET sync_token = \(token), sync_lease_until = \(until.timeIntervalSince1970)
            WHERE id = \(sourceID) AND project_id = \(projectID)
              AND (sync_lease_until IS NULL OR sync_lease_until < \(now.timeIntervalSince1970))
            RETURNING id
            """)
        if !claimed.isEmpty { return SyncLease(sourceID: sourceID, projectID: projectID, token: token) }
        _ = try await source(id: sourceID, in: projectID)
        return nil
    }

    public func renewSync(_ lease: SyncLease, until: Date) async throws -> Bool {
        try await !rows("""
            UPDATE source SET sync_lease_until = \(until.timeIntervalSince1970)
            WHERE id = \(lease.sourceID) AND sync_token = \(lease.token) RETURNING id
            """).isEmpty
    }

    public func sourceFiles(of sourceID: UUID, in projectID: UUID) async throws -> [String: SourceFile] {
        var files: [String: SourceFile] = [:]
        for row in try await rows("""
            SELECT id, path, content_hash, source_path FROM document WHERE source_id = \(sourceID) AND project_id = \(projectID)
            """) {
            files[try row.value("source_path")] = SourceFile(
                documentID: try row.value("id"), path: try row.value("path"), contentHash: try row.value("content_hash"))
        }
        return files
    }

    public func applySync(_ plan: SourceSyncPlan, lease: SyncLease) async throws -> SourceSyncOutcome {
        let writes = try plan.writes.map { write throws(IndexError) in (write, try preparer.prepare(write.document)) }
        let now = Date().timeIntervalSince1970
        return try await transaction { connection in
            // The row lock also waits for a renewal in flight, so the token read is the current one.
            guard let token = try await self.rows("SELECT sync_token FROM source WHERE id = \(lease.sourceID) FOR UPDATE", on: connection)
                .first?.value("sync_token", as: UUID?.self), token == lease.token else {
                throw IndexError.conflict(field: "sync", reason: "another process took over this source's sync")
            }
            var outcome = SourceSyncOutcome()
            func ownDocument(at path: String) async throws -> Document? {
                try await self.rows("""
                    SELECT \(unescaped: Self.documentColumns) FROM document d
                    WHERE d.project_id = \(lease.projectID) AND d.source_id = \(lease.sourceID) AND d.path = \(path) FOR UPDATE OF d
                    """, on: connection).first.map(Self.document(from:))
            }
            for path in plan.deletes {
                guard let document = try await ownDocument(at: path) else { continue }
                try await connection.query("DELETE FROM document WHERE id = \(document.id)", logger: self.logger)
                outcome.deleted += 1
                outcome.deletedDocumentIDs.append(document.id)
            }
            // Renames first move every document aside, so that swaps and chains never meet a
            // path that is still taken; then each lands where the repository has it.
            var moves: [(Document, SourceFileWrite, PreparedDocument)] = []
            var others: [(SourceFileWrite, PreparedDocument)] = []
            for (write, prepared) in writes {
                if let previous = write.previousPath, var document = try await ownDocument(at: previous) {
                    document.path = SourceFolders.parking(document.id)
                    try await connection.query("UPDATE document SET path = \(document.path) WHERE id = \(document.id)", logger: self.logger)
                    moves.append((document, write, prepared))
                } else {
                    others.append((write, prepared))
                }
            }
            var written: [(UUID, String)] = []
            for (document, write, prepared) in moves {
                if let row = try await self.rows("""
                    SELECT \(unescaped: Self.documentColumns) FROM document d
                    WHERE d.project_id = \(lease.projectID) AND d.path = \(prepared.path) FOR UPDATE OF d
                    """, on: connection).first {
                    let occupant = try Self.document(from: row)
                    try occupant.requireWritable(by: lease.sourceID)
                    try await connection.query("DELETE FROM document WHERE id = \(occupant.id)", logger: self.logger)
                }
                let (stored, _) = try await self.replace(document, with: prepared, on: connection)
                outcome.moved += 1
                written.append((stored.id, write.repositoryPath))
            }
            for (write, prepared) in others {
                let (stored, result) = try await self.upsert(prepared, in: lease.projectID, source: lease.sourceID, on: connection)
                switch result {
                case .created: outcome.created += 1
                case .updated: outcome.updated += 1
                case .unchanged: outcome.unchanged += 1
                }
                written.append((stored.id, write.repositoryPath))
            }
            if !written.isEmpty {
                try await connection.query("""
                    UPDATE document SET source_id = \(lease.sourceID), source_path = file.path
                    FROM unnest(\(written.map(\.0))::uuid[], \(written.map(\.1))::text[]) AS file(id, path)
                    WHERE document.id = file.id
                    """, logger: self.logger)
            }
            try await connection.query("""
                UPDATE source SET last_commit = \(plan.commit), last_synced_at = \(now), last_attempt_at = \(now), last_error = NULL,
                       needs_full_comparison = false, sync_token = NULL, sync_lease_until = NULL
                WHERE id = \(lease.sourceID)
                """, logger: self.logger)
            return outcome
        }
    }

    public func recordSyncFailure(_ lease: SyncLease, message: String, at time: Date) async throws {
        _ = try await rows("""
            UPDATE source SET last_error = \(message), last_attempt_at = \(time.timeIntervalSince1970),
                   sync_token = NULL, sync_lease_until = NULL
            WHERE id = \(lease.sourceID) AND sync_token = \(lease.token) RETURNING id
            """)
    }

    static func source(from row: PostgresRandomAccessRow, now: Date = Date()) throws -> Source {
        let leaseUntil = try row.value("sync_lease_until", as: Double?.self)
        let lastError = try row.value("last_error", as: String?.self)
        let syncing = leaseUntil.map { $0 >= now.timeIntervalSince1970 } ?? false
        return Source(
            id: try row.value("id"), projectId: try row.value("project_id"),
            kind: SourceKind(rawValue: try row.value("kind")) ?? .git, url: try row.value("url"), ref: try row.value("ref"),
            include: try row.value("include"), exclude: try row.value("exclude"), pathPrefix: try row.value("path_prefix"),
            intervalSeconds: try row.value("interval_seconds"), webhookSecret: try row.value("webhook_secret"),
            status: syncing ? .syncing : lastError == nil ? .idle : .error, lastCommit: try row.value("last_commit", as: String?.self),
            lastSyncedAt: try row.value("last_synced_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            lastError: lastError,
            lastAttemptAt: try row.value("last_attempt_at", as: Double?.self).map(Date.init(timeIntervalSince1970:)),
            documents: Int(try row.value("documents", as: Int64.self)), createdAt: try row.date("created_at"),
            needsFullComparison: try row.value("needs_full_comparison"))
    }
}
