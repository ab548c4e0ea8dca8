import MCP

/// The arguments of one tool call, read with the types the tool's input schema declares.
///
/// `null` counts as absent. Integers may arrive as JSON numbers with no fraction (`5.0`);
/// anything else of the wrong type is an ``MCPToolError/wrongType(name:expected:)``.
struct MCPArguments: Sendable {
    private let values: [String: Value]

    /// Checks that every argument is one the tool declares.
    init(_ values: [String: Value]?, known: [String]) throws(MCPToolError) {
        let values = values ?? [:]
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownArgument(name: unknown, known: known)
        }
        self.values = values
    }

    /// A string that must be present.
    func requiredString(_ name: String) throws(MCPToolError) -> String {
        guard let value = try string(name) else { throw .missingArgument(name: name) }
        return value
    }

    /// A string, or `nil` when absent.
    func string(_ name: String) throws(MCPToolError) -> String? {
        guard let value = present(name) else { return nil }
        guard case .string(let text) = value else { throw .wrongType(name: name, expected: "a string") }
        return text
    }

    /// An integer within `range`, or `nil` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(MCPToolError) -> Int? {
        guard let value = present(name) else { return nil }
        let number: Int
        switch value {
        case .int(let int):
            number = int
        case .double(let double) where double.rounded() == double && abs(double) < 1e15:
            number = Int(double)
        default:
            throw .wrongType(name: name, expected: "an integer")
        }
        guard range.contains(number) else {
            throw .invalidArgument(name: name, reason: "must be between \(range.lowerBound) and \(range.upperBound) (got \(number))")
        }
        return number
    }

    /// An array of strings, or `nil` when absent.
    func strings(_ name: String) throws(MCPToolError) -> [String]? {
        guard let value = present(name) else { return nil }
        guard case .array(let items) = value else { throw .wrongType(name: name, expected: "an array of strings") }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw .wrongType(name: name, expected: "an array of strings") }
            strings.append(text)
        }
        return strings
    }

    /// One of the raw values of `Choice`, or `nil` when absent.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, as type: Choice.Type) throws(MCPToolError) -> Choice?
    where Choice.RawValue == String {
        guard let text = try string(name) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            let cases = Choice.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw .invalidArgument(name: name, reason: "must be one of \(cases) (got '\(text)')")
        }
        return choice
    }

    private func present(_ name: String) -> Value? {
        guard let value = values[name], value != .null else { return nil }
        return value
    }
}
