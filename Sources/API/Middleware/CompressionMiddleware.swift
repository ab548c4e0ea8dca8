import CompressNIO
import Foundation
import Hummingbird
import NIOCore

/// Gzips responses of 1 KiB or more when the client accepts gzip. Streams without a known length
/// (server-sent events) and already-encoded bodies pass through untouched.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let minimumBytes = 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard Self.acceptsGzip(request.headers[.acceptEncoding]),
              response.headers[.contentEncoding] == nil,
              let length = response.body.contentLength, length >= Self.minimumBytes,
              response.headers[.contentType]?.hasPrefix("text/event-stream") != true
        else { return response }
        let collector = BodyCollector()
        try await response.body.write(collector)
        var buffer = collector.buffer
        let compressed = try buffer.compress(with: .gzip())
        response.body = .init(byteBuffer: compressed)
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = String(compressed.readableBytes)
        response.headers[values: .vary] = (response.headers[values: .vary] + ["Accept-Encoding"])
        return response
    }

    /// Whether `Accept-Encoding` lists gzip (or `*`) with a non-zero quality.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = pieces.first, coding == "gzip" || coding == "*" else { continue }
            let quality = pieces.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { return true }
        }
        return false
    }
}

/// A response body writer that keeps what is written, to compress it whole.
private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
    var buffer = ByteBuffer()

    func write(_ buffer: ByteBuffer) async throws {
        var copy = buffer
        self.buffer.writeBuffer(&copy)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
