import Crypto
import Foundation
import HTTPTypes

/// How a forge proves a push webhook comes from it (SPEC §11): GitHub and Gitea sign the body
/// with the source's secret (`X-Hub-Signature-256: sha256=<HMAC-SHA256 hex>`), GitLab sends the
/// secret itself (`X-Gitlab-Token`). Both are compared in constant time.
enum WebhookSignature {
    static let githubHeader = HTTPField.Name("X-Hub-Signature-256")!
    static let gitlabHeader = HTTPField.Name("X-Gitlab-Token")!

    /// Whether the request carries a webhook credential (and so is checked as one).
    static func isPresent(in headers: HTTPFields) -> Bool {
        headers[githubHeader] != nil || headers[gitlabHeader] != nil
    }

    /// Whether `headers` prove `body` was sent by someone who knows `secret`.
    static func verify(headers: HTTPFields, body: [UInt8], secret: String) -> Bool {
        if let signature = headers[githubHeader] {
            guard signature.hasPrefix("sha256="), let mac = hexBytes(signature.dropFirst("sha256=".count)) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
        }
        if let token = headers[gitlabHeader] {
            return constantTimeEqual(Array(token.utf8), Array(secret.utf8))
        }
        return false
    }

    private static func hexBytes(_ text: Substring) -> [UInt8]? {
        guard text.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Equal length and bytes, in a time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
