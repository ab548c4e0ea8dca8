import Foundation
import Index
import Search

/// `lore serve --demo`: the sample project from `fixtures/`, a login and a fresh API key.
enum DemoProject {
    static let email = "demo@lore.local"
    static let projectName = "Sample Project"

    static func load(into store: some Store) async throws {
        let folder = try fixturesFolder()
        let environment = ProcessInfo.processInfo.environment
        let password = environment["LORE_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 } ?? "lore-demo-password"
        let user: User
        if let existing = try? await store.user(email: email) {
            user = existing
        } else {
            user = try await store.createUser(NewUser(
                email: email, name: "Demo", passwordHash: await Passwords.hash(password)))
        }
        let page = try await store.projects(ownedBy: user.id, page: PageRequest(limit: 100))
        let keyed: ProjectWithKey
        if let project = page.items.first(where: { $0.name == projectName }) {
            keyed = try await store.rotateAPIKey(projectID: project.id)
        } else {
            keyed = try await store.createProject(NewProject(ownerId: user.id, name: projectName, description: "Lore's sample documentation"))
        }
        let report = try await DirectoryImporter(store: store).importFiles(from: folder, into: keyed.project.id)
        let summary = """
            Demo project loaded: \(report.created + report.updated + report.unchanged) documents from \(folder.path)
              login:    \(email) / \(password)
              project:  \(keyed.project.id.uuidString.lowercased()) (\(keyed.project.slug))
              API key:  \(keyed.apiKey)

            """
        // Written straight to the file handle: a pipe would buffer print() while the server runs.
        FileHandle.standardOutput.write(Data(summary.utf8))
    }

    /// `LORE_FIXTURES_DIR`, else `fixtures/sample-project` under the working directory.
    static func fixturesFolder() throws -> URL {
        let path = ProcessInfo.processInfo.environment["LORE_FIXTURES_DIR"] ?? "fixtures/sample-project"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError.message("the sample project is not at \(path): run from the repository root or set LORE_FIXTURES_DIR")
        }
        return URL(fileURLWithPath: path)
    }
}
