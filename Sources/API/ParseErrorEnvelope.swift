import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives the server's own answer to a request it could not parse (a header or URL past the
/// parser's limits, a NUL in a header) the error envelope every other 4xx carries.
///
/// Hummingbird answers such a request with a bare `400` (no body, `Content-Length: 0`, then the
/// connection closes) before any middleware runs. Every response of Lore's own routes carries an
/// `X-Request-ID`, so a 400 head without one can only be that answer; it is rewritten here, on its
/// way out, into the `bad_request` envelope with a request id of its own.
final class ParseErrorEnvelopeHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let requestIDHeader = HTTPField.Name("X-Request-ID")!

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
              head.headerFields[Self.requestIDHeader] == nil, head.headerFields[.contentLength] == "0" else {
            context.write(data, promise: promise)
            return
        }
        let requestID = UUID().uuidString.lowercased()
        let body = ErrorEnvelope.body(
            for: .badRequest("the request could not be read: a header, the URL or a value is malformed or longer than the server accepts"),
            requestID: requestID)
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[Self.requestIDHeader] = requestID
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: promise)
    }
}
