import Foundation
import Hummingbird

extension Request {
    /// Decodes the JSON body (at most the context's upload limit); decoding problems become a 422
    /// naming the field, a body over the limit a 413.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.invalid("body", "a JSON object is required") }
        return try context.requestDecoder.decode(T.self, from: buffer)
    }
}
