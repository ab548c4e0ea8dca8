import Foundation

/// A read-only view of a [safetensors](https://huggingface.co/docs/safetensors) file: an
/// 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
/// range, then the raw little-endian tensor data.
///
/// The whole header is validated on open: a truncated file, a header that is not a JSON object,
/// an unknown dtype, a byte range outside the data or of the wrong size for its shape, and
/// overlapping tensors are all `VectorError.malformedModel`. The file is memory-mapped; tensors
/// are copied out as `[Float]`, so the mapping can be dropped once the weights are loaded.
public struct SafeTensors: Sendable {
    /// Where one tensor lies and what it holds.
    public struct TensorInfo: Sendable, Hashable {
        /// The element type as the header spells it (`F32`, `F16`, `I64`, …).
        public let dtype: String
        /// The dimensions, outermost first; `[]` for a scalar.
        public let shape: [Int]
        /// The tensor's bytes, relative to the start of the data section.
        public let byteRange: Range<Int>
        /// The number of elements (the product of `shape`).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// Every tensor in the file, by name.
    public let tensors: [String: TensorInfo]
    /// The free-form `__metadata__` strings of the header (`format: pt`), possibly empty.
    public let metadata: [String: String]
    private let data: Data
    private let dataStart: Int

    /// Bytes per element of the dtypes the format defines.
    static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
        "U16": 2, "I16": 2, "F16": 2, "BF16": 2,
        "U32": 4, "I32": 4, "F32": 4,
        "U64": 8, "I64": 8, "F64": 8,
    ]
    /// The largest header accepted, as in the reference implementation.
    static let maximumHeaderLength = 100 << 20

    /// Opens and validates the file at `url`.
    ///
    /// - Throws: `VectorError.modelUnavailable` when it cannot be read,
    ///   `VectorError.malformedModel` when it is not a valid safetensors file.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw VectorError.modelUnavailable(path: url.path, reason: "\(error)")
        }
        try self.init(data: data)
    }

    /// Validates `data`, the contents of a safetensors file.
    ///
    /// - Throws: `VectorError.malformedModel` when it is not a valid safetensors file.
    public init(data: Data) throws {
        guard data.count >= 8 else {
            throw VectorError.malformedModel(reason: "safetensors file of \(data.count) bytes has no header length")
        }
        let headerLength = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength >= 2, headerLength <= UInt64(min(Self.maximumHeaderLength, data.count - 8)) else {
            throw VectorError.malformedModel(
                reason: "safetensors header length \(headerLength) does not fit a file of \(data.count) bytes")
        }
        let dataStart = 8 + Int(headerLength)
        let header = data.subdata(in: data.startIndex + 8 ..< data.startIndex + dataStart)
        let decoded: Header
        do {
            decoded = try JSONDecoder().decode(Header.self, from: header)
        } catch {
            throw VectorError.malformedModel(reason: "safetensors header is not valid: \(error)")
        }
        var tensors: [String: TensorInfo] = [:]
        for (name, entry) in decoded.entries {
            tensors[name] = try Self.tensorInfo(name: name, entry: entry, dataLength: data.count - dataStart)
        }
        let metadata = decoded.metadata
        let ranges = tensors.values.map(\.byteRange).filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        for (earlier, later) in zip(ranges, ranges.dropFirst()) where earlier.upperBound > later.lowerBound {
            throw VectorError.malformedModel(reason: "safetensors tensors overlap at byte \(later.lowerBound)")
        }
        self.tensors = tensors
        self.metadata = metadata
        self.data = data
        self.dataStart = dataStart
    }

    private static func tensorInfo(name: String, entry: Header.Entry, dataLength: Int) throws -> TensorInfo {
        guard let elementSize = elementSizes[entry.dtype] else {
            throw VectorError.malformedModel(reason: "safetensors entry \(name) has unknown dtype \(entry.dtype)")
        }
        guard entry.shape.allSatisfy({ $0 >= 0 }), entry.dataOffsets.count == 2,
              let begin = entry.dataOffsets.first, let end = entry.dataOffsets.last, begin >= 0
        else {
            throw VectorError.malformedModel(reason: "safetensors entry \(name) has a negative size or bad offsets")
        }
        var byteCount = elementSize
        for dimension in entry.shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw VectorError.malformedModel(reason: "safetensors entry \(name) is too large") }
            byteCount = product
        }
        guard begin <= end, end <= dataLength else {
            throw VectorError.malformedModel(
                reason: "safetensors entry \(name) spans bytes \(begin)..<\(end) of a \(dataLength)-byte data section")
        }
        guard end - begin == byteCount else {
            throw VectorError.malformedModel(
                reason: "safetensors entry \(name) has \(end - begin) bytes for shape \(entry.shape) of \(entry.dtype)")
        }
        return TensorInfo(dtype: entry.dtype, shape: entry.shape, byteRange: begin..<end)
    }

    /// The elements of the `F32` tensor `name`, row-major, checked against `shape` when given.
    ///
    /// - Throws: `VectorError.missingTensor`, `.unsupportedTensorType` when it is not `F32`,
    ///   `.tensorShapeMismatch` when its shape differs from `shape`.
    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        guard let info = tensors[name] else { throw VectorError.missingTensor(name: name) }
        guard info.dtype == "F32" else { throw VectorError.unsupportedTensorType(name: name, dtype: info.dtype) }
        if let expected, expected != info.shape {
            throw VectorError.tensorShapeMismatch(name: name, expected: expected, actual: info.shape)
        }
        let count = info.elementCount
        let start = data.startIndex + dataStart + info.byteRange.lowerBound
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            // The bytes may be unaligned for Float: copy them rather than rebinding.
            data.withUnsafeBytes { raw in
                let offset = start - data.startIndex
                let source = UnsafeRawBufferPointer(rebasing: raw[offset ..< offset + count * 4])
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            for index in 0..<count { buffer[index] = Float(bitPattern: UInt32(littleEndian: buffer[index].bitPattern)) }
            initialized = count
        }
    }

    /// The JSON header: tensor entries plus the optional `__metadata__` strings.
    private struct Header: Decodable {
        struct Entry: Decodable {
            let dtype: String
            let shape: [Int]
            let dataOffsets: [Int]

            enum CodingKeys: String, CodingKey {
                case dtype, shape
                case dataOffsets = "data_offsets"
            }
        }

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        var entries: [String: Entry] = [:]
        var metadata: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            for key in container.allKeys {
                if key.stringValue == "__metadata__" {
                    metadata = try container.decode([String: String].self, forKey: key)
                } else {
                    entries[key.stringValue] = try container.decode(Entry.self, forKey: key)
                }
            }
        }
    }
}
