import Foundation
import Index
import LoreTestSupport
import Search
import Testing

/// `syntax=plain`, relaxing a phrase or exclusion that matches nothing, and documents that are
/// only a title (or only a path): each front door's behaviour comes from here.
@Suite("Query syntax, relaxation and title-only documents")
struct QuerySyntaxTests {
    @Test func plainSyntaxReadsWordsOnly() throws {
        let parser = QueryParser()
        let plain = try parser.parse(#"papers on "fast fourier transform" -slow implement*"#, syntax: .plain)
        #expect(plain.required.isEmpty && plain.excluded.isEmpty)
        #expect(plain.optional.map(\.text) == ["papers", "fast", "fourier", "transform", "-slow", "implement"])
        #expect(plain.optional.allSatisfy { if case .word = $0 { true } else { false } })
        let standard = try parser.parse(#"papers on "fast fourier transform" -slow implement*"#)
        #expect(standard.required == [.phrase("fast fourier transform")] && standard.excluded == [.word("slow")])
        // Nothing but syntax is still nothing to search, in either reading.
        #expect(throws: IndexError.self) { try parser.parse(#""" - * "#, syntax: .plain) }
    }

    @Test(arguments: TestBackend.contract)
    func aPhraseOrExclusionThatMatchesNothingIsRelaxed(_ backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        try await Self.checkRelaxation(store: scratch.store, project: scratch.project.id)
    }

    private static func checkRelaxation(store: some Store, project: UUID) async throws {
        let engine = Engine(store: store, embedder: WordHashEmbedder())
        _ = try await engine.indexer.writeDocuments([
            NewDocument(path: "fft.md", content: "# FFT\nA fast transform of Fourier series for signal processing."),
            NewDocument(path: "wings.md", content: "# Wings\nSlow flutter of swept wings."),
        ], mode: .create, in: project)
        _ = try await engine.embedPending()
        for mode in SearchMode.allCases {
            func search(_ text: String, syntax: QuerySyntax? = nil) async throws -> SearchResponse {
                try await engine.search.search(try SearchRequest(text: text, projectIDs: [project], mode: mode, syntax: syntax))
            }
            // No document has the phrase: the words are searched instead, and the answer says so
            // (semantic search reads meaning, never phrases: nothing to relax).
            let relaxed = try await search(#"papers on "fast fourier transform" implementations"#)
            #expect(relaxed.relaxed == (mode != .semantic), "\(mode)")
            #expect(relaxed.hits.first?.path == "fft.md", "\(mode)")
            #expect(relaxed.meta.relaxed == relaxed.relaxed)
            // A phrase that matches is kept: nothing relaxed.
            let kept = try await search(#""fast transform""#)
            #expect(!kept.relaxed && kept.hits.map(\.path).contains("fft.md"), "\(mode)")
            // An exclusion that leaves some hits is kept.
            let excluded = try await search("transform -flutter")
            #expect(!excluded.relaxed, "\(mode)")
            // Plain syntax never relaxes: there is nothing to relax.
            let plain = try await search(#""fast fourier transform""#, syntax: .plain)
            #expect(!plain.relaxed && plain.meta.syntax == .plain && plain.hits.first?.path == "fft.md", "\(mode)")
        }
        // An exclusion that removes every match: relaxed in full text (the words are searched).
        let onlyExcluded = try await engine.search.search(
            try SearchRequest(text: "flutter -wings", projectIDs: [project], mode: .fulltext))
        #expect(onlyExcluded.relaxed && onlyExcluded.hits.first?.path == "wings.md")
    }

    @Test(arguments: TestBackend.contract)
    func titleOnlyAndPathOnlyDocumentsAreFoundInEveryMode(_ backend: TestBackend) async throws {
        let scratch = try await ScratchStore.make(backend)
        try await Self.checkTitleOnly(store: scratch.store, project: scratch.project.id)
    }

    private static func checkTitleOnly(store: some Store, project: UUID) async throws {
        let engine = Engine(store: store, embedder: WordHashEmbedder())
        _ = try await engine.indexer.writeDocuments([
            NewDocument(path: "plans/roadmap.md", content: "", title: "Quarterly roadmap"),
            NewDocument(path: "notes/kubernetes-upgrade.md", content: "   \n"),
            NewDocument(path: "heading-only.md", content: "# Incident retrospective\n"),
            NewDocument(path: "other.md", content: "# Other\nUnrelated text about gardening."),
        ], mode: .create, in: project)
        _ = try await engine.embedPending()
        for mode in SearchMode.allCases {
            for (query, path) in [("quarterly roadmap", "plans/roadmap.md"), ("kubernetes upgrade", "notes/kubernetes-upgrade.md"),
                                  ("incident retrospective", "heading-only.md")] {
                let response = try await engine.search.search(try SearchRequest(text: query, projectIDs: [project], mode: mode))
                #expect(response.mode == mode && response.hits.first?.path == path, "\(mode) \(query): \(response.hits.map(\.path))")
            }
        }
        let stats = try await store.stats(projectID: project)
        #expect(stats.chunks == 4 && stats.embeddedChunks == 4, "every document has a chunk, and it is embedded")
        // A title-only document that gains a body loses its title passage.
        let roadmap = try await store.document(path: "plans/roadmap.md", in: project)
        _ = try await engine.indexer.updateDocument(id: roadmap.id, in: project, with: DocumentUpdate(
            content: "Milestones for the next quarter.", title: "Quarterly roadmap"))
        #expect(try await store.stats(projectID: project).chunks == 4)
    }
}
