import Foundation
import Hummingbird
import Index

/// The success envelope: `{"data": …, "meta": {"requestId": …, …}}`.
struct Envelope<Payload: Encodable, Meta: Encodable>: Encodable {
    var data: Payload
    var meta: Meta
}

extension AppRequestContext {
    /// A JSON response in the success envelope; `meta` adds to the request id.
    func respond<Payload: Encodable>(
        _ data: Payload, status: HTTPResponse.Status = .ok, meta: [String: JSONValue] = [:], headers: HTTPFields = [:]
    ) throws -> Response {
        var fullMeta = meta
        fullMeta["requestId"] = .string(requestID)
        let body = try APIJSON.encoder.encode(Envelope(data: data, meta: fullMeta))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON response in the success envelope whose `meta` is `meta`'s fields and the request id.
    func respond<Payload: Encodable, Meta: Encodable>(_ data: Payload, meta: Meta) throws -> Response {
        let body = try APIJSON.encoder.encode(Envelope(data: data, meta: ObjectWithField(object: meta, key: "requestId", value: requestID)))
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A list response: the page's items with `offset`, `limit` and `total` in `meta`.
    func respond<Item: Encodable>(page items: [Item], offset: Int, limit: Int, total: Int) throws -> Response {
        try respond(items, meta: ["offset": .number(Double(offset)), "limit": .number(Double(limit)), "total": .number(Double(total))])
    }
}

extension UUID {
    /// The form ids take in JSON: lower-case.
    var apiString: String { uuidString.lowercased() }
}
