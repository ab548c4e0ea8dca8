import ArgumentParser
import Foundation
import Index

struct ProjectsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projects", abstract: "Manage projects.", subcommands: [CreateProjectCommand.self])
}

struct CreateProjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a project and print its API key (shown this once).")

    @OptionGroup var store: StoreOptions
    @Option(help: "E-mail address of the owning user.") var owner: String
    @Option(help: "Project name, unique per owner.") var name: String
    @Option(help: "A short description.") var description = ""
    @Flag(help: "Print {\"id\", \"slug\", \"apiKey\"} as JSON.") var json = false

    func run() async throws {
        let opened = try await store.openStore()
        let user = try await opened.user(email: owner)
        let created = try await opened.createProject(NewProject(ownerId: user.id, name: name, description: description))
        if json {
            try JSONOutput.print([
                "id": created.project.id.uuidString.lowercased(), "slug": created.project.slug, "apiKey": created.apiKey,
            ])
        } else {
            print("id:      \(created.project.id.uuidString.lowercased())")
            print("slug:    \(created.project.slug)")
            print("api key: \(created.apiKey)")
            Terminal.writeError("Keep the API key now: it is stored only as a hash and cannot be shown again.")
        }
    }
}
