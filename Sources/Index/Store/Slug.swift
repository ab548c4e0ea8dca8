import Foundation

/// URL-safe names for projects: lower-case ASCII letters, digits and single dashes.
enum Slug {
    static func make(from name: String) -> String {
        var slug = ""
        for scalar in name.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                slug.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else if !slug.isEmpty && !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "project" : String(slug.prefix(64))
    }

    /// `base`, or `base` with the first `-2`, `-3`… suffix that `isTaken` rejects.
    static func firstFree(from base: String, isTaken: (String) throws -> Bool) rethrows -> String {
        var candidate = base
        var suffix = 2
        while try isTaken(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
