import Foundation
import Testing
@testable import Vectors

@Suite struct BertEncoderTests {
    @Test func fusedAttentionAgreesWithBLASAttention() throws {
        let directory = MiniLMFixtures.modelDirectory
        let configuration = try BertConfiguration(modelDirectory: directory)
        let weights = try BertWeights(
            SafeTensors(contentsOf: directory.appendingPathComponent("model.safetensors")), configuration: configuration)
        let fused = BertEncoder(weights: weights, attentionMethod: .fused)
        let blas = BertEncoder(weights: weights, attentionMethod: .blas)
        #expect(fused.attentionMethod == .fused)
        let tokenizer = try MiniLMFixtures.loadedEmbedder().tokenizer
        let items = try MiniLMFixtures.goldenItems()
        // Lengths 2, 3, 4, 11, 12, 30 and 256 cover every remainder of the 4-row and 8-column blocks.
        let sequences = [3, 6, 0, 8, 1, 25, 28].map { tokenizer.encode(items[$0].text) }
        for (a, b) in zip(fused.embeddings(of: sequences), blas.embeddings(of: sequences)) {
            #expect(MiniLMFixtures.cosine(a, b) >= 0.999999)
        }
    }

    @Test func configurationComesFromConfigAndSentenceConfig() throws {
        let configuration = try BertConfiguration(modelDirectory: MiniLMFixtures.modelDirectory)
        #expect(configuration.hiddenSize == 384)
        #expect(configuration.layerCount == 6)
        #expect(configuration.headCount == 12)
        #expect(configuration.headSize == 32)
        #expect(configuration.intermediateSize == 1536)
        #expect(configuration.maximumSequenceLength == 256)
        #expect(configuration.layerNormEpsilon == 1e-12)
    }

    @Test func vectorGELUMatchesTheErfForm() {
        for x in stride(from: -20.0 as Float, through: 20, by: 0.037) {
            let lanes = VectorMath.gelu(SIMD8<Float>(repeating: x))
            let exact = Double(x) * 0.5 * (1 + erf(Double(x) / 2.0.squareRoot()))
            #expect(abs(Double(lanes[3]) - exact) <= 1e-6 * max(1, abs(exact)), "GELU(\(x))")
        }
    }

    @Test func vectorExpMatchesExp() {
        for x in stride(from: -100.0 as Float, through: 80, by: 0.13) {
            let lanes = VectorMath.exp(SIMD8<Float>(repeating: x))
            let exact = Foundation.exp(Double(x))
            #expect(abs(Double(lanes[5]) - exact) <= 4e-7 * exact + 1e-37, "exp(\(x))")
        }
    }
}
