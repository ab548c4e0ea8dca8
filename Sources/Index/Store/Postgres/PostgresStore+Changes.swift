import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
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

    /// Listens on a connection of its own (outside the pool, so `pool_size` stays whole for
    /// queries) for as long as the calling task runs, reconnecting after failures (a server
    /// restart); after a reconnection subscribers get `.resynchronize`, since notifications sent
    /// while no one listened are lost.
    static func listen(settings: PostgresSettings, hub: StoreChangeHub, instanceID: UUID, logger: Logger) async {
        var listenedBefore = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try settings.connectionConfiguration(), id: 1, logger: logger)
                do {
                    try await connection.listen(on: changeChannel) { notifications in
                        if listenedBefore { hub.publish(.resynchronize) }
                        listenedBefore = true
                        for try await notification in notifications {
                            if let change = StoreChangeMessage.decode(notification.payload, ignoring: instanceID) {
                                hub.publish(change)
                            }
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("lost the change notifications connection; reconnecting", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
