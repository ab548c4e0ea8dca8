import Index

/// Why a source could not be synced.
public enum SourceSyncError: Error, Sendable, Equatable {
    /// Git failed: an unreachable repository, an unknown ref, a missing `git` (credentials removed).
    case git(String)
    /// Another sync of the source holds its claim (here or in another instance).
    case busy
    /// The claim lapsed while the sync ran (it took longer than its renewals could cover).
    case leaseLost
    /// The store refused the sync (an unknown source, or a document another source owns).
    case store(IndexError)
}

extension SourceSyncError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .git(let message): message
        case .busy: "another sync of this source is running"
        case .leaseLost: "the sync lost its claim on the source before it finished"
        case .store(let error): "\(error)"
        }
    }
}
