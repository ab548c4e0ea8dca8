import Foundation
import LoreTestSupport
import Testing
@testable import Index

/// Scoped API keys (SPEC §10) in both stores: issued once, stored as hashes, listed without
/// secrets, refused once revoked or expired, bounded in number, their use recorded.
@Suite("Scoped keys")
struct KeyStoreTests {
    @Test(arguments: TestBackend.contract) func keysAreIssuedListedAndRevoked(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let store = temporary.store
        let project = try await temporary.makeProject()
        let expiry = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 86_400).rounded())
        let (key, secret) = try await store.createKey(
            NewProjectKey(name: " agent ", access: .read, pathPrefix: "handbook/", expiresAt: expiry), in: project.id)
        #expect(secret.hasPrefix(APIKey.scheme) && secret.count == APIKey.scheme.count + 40)
        #expect(key.name == "agent" && key.prefix == APIKey.displayPrefix(secret) && key.lastUsedAt == nil)
        #expect(key.expiresAt == expiry)

        let listed = try await store.keys(in: project.id, page: PageRequest())
        #expect(listed.total == 1 && listed.items.map(\.id) == [key.id])
        var stored = try #require(listed.items.first)
        #expect(abs(stored.createdAt.timeIntervalSince(key.createdAt)) < 0.001)
        stored.createdAt = key.createdAt
        #expect(stored == key)

        let grant = try await store.grant(apiKey: secret)
        #expect(grant.project.id == project.id && grant.keyID == key.id && grant.expiresAt == expiry)
        #expect(grant.scope == KeyScope(access: .read, pathPrefix: "handbook/"))
        // The project's own key is the full-access key.
        let own = try await store.rotateAPIKey(projectID: project.id)
        #expect(try await store.grant(apiKey: own.apiKey).scope == .full)
        #expect(try await store.grant(apiKey: own.apiKey).keyID == nil)

        // Stored only as a hash.
        let exported = try await store.exportProjects().first { $0.project.id == project.id }
        #expect(exported?.keys.map(\.hash) == [APIKey.hash(secret)])

        // Revocation: refused at once; unknown ids and another project's keys are not found.
        await #expect(throws: IndexError.notFound(entity: "key")) { try await store.revokeKey(id: UUID(), in: project.id) }
        let other = try await temporary.makeProject(name: "Other")
        await #expect(throws: IndexError.notFound(entity: "key")) { try await store.revokeKey(id: key.id, in: other.id) }
        try await store.revokeKey(id: key.id, in: project.id)
        await #expect(throws: IndexError.notFound(entity: "project")) { try await store.grant(apiKey: secret) }
        #expect(try await store.check(apiKey: secret) == .invalid)
        #expect(try await store.keys(in: project.id, page: PageRequest()).total == 0)
    }

    @Test(arguments: TestBackend.contract) func expiredKeysAreRefusedAndUseIsRecorded(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let store = temporary.store
        let project = try await temporary.makeProject()
        let (key, secret) = try await store.createKey(
            NewProjectKey(name: "short", access: .write, expiresAt: Date().addingTimeInterval(60)), in: project.id)
        guard case .granted(let grant) = try await store.check(apiKey: secret) else {
            Issue.record("a fresh key was refused")
            return
        }
        #expect(grant.scope == KeyScope(access: .write))
        #expect(try await store.check(apiKey: secret, now: Date().addingTimeInterval(61)) == .expired)
        #expect(try await store.check(apiKey: "lore_not-a-key") == .invalid)
        #expect(try await store.check(apiKey: "not even the scheme") == .invalid)

        let used = try await store.keys(in: project.id, page: PageRequest()).items[0].lastUsedAt
        #expect(used != nil, "a successful check records the key's use")
        // Within a minute the recorded time stays; later it moves.
        try await store.recordKeyUse(id: key.id, at: used!.addingTimeInterval(30))
        let kept = try await store.keys(in: project.id, page: PageRequest()).items[0].lastUsedAt
        #expect(abs(kept!.timeIntervalSince(used!)) < 0.001)
        let later = used!.addingTimeInterval(ProjectKey.useRecordingInterval + 1)
        try await store.recordKeyUse(id: key.id, at: later)
        let moved = try await store.keys(in: project.id, page: PageRequest()).items[0].lastUsedAt
        #expect(abs(moved!.timeIntervalSince(later)) < 0.001)
    }

    @Test(arguments: TestBackend.contract) func badKeysAreRefusedAndTheirNumberIsBounded(backend: TestBackend) async throws {
        let temporary = try await TemporaryStore.make(backend)
        let store = temporary.store
        let project = try await temporary.makeProject()
        let invalid: [(NewProjectKey, String)] = [
            (NewProjectKey(name: "", access: .read), "name"),
            (NewProjectKey(name: String(repeating: "n", count: 101), access: .read), "name"),
            (NewProjectKey(name: "tab\tname", access: .read), "name"),
            (NewProjectKey(name: "ok", access: .read, pathPrefix: "/etc/"), "pathPrefix"),
            (NewProjectKey(name: "ok", access: .read, pathPrefix: "docs/../secret/"), "pathPrefix"),
            (NewProjectKey(name: "ok", access: .read, pathPrefix: ""), "pathPrefix"),
            (NewProjectKey(name: "ok", access: .read, pathPrefix: "a//b"), "pathPrefix"),
            (NewProjectKey(name: "ok", access: .read, expiresAt: Date().addingTimeInterval(-1)), "expiresAt"),
        ]
        for (key, field) in invalid {
            do {
                _ = try await store.createKey(key, in: project.id)
                Issue.record("accepted an invalid \(field)")
            } catch let IndexError.invalid(got, _) {
                #expect(got == field)
            }
        }
        await #expect(throws: IndexError.notFound(entity: "project")) {
            try await store.createKey(NewProjectKey(name: "x", access: .read), in: UUID())
        }
        for index in 0..<ProjectKey.maximumPerProject {
            _ = try await store.createKey(NewProjectKey(name: "key \(index)", access: .read), in: project.id)
        }
        await #expect(throws: IndexError.self) {
            try await store.createKey(NewProjectKey(name: "one too many", access: .read), in: project.id)
        }
        let page = try await store.keys(in: project.id, page: PageRequest(offset: 95, limit: 10))
        #expect(page.total == ProjectKey.maximumPerProject && page.items.count == 5)
        // Deleting the project deletes its keys.
        try await store.deleteProject(id: project.id)
        #expect(try await store.keys(in: project.id, page: PageRequest()).total == 0)
    }

    @Test func scopesConfineFiltersToTheirFolder() {
        let scope = KeyScope(access: .read, pathPrefix: "docs")
        #expect(scope.confinement == "docs/")
        #expect(scope.reaches(path: "docs/a.md") && !scope.reaches(path: "docs.md") && !scope.reaches(path: "docs-private/a.md"))
        #expect(scope.confine(DocumentFilter()).pathPrefix == "docs/")
        #expect(scope.confine(DocumentFilter(pathPrefix: "docs/api/")).pathPrefix == "docs/api/")
        #expect(scope.confine(DocumentFilter(pathPrefix: "do", tag: "t")) == DocumentFilter(pathPrefix: "docs/", tag: "t"))
        #expect(scope.confine(DocumentFilter(pathPrefix: "other/")) == .matchingNothing)
        #expect(KeyScope.full.confine(DocumentFilter(pathPrefix: "x")) == DocumentFilter(pathPrefix: "x"))
        #expect(KeyScope.full.reaches(path: "anything.md") && KeyScope.full.canWrite && !scope.canWrite)
    }
}
