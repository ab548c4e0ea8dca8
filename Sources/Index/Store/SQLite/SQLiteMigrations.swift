import GRDB

/// The SQLite schema, as migrations that are never edited once shipped: add a new one instead.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-documents-and-full-text") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2-revoked-sessions") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3-chunk-owners") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4-chunk-ids-never-reused") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5-change-log") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6-scoped-keys") { db in
            try db.execute(sql: v6)
        }
        migrator.registerMigration("v7-git-sources") { db in
            try db.execute(sql: v7)
        }
        return migrator
    }

    /// Git sources (SPEC §11) and the provenance of the documents they hold. A document's commit
    /// is its source's `last_commit` (the sync that wrote it recorded both in one transaction).
    static let v7 = """
        CREATE TABLE source (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('git')),
            url TEXT NOT NULL,
            ref TEXT NOT NULL,
            include TEXT NOT NULL,
            exclude TEXT NOT NULL,
            path_prefix TEXT NOT NULL,
            interval_seconds INTEGER NOT NULL,
            webhook_secret TEXT NOT NULL,
            last_commit TEXT,
            last_synced_at REAL,
            last_error TEXT,
            last_attempt_at REAL,
            needs_full_comparison INTEGER NOT NULL DEFAULT 0,
            sync_token TEXT,
            sync_lease_until REAL,
            created_at REAL NOT NULL
        );
        CREATE INDEX source_by_project ON source(project_id, created_at);
        ALTER TABLE document ADD COLUMN source_id TEXT REFERENCES source(id) ON DELETE CASCADE;
        ALTER TABLE document ADD COLUMN source_path TEXT;
        CREATE INDEX document_by_source ON document(source_id, source_path) WHERE source_id IS NOT NULL;
        """

    /// A project's scoped API keys (SPEC §10), by SHA-256 hash only; the project's own key stays
    /// in `project.api_key_hash`.
    static let v6 = """
        CREATE TABLE api_key (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            access TEXT NOT NULL CHECK (access IN ('read', 'write')),
            path_prefix TEXT,
            created_at REAL NOT NULL,
            last_used_at REAL,
            expires_at REAL
        );
        CREATE INDEX api_key_by_project ON api_key(project_id, created_at);
        """

    /// The changes each process commits, for the other processes on the same file (a server and
    /// an agent's `lore mcp`): what PostgreSQL's notifications carry, as rows read by polling
    /// (see `SQLiteStore+Changes.swift`). Rows are pruned after ``SQLiteStore/changeRetention``.
    static let v5 = """
        CREATE TABLE change_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            message TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE INDEX change_log_by_time ON change_log(created_at);
        """

    /// Chunk ids are never handed out twice.
    ///
    /// Invariant: a chunk id names one chunk for the life of the database. Vector indexes, the
    /// embedding queue and passages remember chunks by id outside the table; with a plain
    /// `INTEGER PRIMARY KEY`, SQLite gave a freed highest id to the next chunk, so a remembered
    /// id could point at another tenant's passage. `AUTOINCREMENT` never reuses an id. The table
    /// is rebuilt with its ids (so `chunk_fts` and `chunk_owner` rows keep matching), the
    /// sequence starts past every id either has seen, and the triggers are made again.
    static let v4 = """
        DROP TRIGGER chunk_fts_after_insert;
        DROP TRIGGER chunk_fts_after_delete;
        DROP TRIGGER chunk_fts_after_document_rename;
        DROP TRIGGER chunk_owner_after_insert;
        DROP TRIGGER chunk_owner_after_delete;
        CREATE TABLE chunk_v4 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id TEXT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            heading TEXT NOT NULL,
            text TEXT NOT NULL,
            token_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            embedding BLOB,
            embedding_model TEXT,
            embedding_attempts INTEGER NOT NULL DEFAULT 0,
            embedding_retry_at REAL NOT NULL DEFAULT 0,
            embedding_failed INTEGER NOT NULL DEFAULT 0 CHECK (embedding_failed IN (0, 1))
        );
        INSERT INTO chunk_v4 SELECT id, document_id, position, heading, text, token_count, content_hash, embedding,
            embedding_model, embedding_attempts, embedding_retry_at, embedding_failed FROM chunk;
        DROP TABLE chunk;
        ALTER TABLE chunk_v4 RENAME TO chunk;
        DELETE FROM sqlite_sequence WHERE name IN ('chunk', 'chunk_v4');
        INSERT INTO sqlite_sequence(name, seq) SELECT 'chunk', max(
            COALESCE((SELECT max(id) FROM chunk), 0),
            COALESCE((SELECT max(chunk_id) FROM chunk_owner), 0),
            COALESCE((SELECT max(rowid) FROM chunk_fts), 0));
        CREATE INDEX chunk_by_document ON chunk(document_id, position);
        CREATE INDEX chunk_embedding_queue ON chunk(embedding_retry_at, id)
            WHERE embedding IS NULL AND embedding_failed = 0;
        CREATE TRIGGER chunk_fts_after_insert AFTER INSERT ON chunk BEGIN
            INSERT INTO chunk_fts(rowid, title, path, heading, body, scope)
            SELECT new.id, d.title, d.path, new.heading, new.text, p.search_token
            FROM document d JOIN project p ON p.id = d.project_id WHERE d.id = new.document_id;
        END;
        CREATE TRIGGER chunk_fts_after_delete AFTER DELETE ON chunk BEGIN
            DELETE FROM chunk_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER chunk_fts_after_document_rename AFTER UPDATE OF title, path ON document BEGIN
            DELETE FROM chunk_fts WHERE rowid IN (SELECT id FROM chunk WHERE document_id = new.id);
            INSERT INTO chunk_fts(rowid, title, path, heading, body, scope)
            SELECT c.id, new.title, new.path, c.heading, c.text, p.search_token
            FROM chunk c JOIN project p ON p.id = new.project_id WHERE c.document_id = new.id;
        END;
        CREATE TRIGGER chunk_owner_after_insert AFTER INSERT ON chunk BEGIN
            INSERT INTO chunk_owner(chunk_id, document_number)
            SELECT new.id, number FROM document_number WHERE document_id = new.document_id;
        END;
        CREATE TRIGGER chunk_owner_after_delete AFTER DELETE ON chunk BEGIN
            DELETE FROM chunk_owner WHERE chunk_id = old.id;
        END;
        """

    /// Which document owns each chunk, as small integers: counting the documents behind a
    /// search's matching chunks then reads one narrow table and compares integers, where
    /// joining `chunk` (wide rows) and comparing UUID text took 2.4× (Cranfield) to 4× (100k
    /// documents) as long.
    ///
    /// `document_number` gives each document a number for as long as it exists (a deleted
    /// document's chunks go with it, so a number may be reused safely). Triggers keep both tables
    /// exact in the same transaction as the write, as they do `chunk_fts`.
    static let v3 = """
        CREATE TABLE document_number (
            number INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE REFERENCES document(id) ON DELETE CASCADE
        );
        CREATE TABLE chunk_owner (
            chunk_id INTEGER PRIMARY KEY,
            document_number INTEGER NOT NULL
        );
        INSERT INTO document_number(document_id) SELECT id FROM document ORDER BY rowid;
        INSERT INTO chunk_owner(chunk_id, document_number)
        SELECT c.id, n.number FROM chunk c JOIN document_number n ON n.document_id = c.document_id;
        CREATE TRIGGER document_number_after_insert AFTER INSERT ON document BEGIN
            INSERT INTO document_number(document_id) VALUES (new.id);
        END;
        CREATE TRIGGER chunk_owner_after_insert AFTER INSERT ON chunk BEGIN
            INSERT INTO chunk_owner(chunk_id, document_number)
            SELECT new.id, number FROM document_number WHERE document_id = new.document_id;
        END;
        CREATE TRIGGER chunk_owner_after_delete AFTER DELETE ON chunk BEGIN
            DELETE FROM chunk_owner WHERE chunk_id = old.id;
        END;
        """

    /// Session tokens revoked by logout, kept until they would have expired anyway.
    static let v2 = """
        CREATE TABLE revoked_session (
            jti TEXT PRIMARY KEY NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE INDEX revoked_session_by_expiry ON revoked_session(expires_at);
        """

    /// Users, projects, documents, tags, chunks and the FTS5 index kept in step by triggers.
    ///
    /// The embedding queue is the chunk table itself: a chunk without an embedding that has not
    /// failed for good is pending, so nothing is lost on a crash and a restart resumes it.
    ///
    /// `chunk_fts` columns: title, path, heading, body (weighted in that order by `bm25()`), and
    /// `scope`: the project's `search_token`, one all-digit token (so no stemmer touches it) that
    /// lets MATCH itself keep a search inside its projects.
    /// Triggers keep it exact: a chunk insert or delete, and a document's title or path change,
    /// update the index in the same transaction (foreign-key cascades fire them too).
    static let v1 = """
        CREATE TABLE user (
            id TEXT PRIMARY KEY NOT NULL,
            email TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at REAL NOT NULL
        );
        CREATE TABLE project (
            id TEXT PRIMARY KEY NOT NULL,
            owner_id TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL,
            slug TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            api_key_hash TEXT NOT NULL UNIQUE,
            api_key_prefix TEXT NOT NULL,
            search_token TEXT NOT NULL UNIQUE,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (owner_id, name_key),
            UNIQUE (owner_id, slug)
        );
        CREATE INDEX project_by_slug ON project(slug);
        CREATE TABLE document (
            id TEXT PRIMARY KEY NOT NULL,
            project_id TEXT NOT NULL REFERENCES project(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            content TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '[]',
            metadata TEXT NOT NULL DEFAULT '{}',
            version INTEGER NOT NULL CHECK (version >= 1),
            content_hash TEXT NOT NULL,
            embedding_status TEXT NOT NULL
                CHECK (embedding_status IN ('pending', 'ready', 'failed', 'disabled')),
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            UNIQUE (project_id, path)
        );
        CREATE INDEX document_by_project_updated ON document(project_id, updated_at);
        CREATE TABLE document_tag (
            document_id TEXT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (document_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX document_tag_by_tag ON document_tag(tag, document_id);
        CREATE TABLE chunk (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            heading TEXT NOT NULL,
            text TEXT NOT NULL,
            token_count INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            embedding BLOB,
            embedding_model TEXT,
            embedding_attempts INTEGER NOT NULL DEFAULT 0,
            embedding_retry_at REAL NOT NULL DEFAULT 0,
            embedding_failed INTEGER NOT NULL DEFAULT 0 CHECK (embedding_failed IN (0, 1))
        );
        CREATE INDEX chunk_by_document ON chunk(document_id, position);
        CREATE INDEX chunk_embedding_queue ON chunk(embedding_retry_at, id)
            WHERE embedding IS NULL AND embedding_failed = 0;
        CREATE VIRTUAL TABLE chunk_fts USING fts5(
            title, path, heading, body, scope,
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER chunk_fts_after_insert AFTER INSERT ON chunk BEGIN
            INSERT INTO chunk_fts(rowid, title, path, heading, body, scope)
            SELECT new.id, d.title, d.path, new.heading, new.text, p.search_token
            FROM document d JOIN project p ON p.id = d.project_id WHERE d.id = new.document_id;
        END;
        CREATE TRIGGER chunk_fts_after_delete AFTER DELETE ON chunk BEGIN
            DELETE FROM chunk_fts WHERE rowid = old.id;
        END;
        CREATE TRIGGER chunk_fts_after_document_rename AFTER UPDATE OF title, path ON document BEGIN
            DELETE FROM chunk_fts WHERE rowid IN (SELECT id FROM chunk WHERE document_id = new.id);
            INSERT INTO chunk_fts(rowid, title, path, heading, body, scope)
            SELECT c.id, new.title, new.path, c.heading, c.text, p.search_token
            FROM chunk c JOIN project p ON p.id = new.project_id WHERE c.document_id = new.id;
        END;
        """
}
