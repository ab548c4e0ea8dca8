import Foundation
import Hummingbird
import Index

/// Who made a request: a person with a session, or a script or agent with a project API key
/// (the project's own key or a scoped one).
public enum Identity: Sendable {
    case user(User, session: SessionClaims)
    case key(KeyGrant)
}

/// The request context of every route: Hummingbird's core storage plus the request id and the
/// authenticated identity.
public struct AppRequestContext: RequestContext {
    /// The largest request body (8 MiB).
    public static let maximumBodyBytes = 8 << 20

    public var coreContext: CoreRequestContextStorage
    /// The `X-Request-ID` of this request (kept from the client when well-formed, else generated).
    public var requestID: String = ""
    /// The IP address of the socket's peer (`nil` for a Unix socket or a test channel).
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { Self.maximumBodyBytes }

    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public var responseEncoder: JSONEncoder { APIJSON.encoder }
}

/// The JSON conventions of the API: Lore's (``LoreJSON``).
enum APIJSON {
    static var encoder: JSONEncoder { LoreJSON.encoder }
}
