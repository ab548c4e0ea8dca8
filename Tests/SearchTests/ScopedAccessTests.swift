import Foundation
import Index
import LoreTestSupport
@testable import Search
import Testing
import Vectors

/// Invariant under test (enforced in ``ProjectAccess``): a key confined to a folder reaches
/// nothing outside it — no listed item, read, write, search hit, snippet or count — and a read
/// key never writes.
@Suite("Scoped access", .serialized)
struct ScopedAccessTests {
    /// Folders chosen so that plain string prefixes would leak: `team-private/` and `teamwork.md`
    /// start with `team`, the key's folder.
    static let folders = ["team/", "team/api/", "team-private/", "other/", ""]
    static let names = ["a.md", "b.md", "c.txt", "d.md", "teamwork.md"]
    static let words = ["rocket", "fuel", "budget", "deploy", "kafka", "lag", "tls", "certificate", "rotate", "cache"]

    /// The world as it is: live documents by path (every folder), and the marker each carries.
    struct Model {
        var live: [String: UUID] = [:]
        func inside(_ scope: KeyScope) -> [String] { live.keys.filter(scope.reaches(path:)).sorted() }
    }

    @Test(arguments: TestBackend.contract) func randomOperationsNeverReachOutsideTheFolder(backend: TestBackend) async throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["LORE_PROPERTY_SEED"] ?? "") ?? 0x5C0_9ED
        let database = try await TestDatabase.create(backend)
        try await Self.randomOperations(try await database.openStore(embeddingsEnabled: true), steps: 1_500, seed: seed)
    }

    static func randomOperations(_ store: some LoreStore, steps: Int, seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let project = try await TenantIsolationTests.project(in: store, owner: "owner@example.com")
        let engine = Engine(store: store, embedder: WordHashEmbedder())
        let owner = engine.access(project, scope: .full)
        let confined = KeyScope(access: .write, pathPrefix: "team")
        let writer = engine.access(project, scope: confined)
        let reader = engine.access(project, scope: KeyScope(access: .read, pathPrefix: "team/"))
        var model = Model()
        func text(marker: String) -> String {
            let body = (0..<Int.random(in: 3...10, using: &random)).map { _ in words.randomElement(using: &random)! }
            return "# \(body.prefix(2).joined(separator: " "))\n\n\(body.joined(separator: " ")) \(marker)\n"
        }
        /// Every document outside the folder carries this word; no scoped answer may show it.
        let outsideMarker = "zzoutside"
        func marker(for path: String) -> String { confined.reaches(path: path) ? "zzinside" : outsideMarker }
        func randomPath() -> String { folders.randomElement(using: &random)! + names.randomElement(using: &random)! }

        var checks = (searches: 0, lists: 0, refusedWrites: 0, hidden: 0)
        for step in 0..<steps {
            let context = "seed \(seed) step \(step)"
            switch Int.random(in: 0..<12, using: &random) {
            case 0, 1:
                // The owner writes anywhere.
                let path = randomPath()
                let (document, _) = try await owner.upsertDocument(NewDocument(path: path, content: text(marker: marker(for: path))))
                model.live[path] = document.id
            case 2:
                // The confined key writes: inside it lands, outside it is refused and changes nothing.
                let path = randomPath()
                do {
                    let (document, _) = try await writer.upsertDocument(NewDocument(path: path, content: text(marker: marker(for: path))))
                    #expect(confined.reaches(path: path), "\(context): wrote \(path) outside the folder")
                    model.live[path] = document.id
                } catch SearchError.forbidden {
                    #expect(!confined.reaches(path: path), "\(context): refused \(path) inside the folder")
                    checks.refusedWrites += 1
                }
            case 3:
                // The confined key moves or deletes documents it may or may not reach.
                guard let (path, id) = model.live.randomElement(using: &random) else { continue }
                let target = randomPath()
                do {
                    if Bool.random(using: &random) {
                        guard model.live[target] == nil else { continue }
                        _ = try await writer.updateDocument(id: id, with: DocumentUpdate(content: text(marker: marker(for: target)), path: target))
                        model.live[path] = nil
                        model.live[target] = id
                        #expect(confined.reaches(path: path) && confined.reaches(path: target), "\(context): moved \(path) → \(target)")
                    } else {
                        try await writer.deleteDocument(id: id)
                        model.live[path] = nil
                        #expect(confined.reaches(path: path), "\(context): deleted \(path) outside the folder")
                    }
                } catch SearchError.forbidden {
                    // A document outside the folder, or a move to a path outside it.
                    #expect(!confined.reaches(path: path) || !confined.reaches(path: target), "\(context): refused \(path)")
                    checks.refusedWrites += 1
                }
            case 4:
                // The read key never writes, inside or out.
                await #expect(throws: SearchError.self, "\(context): a read key wrote") {
                    try await reader.createDocument(NewDocument(path: "team/new-\(step).md", content: "x"))
                }
                checks.refusedWrites += 1
            case 5:
                _ = try await engine.embedPending()
            case 6:
                // Reads by id and by path: outside the folder the document does not exist.
                guard let (path, id) = model.live.randomElement(using: &random) else { continue }
                let scoped = Bool.random(using: &random) ? reader : writer
                do {
                    let document = Bool.random(using: &random) ? try await scoped.document(id: id) : try await scoped.document(path: path)
                    #expect(document.id == id && confined.reaches(path: path), "\(context): read \(path)")
                } catch IndexError.notFound {
                    #expect(!confined.reaches(path: path), "\(context): \(path) inside the folder was not found")
                    checks.hidden += 1
                }
            case 7, 8:
                // Listings: every page, every requested prefix; items and totals from inside only.
                let requested = ["", "team/", "team/api/", "te", "team-private/", "other/"].randomElement(using: &random)!
                let filter = DocumentFilter(pathPrefix: requested.isEmpty ? nil : requested)
                let limit = Int.random(in: 1...5, using: &random)
                let offset = Int.random(in: 0...6, using: &random)
                let page = try await reader.documents(filter: filter, sort: .path, page: PageRequest(offset: offset, limit: limit))
                let expected = model.inside(confined).filter { requested.isEmpty || $0.hasPrefix(requested) }
                #expect(page.total == expected.count, "\(context): listing \(requested) counted \(page.total), not \(expected.count)")
                #expect(page.items.map(\.path) == Array(expected.dropFirst(offset).prefix(limit)), "\(context): listing \(requested)")
                checks.lists += 1
            default:
                // Searches: every mode, random pages and prefixes, and the marker words themselves.
                let mode = SearchMode.allCases.randomElement(using: &random)!
                var terms = (0..<Int.random(in: 1...3, using: &random)).map { _ in words.randomElement(using: &random)! }
                if Int.random(in: 0..<4, using: &random) == 0 { terms = [outsideMarker] }
                let requested = [nil, "team/api/", "t", "other/"].randomElement(using: &random)!
                let request = try SearchRequest(
                    text: terms.joined(separator: " "), projectIDs: [project.id], mode: mode,
                    filter: DocumentFilter(pathPrefix: requested), offset: Int.random(in: 0...4, using: &random),
                    limit: Int.random(in: 1...10, using: &random))
                let scoped = Bool.random(using: &random) ? reader : writer
                let response = try await scoped.search(request)
                let inside = Set(model.inside(confined))
                for hit in response.hits {
                    #expect(inside.contains(hit.path) && model.live[hit.path] == hit.documentId,
                            "\(context): \(mode) hit \(hit.path) outside the folder")
                    #expect(!hit.snippet.contains(outsideMarker), "\(context): \(mode) snippet from outside: \(hit.snippet)")
                }
                #expect(response.total <= inside.count, "\(context): \(mode) total \(response.total) > \(inside.count) inside")
                // The same search by the owner, filtered to the folder, is the scoped search.
                var reference = request
                reference.filter = confined.confine(request.filter)
                let expected = try await owner.search(reference)
                #expect(response.total == expected.total && response.hits.map(\.path) == expected.hits.map(\.path),
                        "\(context): \(mode) scoped search differs from the filtered one: \(response.total) \(response.hits.map(\.path)) vs \(expected.total) \(expected.hits.map(\.path))")
                checks.searches += 1
            }
        }
        #expect(checks.searches > steps / 6 && checks.lists > steps / 12)
        #expect(checks.refusedWrites > 0 && checks.hidden > 0)
    }
}
