import Foundation
import Index
import Search

/// The body of `POST /projects/{projectId}/sources`.
struct SourceInput: Decodable {
    var kind: SourceKind?
    var url: String
    var ref: String?
    var include: [String]?
    var exclude: [String]?
    var pathPrefix: String?
    var intervalSeconds: Int?

    var newSource: NewSource {
        NewSource(kind: kind ?? .git, url: url, ref: ref, include: include, exclude: exclude, pathPrefix: pathPrefix,
                  intervalSeconds: intervalSeconds)
    }
}

/// The body of `PATCH …/sources/{sourceId}`: what may change. The repository and the folder are
/// a source's identity: changing them is deleting the source and adding another.
struct SourceUpdateInput: Decodable {
    var ref: String?
    var include: [String]?
    var exclude: [String]?
    var intervalSeconds: Int?
    var url: String?
    var kind: String?
    var pathPrefix: String?

    func update() throws -> SourceUpdate {
        for (field, value) in [("url", url), ("kind", kind), ("pathPrefix", pathPrefix)] where value != nil {
            throw APIError.invalid(field, "cannot be changed: delete the source and add it again")
        }
        return SourceUpdate(ref: ref, include: include, exclude: exclude, intervalSeconds: intervalSeconds)
    }
}

/// A source as the API shows it (SPEC §11): the URL without credentials, every state field
/// (`null` when unset), the progress of a sync this instance is running, and the webhook secret
/// only in the answer that created it.
public struct SourceResponse: Encodable {
    var source: Source
    var progress: SyncProgress?
    var includesSecret = false

    public init(source: Source, progress: SyncProgress? = nil, includesSecret: Bool = false) {
        self.source = source
        self.progress = progress
        self.includesSecret = includesSecret
    }

    enum CodingKeys: String, CodingKey {
        case id, projectId, kind, url, ref, include, exclude, pathPrefix, intervalSeconds, status, lastCommit, lastSyncedAt,
             lastError, documents, createdAt, progress, webhookSecret
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source.id.apiString, forKey: .id)
        try container.encode(source.projectId.apiString, forKey: .projectId)
        try container.encode(source.kind, forKey: .kind)
        try container.encode(source.displayURL, forKey: .url)
        try container.encode(source.ref, forKey: .ref)
        try container.encode(source.include, forKey: .include)
        try container.encode(source.exclude, forKey: .exclude)
        try container.encode(source.pathPrefix, forKey: .pathPrefix)
        try container.encode(source.intervalSeconds, forKey: .intervalSeconds)
        try container.encode(progress == nil ? source.status : .syncing, forKey: .status)
        try container.encode(source.lastCommit, forKey: .lastCommit)
        try container.encode(source.lastSyncedAt, forKey: .lastSyncedAt)
        try container.encode(source.lastError, forKey: .lastError)
        try container.encode(source.documents, forKey: .documents)
        try container.encode(source.createdAt, forKey: .createdAt)
        try container.encode(progress, forKey: .progress)
        if includesSecret { try container.encode(source.webhookSecret, forKey: .webhookSecret) }
    }
}
