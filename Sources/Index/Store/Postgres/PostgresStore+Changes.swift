import Foundation
import Logging
import PostgresNIO

extension PostgresStore: StoreChangeFeed {
    /// The notification channel every instance listens on.
    static let changeChannel = "lore_changes"

    public func changes() -> AsyncStream<StoreChange> {
        changeHub.subscribe()
    }

    /// Announces `change` to the other instances when the transaction on `connection` commits.
    func announce(_ change: StoreChange, on connection: PostgresConnection) async throws {
        let message = StoreChangeMessage.encode(change, from: instanceID)
        try await connection.query("SELECT pg_notify(\(Self.changeChannel), \(message))", logger: logger)
    }

    /// Listens on one pooled connection for as long as `task` runs, reconnecting after failures
    /// (a server restart); after a reconnection subscribers get `.resynchronize`, since
    /// notifications sent while no one listened are lost.
    static func listen(client: PostgresClient, hub: StoreChangeHub, instanceID: UUID, logger: Logger) async {
        var listenedBefore = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: changeChannel) { notifications in
                        if listenedBefore { hub.publish(.resynchronize) }
                        listenedBefore = true
                        for try await notification in notifications {
                            if let change = StoreChangeMessage.decode(notification.payload, ignoring: instanceID) {
                                hub.publish(change)
                            }
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("lost the change notifications connection; reconnecting", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
