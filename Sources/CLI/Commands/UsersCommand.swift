import ArgumentParser
import Foundation
import Index

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage users.", subcommands: [CreateUserCommand.self])
}

struct CreateUserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a user (prompts for the password on a terminal).")

    @OptionGroup var store: StoreOptions
    @Option(help: "The user's e-mail address.") var email: String
    @Option(help: "The user's display name.") var name: String
    @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
    @Flag(help: "Print the user as JSON.") var json = false

    func validate() throws {
        if !passwordStdin && isatty(STDIN_FILENO) != 1 {
            throw ValidationError("standard input is not a terminal: pass --password-stdin and pipe the password")
        }
    }

    func run() async throws {
        let password = passwordStdin ? readLine(strippingNewline: true) : Terminal.readSecret(prompt: "Password: ")
        guard let password, Passwords.isAcceptable(password) else {
            throw CLIError.message("the password must be 8–72 bytes")
        }
        let opened = try await store.openStore()
        let user = try await opened.createUser(NewUser(
            email: email, name: name, passwordHash: await Passwords.hash(password)))
        if json {
            try JSONOutput.print(["id": user.id.uuidString.lowercased(), "email": user.email, "name": user.name])
        } else {
            print(user.id.uuidString.lowercased())
            Terminal.writeError("created user \(user.email)")
        }
    }
}
