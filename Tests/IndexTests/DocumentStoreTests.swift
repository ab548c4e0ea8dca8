import Foundation
import Testing
import LoreTestSupport
import GRDB
@testable import Index

@Suite("Document store")
struct DocumentStoreTests {
    @Test(arguments: TestBackend.contract) func migratesAnEmptyDatabase(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        #expect(try await temporary.store.isMigrated())
        #expect(try await temporary.checkIntegrity())
        for table in ["user", "project", "document", "tags", "chunk", "search_entries"] {
            #expect(try await temporary.count(table) == 0)
        }
        // Opening the same database again runs no migration twice.
        let reopened = try await temporary.reopen()
        #expect(try await reopened.isMigrated())
    }

    @Test(arguments: TestBackend.contract) func createsDocumentsWithEveryField(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let document = try await temporary.store.createDocument(NewDocument(
            path: "guides/setup.md", content: "# Setting up\nInstall things.", tags: ["ops", "ops", " setup "],
            metadata: ["owner": .string("infra"), "reviewed": .bool(true)]), in: project.id)
        #expect(document.title == "Setting up")
        #expect(document.version == 1)
        #expect(document.tags == ["ops", "setup"])
        #expect(document.contentHash == ContentHash.of("# Setting up\nInstall things."))
        #expect(document.embeddingStatus == .disabled)
        let fetched = try await temporary.store.document(path: "guides/setup.md", in: project.id)
        #expect(fetched.id == document.id)
        #expect(fetched.metadata == ["owner": .string("infra"), "reviewed": .bool(true)])
        #expect(try await temporary.store.document(id: document.id, in: project.id).content == document.content)
    }

    @Test(arguments: TestBackend.contract) func pendingEmbeddingsWhenAnEmbedderIsConfigured(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend, embeddingsEnabled: true)
        let project = try await temporary.makeProject()
        let document = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "text"), in: project.id)
        #expect(document.embeddingStatus == .pending)
    }

    @Test(arguments: TestBackend.contract) func duplicatePathIsAConflict(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        _ = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "one"), in: project.id)
        await #expect(throws: IndexError.conflict(field: "path", reason: "already exists")) {
            try await temporary.store.createDocument(NewDocument(path: "a.md", content: "two"), in: project.id)
        }
    }

    @Test(arguments: TestBackend.contract) func invalidInputIsRejectedBeforeAnythingIsWritten(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        await #expect(throws: IndexError.self) {
            try await temporary.store.createDocument(NewDocument(path: "../x.md", content: "x"), in: project.id)
        }
        await #expect(throws: IndexError.self) {
            try await temporary.store.createDocument(NewDocument(path: "x.md", content: "x", tags: [""]), in: project.id)
        }
        let tooLarge = String(repeating: "a", count: DocumentPreparer.maximumContentBytes + 1)
        await #expect(throws: IndexError.self) {
            try await temporary.store.createDocument(NewDocument(path: "x.md", content: tooLarge), in: project.id)
        }
        await #expect(throws: IndexError.notFound(entity: "project")) {
            try await temporary.store.createDocument(NewDocument(path: "x.md", content: "x"), in: UUID())
        }
        // NUL anywhere in the metadata, in a key or deep in a value (PostgreSQL's jsonb cannot hold it).
        let nulMetadata: [[String: JSONValue]] = [["a\u{0}": .string("x")], ["a": .array([.object(["b": .string("\u{0}")])])]]
        for metadata in nulMetadata {
            await #expect(throws: IndexError.invalid(field: "metadata", reason: "must not contain NUL characters")) {
                try await temporary.store.createDocument(NewDocument(path: "x.md", content: "x", metadata: metadata), in: project.id)
            }
        }
        #expect(try await temporary.count("document") == 0)
    }

    @Test(arguments: TestBackend.contract) func updatesBumpTheVersionAndStaleVersionsConflict(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let created = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "# A\none"), in: project.id)
        let updated = try await temporary.store.updateDocument(
            id: created.id, in: project.id, with: DocumentUpdate(content: "# A\ntwo", expectedVersion: 1))
        #expect(updated.version == 2)
        await #expect(throws: IndexError.staleVersion(expected: 1, actual: 2)) {
            try await temporary.store.updateDocument(
                id: created.id, in: project.id, with: DocumentUpdate(content: "# A\nthree", expectedVersion: 1))
        }
        let same = try await temporary.store.updateDocument(id: created.id, in: project.id, with: DocumentUpdate(content: "# A\ntwo"))
        #expect(same.version == 2, "an update that changes nothing keeps the version")
        let moved = try await temporary.store.updateDocument(
            id: created.id, in: project.id, with: DocumentUpdate(content: "# A\ntwo", path: "b/a.md"))
        #expect(moved.version == 3)
        #expect(moved.path == "b/a.md")
    }

    @Test(arguments: TestBackend.contract) func updatesKeepUnchangedChunks(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let created = try await temporary.store.createDocument(
            NewDocument(path: "a.md", content: "# A\none\n## B\ntwo\n## C\nthree"), in: project.id)
        let before = try await temporary.chunkIDs(of: created.id)
        _ = try await temporary.store.updateDocument(
            id: created.id, in: project.id, with: DocumentUpdate(content: "# A\none\n## B\ntwo, revised\n## C\nthree"))
        let after = try await temporary.chunkIDs(of: created.id)
        #expect(before.count == 3 && after.count == 3)
        #expect(before[0] == after[0] && before[2] == after[2])
        #expect(before[1] != after[1])
        #expect(try await temporary.count("search_entries") == 3)
    }

    @Test(arguments: TestBackend.contract) func bulkWritesLandValidItemsAndReportTheRest(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        _ = try await temporary.store.createDocument(NewDocument(path: "exists.md", content: "old"), in: project.id)
        let items = [
            NewDocument(path: "new.md", content: "fresh"),
            NewDocument(path: "../bad.md", content: "x"),
            NewDocument(path: "exists.md", content: "old"),
            NewDocument(path: "exists.md", content: "changed"),
        ]
        let created = try await temporary.store.writeDocuments(items, mode: .create, in: project.id)
        #expect(created.map { (try? $0.result.get())?.outcome } == [.created, nil, nil, nil])
        if case .failure(let error) = created[2].result {
            #expect(error == .conflict(field: "path", reason: "already exists"))
        } else {
            Issue.record("an existing path fails in create mode")
        }
        let upserted = try await temporary.store.writeDocuments(Array(items[2...]), mode: .upsert, in: project.id)
        #expect(upserted.map { (try? $0.result.get())?.outcome } == [.unchanged, .updated])
        #expect(try await temporary.store.document(path: "exists.md", in: project.id).version == 2)
        #expect(try await temporary.count("document") == 2)
    }

    @Test(arguments: TestBackend.contract) func listsFilterSortAndPage(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        for (path, tags) in [("b/two.md", ["x"]), ("a/one.md", ["x", "y"]), ("b/three.md", [String]())] {
            _ = try await temporary.store.createDocument(NewDocument(path: path, content: path, tags: tags), in: project.id)
        }
        let all = try await temporary.store.documents(in: project.id, filter: .init(), sort: .path, page: try PageRequest(limit: 2))
        #expect(all.total == 3)
        #expect(all.items.map(\.path) == ["a/one.md", "b/three.md"])
        let prefixed = try await temporary.store.documents(in: project.id, filter: .init(pathPrefix: "b/"), sort: .path, page: PageRequest())
        #expect(prefixed.items.map(\.path) == ["b/three.md", "b/two.md"])
        let tagged = try await temporary.store.documents(in: project.id, filter: .init(tag: "x"), sort: .path, page: PageRequest())
        #expect(tagged.items.map(\.path) == ["a/one.md", "b/two.md"])
        let newest = try await temporary.store.documents(in: project.id, filter: .init(), sort: .newestFirst, page: PageRequest())
        #expect(newest.items.first?.path == "b/three.md")
    }

    @Test(arguments: TestBackend.contract) func deletingAProjectCascadesToEverything(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let other = try await temporary.makeProject(name: "Other")
        for index in 0..<5 {
            _ = try await temporary.store.createDocument(
                NewDocument(path: "d\(index).md", content: "# D\nbody \(index)", tags: ["t"]), in: project.id)
        }
        _ = try await temporary.store.createDocument(NewDocument(path: "keep.md", content: "# Keep\nbody"), in: other.id)
        try await temporary.store.deleteProject(id: project.id)
        #expect(try await temporary.count("document") == 1)
        #expect(try await temporary.count("tags") == 0)
        #expect(try await temporary.count("chunk") == 1)
        #expect(try await temporary.count("search_entries") == 1)
        await #expect(throws: IndexError.notFound(entity: "project")) { try await temporary.store.project(id: project.id) }
        #expect(try await temporary.checkIntegrity())
    }

    @Test(arguments: TestBackend.contract) func deletingADocumentRemovesItsIndexEntries(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject()
        let document = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "# A\nzebra"), in: project.id)
        try await temporary.store.deleteDocument(id: document.id, in: project.id)
        #expect(try await temporary.count("search_entries") == 0)
        await #expect(throws: IndexError.notFound(entity: "document")) {
            try await temporary.store.deleteDocument(id: document.id, in: project.id)
        }
    }
}
