import Logging
import PostgresNIO

/// The PostgreSQL schema, as migrations that are never edited once shipped: add a new one instead.
///
/// Migrations run in one transaction under an advisory lock, so instances that start together
/// apply each once. Times are `double precision` seconds since 1970, as in the SQLite
/// schema, so that they round-trip exactly.
enum PostgresMigrations {
    /// An arbitrary constant that names Lore's migration lock.
    static let lockKey: Int64 = 0x4C6F_7265_4D69_6772

    static let migrations: [(name: String, statements: [String])] = [
        ("v1-documents-and-full-text", v1),
        ("v2-scoped-keys", v2),
        ("v3-git-sources", v3),
    ]

    /// Applies every migration not yet applied, all in one transaction under the lock.
    static func migrate(client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS lore_migration (name text PRIMARY KEY, applied_at double precision NOT NULL)",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM lore_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO lore_migration (name, applied_at) VALUES (\(migration.name), extract(epoch FROM now()))",
                    logger: logger)
                logger.info("applied migration", metadata: ["migration": .string(migration.name)])
            }
        }
    }

    static func isComplete(client: PostgresClient, logger: Logger) async throws -> Bool {
        var applied = Set<String>()
        for try await name in try await client.query("SELECT name FROM lore_migration", logger: logger).decode(String.self) {
            applied.insert(name)
        }
        return migrations.allSatisfy { applied.contains($0.name) }
    }

    /// Git sources (SPEC §11) and the provenance of the documents they hold. A document's commit
    /// is its source's `last_commit` (the sync that wrote it recorded both in one transaction).
    static let v3 = [
        """
        CREATE TABLE source (
            id uuid PRIMARY KEY,
            project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            kind text NOT NULL CHECK (kind IN ('git')),
            url text NOT NULL,
            ref text NOT NULL,
            include text[] NOT NULL,
            exclude text[] NOT NULL,
            path_prefix text NOT NULL,
            interval_seconds integer NOT NULL,
            webhook_secret text NOT NULL,
            last_commit text,
            last_synced_at double precision,
            last_error text,
            last_attempt_at double precision,
            needs_full_comparison boolean NOT NULL DEFAULT false,
            sync_token uuid,
            sync_lease_until double precision,
            created_at double precision NOT NULL
        )
        """,
        "CREATE INDEX source_by_project ON source (project_id, created_at)",
        "ALTER TABLE document ADD COLUMN source_id uuid REFERENCES source(id) ON DELETE CASCADE",
        "ALTER TABLE document ADD COLUMN source_path text",
        "CREATE INDEX document_by_source ON document (source_id, source_path) WHERE source_id IS NOT NULL",
    ]

    /// A project's scoped API keys (SPEC §10), by SHA-256 hash only; the project's own key stays
    /// in `project.api_key_hash`.
    static let v2 = [
        """
        CREATE TABLE api_key (
            id uuid PRIMARY KEY,
            project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            name text NOT NULL,
            key_hash text NOT NULL UNIQUE,
            prefix text NOT NULL,
            access text NOT NULL CHECK (access IN ('read', 'write')),
            path_prefix text,
            created_at double precision NOT NULL,
            last_used_at double precision,
            expires_at double precision
        )
        """,
        "CREATE INDEX api_key_by_project ON api_key (project_id, created_at)",
    ]

    /// Users, projects, documents, chunks with their `tsvector` and embedding, revoked sessions.
    ///
    /// `lore_search_vector` weighs title A, path B, heading C and body D; the store passes it
    /// text already split into words (``SearchText``), as the SQLite tokenizer would split it.
    ///
    /// `chunk.project_id` repeats the document's project so that a search is scoped by the GIN
    /// scan itself, without joining every match to its document. The embedding queue is the chunk
    /// table: a chunk without a vector that has not failed for good is pending; claiming a chunk
    /// moves its `embedding_retry_at` forward (a lease), so a worker that dies mid-batch only
    /// delays it.
    static let v1 = [
        """
        CREATE TABLE lore_user (
            id uuid PRIMARY KEY,
            email text NOT NULL CONSTRAINT lore_user_email_key UNIQUE,
            name text NOT NULL,
            password_hash text NOT NULL,
            created_at double precision NOT NULL
        )
        """,
        """
        CREATE TABLE project (
            id uuid PRIMARY KEY,
            owner_id uuid NOT NULL REFERENCES lore_user(id) ON DELETE CASCADE,
            name text NOT NULL,
            name_key text NOT NULL,
            slug text NOT NULL,
            description text NOT NULL DEFAULT '',
            api_key_hash text NOT NULL UNIQUE,
            api_key_prefix text NOT NULL,
            created_at double precision NOT NULL,
            updated_at double precision NOT NULL,
            CONSTRAINT project_owner_name UNIQUE (owner_id, name_key),
            CONSTRAINT project_owner_slug UNIQUE (owner_id, slug)
        )
        """,
        "CREATE INDEX project_by_slug ON project (slug)",
        """
        CREATE TABLE document (
            id uuid PRIMARY KEY,
            project_id uuid NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            path text NOT NULL,
            title text NOT NULL,
            content text NOT NULL,
            tags text[] NOT NULL DEFAULT '{}',
            metadata jsonb NOT NULL DEFAULT '{}',
            version integer NOT NULL CHECK (version >= 1),
            content_hash text NOT NULL,
            embedding_status text NOT NULL
                CHECK (embedding_status IN ('pending', 'ready', 'failed', 'disabled')),
            created_at double precision NOT NULL,
            updated_at double precision NOT NULL,
            CONSTRAINT document_project_path UNIQUE (project_id, path)
        )
        """,
        "CREATE INDEX document_by_project_updated ON document (project_id, updated_at)",
        "CREATE INDEX document_by_tag ON document USING gin (tags)",
        """
        CREATE FUNCTION lore_search_vector(title text, path text, heading text, body text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT setweight(to_tsvector('english', title), 'A')
                || setweight(to_tsvector('english', path), 'B')
                || setweight(to_tsvector('english', heading), 'C')
                || setweight(to_tsvector('english', body), 'D')
        $$
        """,
        """
        CREATE TABLE chunk (
            id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            document_id uuid NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            project_id uuid NOT NULL,
            position integer NOT NULL,
            heading text NOT NULL,
            text text NOT NULL,
            token_count integer NOT NULL,
            content_hash text NOT NULL,
            search tsvector NOT NULL,
            embedding bytea,
            embedding_model text,
            embedding_attempts integer NOT NULL DEFAULT 0,
            embedding_retry_at double precision NOT NULL DEFAULT 0,
            embedding_failed boolean NOT NULL DEFAULT false
        )
        """,
        "CREATE INDEX chunk_by_document ON chunk (document_id, position)",
        "CREATE INDEX chunk_by_project ON chunk (project_id)",
        "CREATE INDEX chunk_search ON chunk USING gin (search)",
        """
        CREATE INDEX chunk_embedding_queue ON chunk (embedding_retry_at, id)
            WHERE embedding IS NULL AND NOT embedding_failed
        """,
        """
        CREATE TABLE revoked_session (
            jti text PRIMARY KEY,
            expires_at double precision NOT NULL
        )
        """,
        "CREATE INDEX revoked_session_by_expiry ON revoked_session (expires_at)",
    ]
}
