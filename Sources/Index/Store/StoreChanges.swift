import Foundation
import Synchronization

/// A change committed by another instance sharing the database, which this instance must apply
/// to what it caches.
public enum StoreChange: Sendable, Equatable {
    /// A project was renamed, re-described, re-keyed or deleted.
    case project(UUID)
    /// A session token was revoked (logout).
    case sessionRevoked(String)
    /// New vectors of a project: these chunks, or (`nil`) too many to list.
    case vectors(project: UUID, chunkIDs: [Int64]?)
    /// Changes may have been missed (the listening connection was lost and is back): forget
    /// everything cached.
    case resynchronize
}

/// Hands every published change to every current subscriber.
final class StoreChangeHub: Sendable {
    private let subscribers = Mutex<(next: Int, continuations: [Int: AsyncStream<StoreChange>.Continuation], finished: Bool)>(
        (0, [:], false))

    func subscribe() -> AsyncStream<StoreChange> {
        let (stream, continuation) = AsyncStream<StoreChange>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        let id: Int? = subscribers.withLock { state in
            guard !state.finished else { return nil }
            state.next += 1
            state.continuations[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func publish(_ change: StoreChange) {
        for continuation in subscribers.withLock({ Array($0.continuations.values) }) {
            continuation.yield(change)
        }
    }

    func finish() {
        let continuations = subscribers.withLock { state in
            state.finished = true
            defer { state.continuations = [:] }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}

/// The text form of a change in a PostgreSQL notification: `INSTANCE KIND VALUE`.
enum StoreChangeMessage {
    /// PostgreSQL's limit is 8000 bytes; longer chunk lists are sent as `nil`.
    static let maximumChunkIDs = 400

    static func encode(_ change: StoreChange, from instance: UUID) -> String {
        switch change {
        case .project(let id): "\(instance.uuidString) project \(id.uuidString)"
        case .sessionRevoked(let jti): "\(instance.uuidString) session \(jti)"
        case .vectors(let project, let chunkIDs):
            "\(instance.uuidString) vectors \(project.uuidString)" + (chunkIDs.map { " " + $0.map(String.init).joined(separator: ",") } ?? "")
        case .resynchronize: "\(instance.uuidString) resynchronize -"
        }
    }

    /// The change, unless it is malformed or was sent by `instance` itself.
    static func decode(_ payload: String, ignoring instance: UUID) -> StoreChange? {
        let parts = payload.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let sender = UUID(uuidString: parts[0]), sender != instance else { return nil }
        switch parts[1] {
        case "project": return UUID(uuidString: parts[2]).map(StoreChange.project)
        case "session": return .sessionRevoked(parts[2])
        case "vectors":
            let fields = parts[2].split(separator: " ", maxSplits: 1)
            guard let project = fields.first.flatMap({ UUID(uuidString: String($0)) }) else { return nil }
            let ids = fields.count == 2 ? fields[1].split(separator: ",").compactMap { Int64($0) } : nil
            return .vectors(project: project, chunkIDs: ids)
        case "resynchronize": return .resynchronize
        default: return nil
        }
    }
}
