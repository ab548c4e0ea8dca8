import Foundation
import Testing
import LoreTestSupport
@testable import Index

@Suite("Users and projects")
struct UserAndProjectStoreTests {
    @Test(arguments: TestBackend.contract) func emailsAreUniqueWithoutRegardToCase(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let user = try await temporary.store.createUser(NewUser(email: " Ann@Example.com ", name: "Ann", passwordHash: "h"))
        #expect(user.email == "ann@example.com")
        #expect(try await temporary.store.user(email: "ANN@example.COM").id == user.id)
        await #expect(throws: IndexError.conflict(field: "email", reason: "already exists")) {
            try await temporary.store.createUser(NewUser(email: "ann@EXAMPLE.com", name: "Other", passwordHash: "h"))
        }
        await #expect(throws: IndexError.self) {
            try await temporary.store.createUser(NewUser(email: "not-an-email", name: "X", passwordHash: "h"))
        }
    }

    @Test(arguments: TestBackend.contract) func projectKeysAreStoredOnlyAsHashes(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject(name: "Harbor Docs")
        let created = try await temporary.store.rotateAPIKey(projectID: project.id)
        #expect(created.apiKey.hasPrefix("lore_") && created.apiKey.count == 45)
        #expect(try await temporary.store.grant(apiKey: created.apiKey).project.id == project.id)
        let stored = try await temporary.storedKeyColumns()
        #expect(!stored.isEmpty && !stored.contains(created.apiKey))
    }

    @Test(arguments: TestBackend.contract) func rotationRevokesTheOldKeyAtOnce(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let owner = try await temporary.store.createUser(NewUser(email: "o@example.com", name: "O", passwordHash: "h"))
        let first = try await temporary.store.createProject(NewProject(ownerId: owner.id, name: "P"))
        let second = try await temporary.store.rotateAPIKey(projectID: first.project.id)
        #expect(first.apiKey != second.apiKey)
        await #expect(throws: IndexError.notFound(entity: "project")) { try await temporary.store.grant(apiKey: first.apiKey) }
        #expect(try await temporary.store.grant(apiKey: second.apiKey).project.id == first.project.id)
    }

    @Test(arguments: TestBackend.contract) func namesAreUniquePerOwnerAndSlugsFollow(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let ann = try await temporary.store.createUser(NewUser(email: "ann@example.com", name: "Ann", passwordHash: "h"))
        let bob = try await temporary.store.createUser(NewUser(email: "bob@example.com", name: "Bob", passwordHash: "h"))
        let first = try await temporary.store.createProject(NewProject(ownerId: ann.id, name: "Zürich Docs!"))
        #expect(first.project.slug == "zurich-docs")
        await #expect(throws: IndexError.conflict(field: "name", reason: "already exists")) {
            try await temporary.store.createProject(NewProject(ownerId: ann.id, name: "zürich docs!"))
        }
        let clash = try await temporary.store.createProject(NewProject(ownerId: ann.id, name: "Zurich Docs"))
        #expect(clash.project.slug == "zurich-docs-2")
        let bobs = try await temporary.store.createProject(NewProject(ownerId: bob.id, name: "Zürich Docs!"))
        #expect(bobs.project.slug == "zurich-docs")
        #expect(try await temporary.store.projects(slug: "zurich-docs").count == 2)
        let page = try await temporary.store.projects(ownedBy: ann.id, page: PageRequest())
        #expect(page.total == 2)
    }

    @Test(arguments: TestBackend.contract) func updatesAndStats(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let project = try await temporary.makeProject(name: "Old")
        let renamed = try await temporary.store.updateProject(id: project.id, name: "New Name", description: "About")
        #expect(renamed.slug == "new-name" && renamed.description == "About")
        _ = try await temporary.store.createDocument(NewDocument(path: "a.md", content: "# A\none\n## B\ntwo"), in: project.id)
        let stats = try await temporary.store.stats(projectID: project.id)
        #expect(stats == ProjectStats(documents: 1, chunks: 2, embeddedChunks: 0))
        await #expect(throws: IndexError.self) { try await temporary.store.updateProject(id: project.id, name: " ", description: nil) }
    }
}
