import Foundation
import Testing
@testable import Vectors

@Suite struct SafeTensorsTests {
    /// A fresh folder under the system temporary directory, removed by the caller.
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lore-safetensors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The bytes of a safetensors file with `header` as JSON and `payload` as data.
    private func file(header: String, payload: [UInt8]) -> Data {
        let json = Array(header.utf8)
        var data = Data((0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * $0)) })
        data.append(contentsOf: json)
        data.append(contentsOf: payload)
        return data
    }

    private func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    private let validHeader = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"I64","shape":[1],"data_offsets":[16,24]}}"#

    private func isMalformed(_ error: any Error) -> Bool {
        if case VectorError.malformedModel = error { return true }
        return false
    }

    @Test func readsTensorsAndMetadataFromAFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try file(header: validHeader, payload: floatBytes([1, -2, 3.5, 0]) + [UInt8](repeating: 7, count: 8)).write(to: url)
        let tensors = try SafeTensors(contentsOf: url)
        #expect(tensors.metadata == ["format": "pt"])
        #expect(tensors.tensors["a"]?.shape == [2, 2])
        #expect(try tensors.floats("a", shape: [2, 2]) == [1, -2, 3.5, 0])
        #expect(throws: VectorError.tensorShapeMismatch(name: "a", expected: [4], actual: [2, 2])) {
            try tensors.floats("a", shape: [4])
        }
        #expect(throws: VectorError.unsupportedTensorType(name: "b", dtype: "I64")) { try tensors.floats("b") }
        #expect(throws: VectorError.missingTensor(name: "c")) { try tensors.floats("c") }
    }

    @Test func aTruncatedFileIsRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = file(header: validHeader, payload: floatBytes([1, 2, 3, 4]) + [UInt8](repeating: 0, count: 8))
        for length in [0, 5, 8, 20, whole.count - 1] {
            let url = folder.appendingPathComponent("truncated-\(length).safetensors")
            try whole.prefix(length).write(to: url)
            #expect(performing: { try SafeTensors(contentsOf: url) }, throws: isMalformed)
        }
    }

    @Test func aTruncatedCopyOfTheRealModelIsRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = MiniLMFixtures.modelDirectory.appendingPathComponent("model.safetensors")
        let handle = try FileHandle(forReadingFrom: source)
        defer { try? handle.close() }
        let url = folder.appendingPathComponent("model.safetensors")
        try handle.readData(ofLength: 1 << 20).write(to: url)
        #expect(performing: { try SafeTensors(contentsOf: url) }, throws: isMalformed)
    }

    @Test(arguments: [
        "not json at all",
        #"[1, 2, 3]"#,
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}}"#,
        #"{"a":{"dtype":"F32","shape":[-2,-2],"data_offsets":[0,16]}}"#,
        #"{"a":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2]}}"#,
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        #"{"__metadata__":{"format":1}}"#,
    ])
    func aMalformedHeaderIsRejected(header: String) throws {
        let data = file(header: header, payload: [UInt8](repeating: 0, count: 16))
        #expect(performing: { try SafeTensors(data: data) }, throws: isMalformed)
    }

    @Test func garbageIsRejected() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("garbage.safetensors")
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: url)
        #expect(performing: { try SafeTensors(contentsOf: url) }, throws: isMalformed)
    }

    @Test func aMissingFileIsUnavailable() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lore-missing-\(UUID().uuidString).safetensors")
        #expect {
            try SafeTensors(contentsOf: url)
        } throws: { error in
            if case VectorError.modelUnavailable = error { return true }
            return false
        }
    }
}
