import Foundation
import Index
import Search
import Testing
import LoreTestSupport

@Suite("Directory import")
struct DirectoryImporterTests {
    @Test(arguments: TestBackend.contract) func importingTwiceChangesNothing(backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        let first = try await scratch.importFiles()
        #expect(first.created >= 30 && first.failed.isEmpty)
        let second = try await scratch.importFiles()
        #expect(second.created == 0 && second.updated == 0 && second.unchanged == first.created)
    }

    @Test(arguments: TestBackend.contract) func aChangedFileIsUpdatedAndOthersSkipped(backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        let folder = scratch.folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "# One\nfirst".write(to: folder.appendingPathComponent("one.md"), atomically: true, encoding: .utf8)
        try "second".write(to: folder.appendingPathComponent("sub/two.txt"), atomically: true, encoding: .utf8)
        try "ignored".write(to: folder.appendingPathComponent("image.png"), atomically: true, encoding: .utf8)
        try Data([0xFF, 0xFE, 0x00]).write(to: folder.appendingPathComponent("broken.md"))
        let first = try await scratch.importFiles(from: folder)
        #expect(first.created == 2)
        #expect(first.failed.map(\.path) == ["broken.md"])

        try "# One\nfirst, edited".write(to: folder.appendingPathComponent("one.md"), atomically: true, encoding: .utf8)
        let second = try await scratch.importFiles(from: folder)
        #expect(second.updated == 1 && second.unchanged == 1 && second.created == 0)
        let document = try await scratch.store.document(path: "one.md", in: scratch.project.id)
        #expect(document.version == 2 && document.content == "# One\nfirst, edited")
        #expect(try await scratch.store.document(path: "sub/two.txt", in: scratch.project.id).title == "two")
    }

    @Test func globsSelectFiles() throws {
        let files = try DirectoryImporter<SQLiteStore>.files(in: Fixtures.sampleProject, matching: ["runbooks/*.md"])
        #expect(!files.isEmpty && files.allSatisfy { $0.hasPrefix("runbooks/") })
        let texts = try DirectoryImporter<SQLiteStore>.files(in: Fixtures.sampleProject, matching: ["*.txt"])
        #expect(!texts.isEmpty && texts.allSatisfy { $0.hasSuffix(".txt") })
    }
}
