import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The rate-limit identity of a client address.
enum ClientAddress {
    /// An IPv4 address as it is; an IPv6 address as its /64 network (`2001:db8:1:2::/64`): one
    /// host is routinely given a whole /64, so per-address buckets on full IPv6 addresses are
    /// buckets any client can multiply at will. Anything else is returned unchanged.
    static func bucket(_ address: String) -> String {
        guard address.contains(":") else { return address }
        var bytes = in6_addr()
        let parsed = address.withCString { inet_pton(AF_INET6, $0, &bytes) }
        guard parsed == 1 else { return address }
        let isMappedIPv4 = withUnsafeBytes(of: &bytes) { raw in raw[0..<10].allSatisfy { $0 == 0 } && raw[10] == 0xFF && raw[11] == 0xFF }
        guard !isMappedIPv4 else { return address }
        withUnsafeMutableBytes(of: &bytes) { raw in
            for index in 8..<16 { raw[index] = 0 }
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(AF_INET6, &bytes, &text, socklen_t(text.count)) != nil else { return address }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/64"
    }
}
