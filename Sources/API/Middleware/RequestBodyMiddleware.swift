import CompressNIO
import Foundation
import Hummingbird
import NIOCore

/// Reads every request body once, before rate limiting and handlers: the one place where a
/// body's size, encoding, media type and JSON shape are bounded.
///
/// - a body announcing more than `maximumBytes` is a 413 before it is read;
/// - `Content-Encoding: gzip` is inflated, to at most `maximumBytes` (a larger result, such as a
///   zip bomb, is a 413); other encodings are a 415;
/// - a body of a POST, PUT or PATCH that is not JSON is a 415;
/// - a JSON body with a key twice in one object, or nested deeper than ``maximumDepth``, is a
///   422: two decoders of one body (a limiter's and a handler's) can then never disagree.
///
/// Its refusals are enveloped here: it sits outside ``ErrorMiddleware``.
struct RequestBodyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The deepest JSON nesting accepted in a body (metadata itself may nest 16 levels).
    static let maximumDepth = 64
    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        do {
            try await prepare(&request, context: context)
        } catch let error as APIError {
            return ErrorEnvelope.response(for: error, requestID: context.requestID)
        }
        return try await next(request, context)
    }

    private func prepare(_ request: inout Request, context: Context) async throws(APIError) {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBytes {
            throw .payloadTooLarge("the request body is larger than \(maximumBytes) bytes")
        }
        guard Self.hasBody(request) else { return }
        let encoding = request.headers[.contentEncoding]?.trimmingCharacters(in: .whitespaces).lowercased() ?? "identity"
        let inflates: Bool
        switch encoding {
        case "identity", "": inflates = false
        case "gzip", "x-gzip": inflates = true
        default: throw .unsupportedMediaType("Content-Encoding \(encoding) is not supported: send gzip or no encoding")
        }
        let writes = [.post, .put, .patch].contains(request.method)
        if writes && !Self.isJSON(request.headers[.contentType]) {
            throw .unsupportedMediaType("the request body must be application/json")
        }
        guard inflates || writes else { return }
        var buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBytes)
        } catch {
            throw .payloadTooLarge("the request body is larger than \(maximumBytes) bytes")
        }
        var head = request.head
        if inflates {
            buffer = try inflate(buffer)
            head.headerFields[.contentEncoding] = nil
            head.headerFields[.transferEncoding] = nil
            head.headerFields[.contentLength] = String(buffer.readableBytes)
        }
        if writes {
            try Self.checkJSON(buffer)
            // Media types are case-insensitive; hand the handlers (and the MCP SDK) one spelling.
            if head.headerFields[.contentType]?.hasPrefix("application/json") == false {
                head.headerFields[.contentType] = "application/json"
            }
        }
        // The body setter keeps the link to the connection's inbound stream (the server drains
        // what is left of it after the response); a new `Request` must take the body from there.
        request.body = RequestBody(buffer: buffer)
        if head != request.head {
            request = Request(head: head, body: request.body)
        }
    }

    /// The inflated gzip body. The gzip trailer states the inflated size (mod 2^32): an honest
    /// bomb is refused without inflating it, and a body whose trailer disagrees with what it
    /// inflates to (truncated, or lying about its size) is refused after.
    private func inflate(_ compressed: ByteBuffer) throws(APIError) -> ByteBuffer {
        guard let statedSize = Self.gzipStatedSize(compressed) else {
            throw .validation("the request body is not valid gzip", details: [])
        }
        guard statedSize <= maximumBytes else {
            throw .payloadTooLarge("the request body inflates to more than \(maximumBytes) bytes")
        }
        var buffer = compressed
        do {
            let inflated = try buffer.decompress(with: .gzip(), maxSize: maximumBytes)
            guard inflated.readableBytes == statedSize else { throw CompressNIOError.corruptData }
            return inflated
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .payloadTooLarge("the request body inflates to more than \(maximumBytes) bytes")
        } catch {
            throw .validation("the request body is not valid gzip", details: [])
        }
    }

    /// Refuses a JSON body whose shape two decoders could read differently, or that is not UTF-8.
    private static func checkJSON(_ buffer: ByteBuffer) throws(APIError) {
        switch JSONShape.check(buffer.readableBytesView, maximumDepth: maximumDepth) {
        case .ok: break
        case .duplicateKey(let key):
            throw .validation("the request body names the key \"\(key.prefix(64))\" twice in one object", details: [])
        case .tooDeep:
            throw .validation("the request body nests deeper than \(maximumDepth) levels", details: [])
        case .trailingComma:
            throw .validation("the request body is not valid JSON: a comma before } or ]", details: [])
        case .loneSurrogate:
            throw .validation("the request body is not valid JSON: a \\u escape of half a surrogate pair", details: [])
        }
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw .validation("the request body is not valid UTF-8", details: [])
        }
    }

    /// The inflated size a gzip member states in its last four bytes (little-endian), or `nil`
    /// for a body too short to be gzip or without the gzip magic bytes.
    static func gzipStatedSize(_ buffer: ByteBuffer) -> Int? {
        guard buffer.readableBytes >= 18,
              buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x1F8B,
              let size = buffer.getInteger(at: buffer.writerIndex - 4, endianness: .little, as: UInt32.self) else { return nil }
        return Int(size)
    }

    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength].flatMap(Int.init) { return length > 0 }
        return request.headers[.transferEncoding] != nil
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() else {
            return false
        }
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }
}
